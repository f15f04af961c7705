-- Acquisition-cohort table: the same long-format table as `clv cohorts`
-- (cohort,period,customers,active,active_pct,orders,revenue,revenue_per_customer,cumulative_revenue_per_customer,complete).
--
-- Input: a table or view named `transactions(customer_id VARCHAR, order_date DATE, amount DOUBLE)`.
-- Variables (DuckDB >= 1.1):
--   SET VARIABLE period = 'month';                       -- 'week' (ISO, Monday), 'month' or 'quarter'
--   SET VARIABLE observation_end = DATE '1998-06-30';    -- last observed day (inclusive)
--
-- A customer's cohort is the period of their first purchase; `period` k counts calendar periods since it.
-- One row per observed cell (periods starting after observation_end are left out, never written as 0);
-- complete = 1 when the cell's period ended on or before observation_end, 0 when it was cut short (right-censored).
-- orders = transaction rows (use COUNT(DISTINCT order_id) in `cell_stats` if rows are order lines).
WITH tx AS (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id, CAST(order_date AS DATE) AS d, CAST(amount AS DOUBLE) AS amount
  FROM transactions
  WHERE CAST(order_date AS DATE) <= getvariable('observation_end')
),
p AS (
  SELECT customer_id, amount, CAST(date_trunc(getvariable('period'), d) AS DATE) AS ps FROM tx
),
firsts AS (
  SELECT customer_id, MIN(ps) AS cohort_start FROM p GROUP BY customer_id
),
sizes AS (
  SELECT cohort_start, COUNT(*) AS customers FROM firsts GROUP BY cohort_start
),
-- periods between two period starts a <= b
idx AS (
  SELECT p.customer_id, p.amount, f.cohort_start,
         CASE getvariable('period')
           WHEN 'week' THEN datediff('day', f.cohort_start, p.ps) // 7
           WHEN 'quarter' THEN ((year(p.ps) - year(f.cohort_start)) * 12 + month(p.ps) - month(f.cohort_start)) // 3
           ELSE (year(p.ps) - year(f.cohort_start)) * 12 + month(p.ps) - month(f.cohort_start)
         END AS k
  FROM p JOIN firsts f USING (customer_id)
),
cell_stats AS (
  SELECT cohort_start, k, COUNT(DISTINCT customer_id) AS active, COUNT(*) AS orders, SUM(amount) AS revenue
  FROM idx GROUP BY cohort_start, k
),
last_period AS (
  SELECT CAST(date_trunc(getvariable('period'), getvariable('observation_end')) AS DATE) AS last_ps
),
cells AS (
  SELECT s.cohort_start, s.customers, r.k
  FROM sizes s, last_period l,
       LATERAL (SELECT unnest(range(0, 1 + CASE getvariable('period')
           WHEN 'week' THEN datediff('day', s.cohort_start, l.last_ps) // 7
           WHEN 'quarter' THEN ((year(l.last_ps) - year(s.cohort_start)) * 12 + month(l.last_ps) - month(s.cohort_start)) // 3
           ELSE (year(l.last_ps) - year(s.cohort_start)) * 12 + month(l.last_ps) - month(s.cohort_start)
         END)) AS k) r
),
filled AS (
  SELECT c.cohort_start, c.k, c.customers,
         COALESCE(cs.active, 0) AS active,
         COALESCE(cs.orders, 0) AS orders,
         COALESCE(cs.revenue, 0) AS revenue,
         CASE getvariable('period')
           WHEN 'week' THEN c.cohort_start + to_days(CAST(7 * c.k + 7 AS INTEGER))
           WHEN 'quarter' THEN c.cohort_start + to_months(CAST(3 * c.k + 3 AS INTEGER))
           ELSE c.cohort_start + to_months(CAST(c.k + 1 AS INTEGER))
         END AS next_start
  FROM cells c LEFT JOIN cell_stats cs USING (cohort_start, k)
)
SELECT CASE getvariable('period')
         WHEN 'week' THEN strftime(cohort_start, '%Y-%m-%d')
         WHEN 'quarter' THEN CAST(year(cohort_start) AS VARCHAR) || '-Q' || CAST(quarter(cohort_start) AS VARCHAR)
         ELSE strftime(cohort_start, '%Y-%m')
       END AS cohort,
       k AS period,
       customers,
       active,
       CAST(active AS DOUBLE) / customers * 100 AS active_pct,
       orders,
       revenue,
       revenue / customers AS revenue_per_customer,
       SUM(revenue / customers) OVER (PARTITION BY cohort_start ORDER BY k ROWS UNBOUNDED PRECEDING) AS cumulative_revenue_per_customer,
       CASE WHEN CAST(next_start AS DATE) - INTERVAL 1 DAY <= getvariable('observation_end') THEN 1 ELSE 0 END AS complete
FROM filled
ORDER BY cohort_start, k;
