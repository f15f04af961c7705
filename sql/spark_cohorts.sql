-- Acquisition-cohort table: the same long-format table as `clv cohorts` and sql/duckdb_cohorts.sql
-- (cohort,period,customers,active,active_pct,orders,revenue,revenue_per_customer,cumulative_revenue_per_customer,complete).
-- Spark SQL 3.x.
--
-- Input: a table or view named `transactions(customer_id STRING, order_date DATE, amount DOUBLE)`.
-- Parameters by variable substitution:
--   SET period=month;                 -- week (ISO, Monday), month or quarter (lower case)
--   SET observation_end=1998-06-30;   -- last observed day (inclusive)
-- Spark's date_trunc('WEEK', d) starts weeks on Monday, like ISO 8601 and `clv cohorts`.
WITH tx AS (
  SELECT CAST(customer_id AS STRING) AS customer_id, CAST(order_date AS DATE) AS d, CAST(amount AS DOUBLE) AS amount
  FROM transactions
  WHERE CAST(order_date AS DATE) <= DATE '${observation_end}'
),
p AS (
  SELECT customer_id, amount, CAST(date_trunc('${period}', d) AS DATE) AS ps FROM tx
),
firsts AS (
  SELECT customer_id, MIN(ps) AS cohort_start FROM p GROUP BY customer_id
),
sizes AS (
  SELECT cohort_start, COUNT(*) AS customers FROM firsts GROUP BY cohort_start
),
idx AS (
  SELECT p.customer_id, p.amount, f.cohort_start,
         CASE '${period}'
           WHEN 'week' THEN datediff(p.ps, f.cohort_start) DIV 7
           WHEN 'quarter' THEN ((year(p.ps) - year(f.cohort_start)) * 12 + month(p.ps) - month(f.cohort_start)) DIV 3
           ELSE (year(p.ps) - year(f.cohort_start)) * 12 + month(p.ps) - month(f.cohort_start)
         END AS k
  FROM p JOIN firsts f ON p.customer_id = f.customer_id
),
cell_stats AS (
  SELECT cohort_start, k, COUNT(DISTINCT customer_id) AS active, COUNT(*) AS orders, SUM(amount) AS revenue
  FROM idx GROUP BY cohort_start, k
),
cells AS (
  SELECT s.cohort_start, s.customers, k
  FROM (
    SELECT cohort_start, customers,
           CASE '${period}'
             WHEN 'week' THEN datediff(CAST(date_trunc('week', DATE '${observation_end}') AS DATE), cohort_start) DIV 7
             WHEN 'quarter' THEN ((year(DATE '${observation_end}') - year(cohort_start)) * 12 + month(DATE '${observation_end}') - month(cohort_start)) DIV 3
             ELSE (year(DATE '${observation_end}') - year(cohort_start)) * 12 + month(DATE '${observation_end}') - month(cohort_start)
           END AS last_k
    FROM sizes
  ) s
  LATERAL VIEW explode(sequence(0, s.last_k)) ks AS k
),
filled AS (
  SELECT c.cohort_start, c.k, c.customers,
         COALESCE(cs.active, 0) AS active,
         COALESCE(cs.orders, 0) AS orders,
         COALESCE(cs.revenue, 0D) AS revenue,
         CASE '${period}'
           WHEN 'week' THEN date_add(c.cohort_start, 7 * c.k + 7)
           WHEN 'quarter' THEN add_months(c.cohort_start, 3 * c.k + 3)
           ELSE add_months(c.cohort_start, c.k + 1)
         END AS next_start
  FROM cells c LEFT JOIN cell_stats cs ON c.cohort_start = cs.cohort_start AND c.k = cs.k
)
SELECT CASE '${period}'
         WHEN 'week' THEN date_format(cohort_start, 'yyyy-MM-dd')
         WHEN 'quarter' THEN concat(CAST(year(cohort_start) AS STRING), '-Q', CAST(quarter(cohort_start) AS STRING))
         ELSE date_format(cohort_start, 'yyyy-MM')
       END AS cohort,
       k AS period,
       customers,
       active,
       CAST(active AS DOUBLE) / customers * 100 AS active_pct,
       orders,
       revenue,
       revenue / customers AS revenue_per_customer,
       SUM(revenue / customers) OVER (PARTITION BY cohort_start ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_revenue_per_customer,
       CASE WHEN date_sub(next_start, 1) <= DATE '${observation_end}' THEN 1 ELSE 0 END AS complete
FROM filled
ORDER BY cohort_start, k;
