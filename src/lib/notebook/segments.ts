/**
 * Customer segments from a CLV forecast: P(alive) high/low (cut at 0.5) × value high/low (cut at the
 * median CLV). Pure. Example: one customer with P(alive)=0.9 and CLV above the median -> 'activeHigh'.
 */
export type Segment = 'activeHigh' | 'activeLow' | 'atRiskHigh' | 'atRiskLow';
export const SEGMENTS: readonly Segment[] = ['activeHigh', 'activeLow', 'atRiskHigh', 'atRiskLow'];

export interface SegmentRow {
  segment: Segment;
  customers: number;
  totalClv: number;
  meanClv: number;
}

export function segmentCustomers(clv: readonly number[], pAlive: readonly number[]): SegmentRow[] {
  const sorted = [...clv].filter(Number.isFinite).sort((a, b) => a - b);
  const median = sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0;
  const acc = new Map<Segment, { n: number; sum: number }>(SEGMENTS.map((s) => [s, { n: 0, sum: 0 }]));
  for (let i = 0; i < clv.length; i++) {
    const v = Number.isFinite(clv[i]) ? clv[i] : 0;
    const alive = (pAlive[i] ?? 0) >= 0.5;
    const high = v > median;
    const seg: Segment = alive ? (high ? 'activeHigh' : 'activeLow') : high ? 'atRiskHigh' : 'atRiskLow';
    const a = acc.get(seg)!;
    a.n += 1;
    a.sum += v;
  }
  return SEGMENTS.map((s) => {
    const a = acc.get(s)!;
    return { segment: s, customers: a.n, totalClv: a.sum, meanClv: a.n ? a.sum / a.n : 0 };
  });
}
