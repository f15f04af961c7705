-- RFM summary with calibration/holdout, lifetimes' conventions: the same table as `clv summarize`
-- (customer_id,frequency,recency,T,monetary_value,frequency_holdout,monetary_value_holdout,duration_holdout).
--
-- Input: a table or view named `transactions(customer_id VARCHAR, order_date DATE, amount DOUBLE)`, e.g.
--   CREATE VIEW transactions AS SELECT CAST(cust AS VARCHAR) AS customer_id, CAST(ts AS DATE) AS order_date,
--          CAST(total AS DOUBLE) AS amount FROM read_csv('orders.csv');
-- Variables (DuckDB >= 1.1):
--   SET VARIABLE days_per_unit = 7;                      -- 1 = day, 7 = week, 30.4375 = month (365.25 / 12)
--   SET VARIABLE calibration_end = DATE '1997-09-30';    -- last calibration day (inclusive)
--   SET VARIABLE observation_end = DATE '1998-06-30';    -- last observed day (inclusive)
-- Without a holdout, set calibration_end = observation_end and drop the three *_holdout columns.
--
-- Definitions (Fader, Hardie & Lee 2005; lifetimes summary_data_from_transaction_data / calibration_and_holdout_data):
-- same-day purchases of a customer merge into one (amounts summed); frequency = purchase days after the first;
-- recency = last - first purchase day; T = calibration end - first purchase day; monetary_value = mean of the repeat
-- days' totals (0 when frequency = 0); holdout frequency = purchase days after the calibration end; holdout monetary
-- value = mean amount of the holdout transactions (raw rows, as lifetimes); customers whose first purchase is after
-- the calibration end are left out. Times are day counts divided by days_per_unit.
WITH tx AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(order_date AS DATE) AS d, CAST(amount AS DOUBLE) AS amount
  FROM transactions
  WHERE CAST(order_date AS DATE) <= getvariable('observation_end')
),
cal_days AS (
  SELECT customer_id, d, SUM(amount) AS day_amount
  FROM tx
  WHERE d <= getvariable('calibration_end')
  GROUP BY customer_id, d
),
firsts AS (
  SELECT customer_id, MIN(d) AS first_d FROM cal_days GROUP BY customer_id
),
cal AS (
  SELECT c.customer_id,
         COUNT(*) - 1 AS frequency,
         datediff('day', f.first_d, MAX(c.d)) / CAST(getvariable('days_per_unit') AS DOUBLE) AS recency,
         datediff('day', f.first_d, getvariable('calibration_end')) / CAST(getvariable('days_per_unit') AS DOUBLE) AS "T",
         COALESCE(SUM(c.day_amount) FILTER (WHERE c.d > f.first_d) / NULLIF(COUNT(*) - 1, 0), 0) AS monetary_value
  FROM cal_days c JOIN firsts f USING (customer_id)
  GROUP BY c.customer_id, f.first_d
),
hold AS (
  SELECT customer_id, COUNT(DISTINCT d) AS frequency_holdout, AVG(amount) AS monetary_value_holdout
  FROM tx
  WHERE d > getvariable('calibration_end')
  GROUP BY customer_id
)
SELECT cal.customer_id,
       cal.frequency,
       cal.recency,
       cal."T",
       cal.monetary_value,
       COALESCE(hold.frequency_holdout, 0) AS frequency_holdout,
       COALESCE(hold.monetary_value_holdout, 0) AS monetary_value_holdout,
       datediff('day', getvariable('calibration_end'), getvariable('observation_end')) / CAST(getvariable('days_per_unit') AS DOUBLE) AS duration_holdout
FROM cal LEFT JOIN hold USING (customer_id)
ORDER BY cal.customer_id;
