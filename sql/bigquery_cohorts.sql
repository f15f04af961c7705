-- Acquisition-cohort table for BigQuery (GoogleSQL): the same long-format table as `clv cohorts` and
-- sql/duckdb_cohorts.sql (cohort,period,customers,active,active_pct,orders,revenue,revenue_per_customer,
-- cumulative_revenue_per_customer,complete). Weeks start on Monday (WEEK(MONDAY)), like ISO 8601.
-- Input: a table `transactions(customer_id STRING, order_date DATE, amount FLOAT64)`.
DECLARE period STRING DEFAULT 'month';                   -- 'week', 'month' or 'quarter'
DECLARE observation_end DATE DEFAULT DATE '1998-06-30';  -- last observed day (inclusive)

CREATE TEMP FUNCTION period_start(d DATE, period STRING) AS (
  CASE period
    WHEN 'week' THEN DATE_TRUNC(d, WEEK(MONDAY))
    WHEN 'quarter' THEN DATE_TRUNC(d, QUARTER)
    ELSE DATE_TRUNC(d, MONTH)
  END
);
-- periods from period start a to period start b (a <= b)
CREATE TEMP FUNCTION period_diff(a DATE, b DATE, period STRING) AS (
  CASE period
    WHEN 'week' THEN DIV(DATE_DIFF(b, a, DAY), 7)
    WHEN 'quarter' THEN DIV((EXTRACT(YEAR FROM b) - EXTRACT(YEAR FROM a)) * 12 + EXTRACT(MONTH FROM b) - EXTRACT(MONTH FROM a), 3)
    ELSE (EXTRACT(YEAR FROM b) - EXTRACT(YEAR FROM a)) * 12 + EXTRACT(MONTH FROM b) - EXTRACT(MONTH FROM a)
  END
);

WITH tx AS (
  SELECT CAST(customer_id AS STRING) AS customer_id, CAST(order_date AS DATE) AS d, CAST(amount AS FLOAT64) AS amount
  FROM transactions
  WHERE CAST(order_date AS DATE) <= observation_end
),
p AS (SELECT customer_id, amount, period_start(d, period) AS ps FROM tx),
firsts AS (SELECT customer_id, MIN(ps) AS cohort_start FROM p GROUP BY customer_id),
sizes AS (SELECT cohort_start, COUNT(*) AS customers FROM firsts GROUP BY cohort_start),
cell_stats AS (
  SELECT f.cohort_start, period_diff(f.cohort_start, p.ps, period) AS k,
         COUNT(DISTINCT p.customer_id) AS active, COUNT(*) AS orders, SUM(p.amount) AS revenue
  FROM p JOIN firsts f USING (customer_id)
  GROUP BY 1, 2
),
cells AS (
  SELECT s.cohort_start, s.customers, k
  FROM sizes s, UNNEST(GENERATE_ARRAY(0, period_diff(s.cohort_start, period_start(observation_end, period), period))) AS k
),
filled AS (
  SELECT c.cohort_start, c.k, c.customers,
         COALESCE(cs.active, 0) AS active,
         COALESCE(cs.orders, 0) AS orders,
         COALESCE(cs.revenue, 0) AS revenue,
         CASE period
           WHEN 'week' THEN DATE_ADD(c.cohort_start, INTERVAL 7 * c.k + 7 DAY)
           WHEN 'quarter' THEN DATE_ADD(c.cohort_start, INTERVAL 3 * c.k + 3 MONTH)
           ELSE DATE_ADD(c.cohort_start, INTERVAL c.k + 1 MONTH)
         END AS next_start
  FROM cells c LEFT JOIN cell_stats cs USING (cohort_start, k)
)
SELECT CASE period
         WHEN 'week' THEN FORMAT_DATE('%Y-%m-%d', cohort_start)
         WHEN 'quarter' THEN FORMAT('%d-Q%d', EXTRACT(YEAR FROM cohort_start), EXTRACT(QUARTER FROM cohort_start))
         ELSE FORMAT_DATE('%Y-%m', cohort_start)
       END AS cohort,
       k AS period,
       customers,
       active,
       active / customers * 100 AS active_pct,
       orders,
       revenue,
       revenue / customers AS revenue_per_customer,
       SUM(revenue / customers) OVER (PARTITION BY cohort_start ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_revenue_per_customer,
       IF(DATE_SUB(next_start, INTERVAL 1 DAY) <= observation_end, 1, 0) AS complete
FROM filled
ORDER BY cohort_start, k;
