-- RFM summary with calibration/holdout for BigQuery (GoogleSQL): the same table as `clv summarize` and
-- sql/duckdb_rfm.sql. BigQuery differs in DATE_DIFF argument order/units, and uses DECLARE for parameters.
-- Input: a table `transactions(customer_id STRING, order_date DATE, amount FLOAT64)` (replace with your dataset.table).
DECLARE days_per_unit FLOAT64 DEFAULT 7;              -- 1 = day, 7 = week, 30.4375 = month (365.25 / 12)
DECLARE calibration_end DATE DEFAULT DATE '1997-09-30';
DECLARE observation_end DATE DEFAULT DATE '1998-06-30';

WITH tx AS (
  SELECT CAST(customer_id AS STRING) AS customer_id, CAST(order_date AS DATE) AS d, CAST(amount AS FLOAT64) AS amount
  FROM transactions
  WHERE CAST(order_date AS DATE) <= observation_end
),
cal_days AS (
  SELECT customer_id, d, SUM(amount) AS day_amount FROM tx WHERE d <= calibration_end GROUP BY customer_id, d
),
firsts AS (SELECT customer_id, MIN(d) AS first_d FROM cal_days GROUP BY customer_id),
cal AS (
  SELECT c.customer_id,
         COUNT(*) - 1 AS frequency,
         DATE_DIFF(MAX(c.d), f.first_d, DAY) / days_per_unit AS recency,
         DATE_DIFF(calibration_end, f.first_d, DAY) / days_per_unit AS T,
         COALESCE(SAFE_DIVIDE(SUM(IF(c.d > f.first_d, c.day_amount, NULL)), COUNT(*) - 1), 0) AS monetary_value
  FROM cal_days c JOIN firsts f USING (customer_id)
  GROUP BY c.customer_id, f.first_d
),
hold AS (
  SELECT customer_id, COUNT(DISTINCT d) AS frequency_holdout, AVG(amount) AS monetary_value_holdout
  FROM tx WHERE d > calibration_end GROUP BY customer_id
)
SELECT cal.customer_id, cal.frequency, cal.recency, cal.T, cal.monetary_value,
       COALESCE(hold.frequency_holdout, 0) AS frequency_holdout,
       COALESCE(hold.monetary_value_holdout, 0) AS monetary_value_holdout,
       DATE_DIFF(observation_end, calibration_end, DAY) / days_per_unit AS duration_holdout
FROM cal LEFT JOIN hold USING (customer_id)
ORDER BY cal.customer_id;
