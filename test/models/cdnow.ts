// Shared loader for the CDNOW calibration summaries (copies documented in test/fixtures/README.md).
import { readFileSync } from 'node:fs';
import { readRfmCsv, type RfmTable } from '../../src/lib/data/summaries.ts';

const cache = new Map<string, RfmTable>();
export function loadRfm(name: string): RfmTable {
  let t = cache.get(name);
  if (!t) {
    const { table, errors } = readRfmCsv(
      readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'),
    );
    if (errors.length > 0) throw new Error(`${name}: ${errors[0].message}`);
    t = table;
    cache.set(name, t);
  }
  return t;
}
/** lifetimes' cdnow_customers_summary.csv: 2,357 customers, weeks, t_x and T rounded to 2 dp. */
export const cdnow = () => loadRfm('cdnow_customers_summary.csv');
/** BTYD's cdnowSummary$cbs: same customers, unrounded t_x and T (weeks). */
export const cdnowBtyd = () => loadRfm('btyd_cdnowSummary_cbs.csv');
/** pymc-marketing clv_quickstart.csv: frequency, recency, T, monetary_value (USD). */
export const cdnowSpend = () => loadRfm('clv_quickstart.csv');
