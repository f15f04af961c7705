-- RFM summary with calibration/holdout, lifetimes' conventions: the same table as `clv summarize` and
-- sql/duckdb_rfm.sql (customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,
-- duration_holdout). Spark SQL 3.x.
--
-- Input: a table or view named `transactions(customer_id STRING, order_date DATE, amount DOUBLE)`.
-- Parameters by variable substitution (spark-sql / spark.sql.variable.substitute=true, the default):
--   SET days_per_unit=7;              -- 1 = day, 7 = week, 30.4375 = month (365.25 / 12)
--   SET calibration_end=1997-09-30;   -- last calibration day (inclusive)
--   SET observation_end=1998-06-30;   -- last observed day (inclusive)
-- Definitions: see sql/duckdb_rfm.sql. Note Spark's datediff(end, start) takes the END first.
WITH tx AS (
  SELECT CAST(customer_id AS STRING) AS customer_id, CAST(order_date AS DATE) AS d, CAST(amount AS DOUBLE) AS amount
  FROM transactions
  WHERE CAST(order_date AS DATE) <= DATE '${observation_end}'
),
cal_days AS (
  SELECT customer_id, d, SUM(amount) AS day_amount
  FROM tx
  WHERE d <= DATE '${calibration_end}'
  GROUP BY customer_id, d
),
firsts AS (
  SELECT customer_id, MIN(d) AS first_d FROM cal_days GROUP BY customer_id
),
cal AS (
  SELECT c.customer_id,
         COUNT(*) - 1 AS frequency,
         datediff(MAX(c.d), f.first_d) / CAST(${days_per_unit} AS DOUBLE) AS recency,
         datediff(DATE '${calibration_end}', f.first_d) / CAST(${days_per_unit} AS DOUBLE) AS T,
         COALESCE(SUM(CASE WHEN c.d > f.first_d THEN c.day_amount END) / NULLIF(COUNT(*) - 1, 0), 0D) AS monetary_value
  FROM cal_days c JOIN firsts f ON c.customer_id = f.customer_id
  GROUP BY c.customer_id, f.first_d
),
hold AS (
  SELECT customer_id, COUNT(DISTINCT d) AS frequency_holdout, AVG(amount) AS monetary_value_holdout
  FROM tx
  WHERE d > DATE '${calibration_end}'
  GROUP BY customer_id
)
SELECT cal.customer_id,
       cal.frequency,
       cal.recency,
       cal.T,
       cal.monetary_value,
       COALESCE(hold.frequency_holdout, 0) AS frequency_holdout,
       COALESCE(hold.monetary_value_holdout, 0D) AS monetary_value_holdout,
       datediff(DATE '${observation_end}', DATE '${calibration_end}') / CAST(${days_per_unit} AS DOUBLE) AS duration_holdout
FROM cal LEFT JOIN hold ON cal.customer_id = hold.customer_id
ORDER BY cal.customer_id;
