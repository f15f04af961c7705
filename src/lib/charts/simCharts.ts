/**
 * Pure plotly spec builders for the simulator's outputs ({ data, layout }, no plotly import): fan chart of cumulative
 * cash (Monte Carlo P10/P50/P90), cumulative cash per customer and per cohort, layer cake of cohort revenue,
 * customers alive over time (with band), CLV three ways, tornado, and scenario comparison with intervals.
 * Colours: Okabe & Ito (2008) palette from ./types.ts (colour-blind safe). Labels are passed in already translated;
 * English defaults (SIM_LABELS_EN) fill anything missing, and SIM_LABELS_ZH is provided for convenience.
 * Every chart has a title, axis titles with units and hover values; money axes carry the currency code.
 */
import { PALETTE, type PlotSpec, type Trace } from './types.ts';
import type { Band, MonteCarloResult } from '../sim/monteCarlo.ts';
import type { WhatIfResult } from '../sim/unitEconomics.ts';
import type { TornadoResult } from '../sim/compare.ts';
import type { ComparisonResult } from '../sim/compare.ts';

/** Label keys the simulator charts use. `{currency}` in a label is replaced by the currency code (e.g. USD). */
export interface SimChartLabels {
  month: string;
  cashTitle: string;
  cashPerCustomer: string;
  cashPerCohort: string;
  fanTitle: string;
  median: string;
  band: string;
  expected: string;
  aliveTitle: string;
  aliveShare: string;
  aliveModel: string;
  aliveConstant: string;
  layerTitle: string;
  revenue: string;
  cohort: string;
  clvTitle: string;
  clvTextbook: string;
  clvConstant: string;
  clvModel: string;
  clvAxis: string;
  tornadoClvTitle: string;
  tornadoLtvTitle: string;
  low: string;
  high: string;
  changeInClv: string;
  changeInLtv: string;
  comparisonTitle: string;
  scenario: string;
  baseline: string;
  breakEven: string;
  payback: string;
  lever: string;
  levers: Record<string, string>;
}

/** English labels (defaults). */
export const SIM_LABELS_EN: SimChartLabels = {
  month: 'Month',
  cashTitle: 'Cumulative cash after acquisition',
  cashPerCustomer: 'Per acquired customer ({currency})',
  cashPerCohort: 'Per monthly cohort ({currency})',
  fanTitle: 'Cumulative cash per acquired customer: Monte Carlo P10–P90',
  median: 'Median (P50)',
  band: 'P10–P90',
  expected: 'Expected (deterministic)',
  aliveTitle: 'Customers still active',
  aliveShare: 'Share of acquired customers active',
  aliveModel: 'Heterogeneous retention (sBG)',
  aliveConstant: 'Constant churn',
  layerTitle: 'Revenue by acquisition cohort (layer cake)',
  revenue: 'Revenue per period ({currency})',
  cohort: 'Cohort',
  clvTitle: 'CLV per customer, three ways',
  clvTextbook: 'Textbook (AOV × frequency × lifetime)',
  clvConstant: 'Margin, discounting, constant churn',
  clvModel: 'Heterogeneous retention model',
  clvAxis: 'CLV per customer ({currency})',
  tornadoClvTitle: 'Sensitivity of CLV: each lever ±{pct}%',
  tornadoLtvTitle: 'Sensitivity of LTV:CAC: each lever ±{pct}%',
  low: 'Lever −{pct}%',
  high: 'Lever +{pct}%',
  changeInClv: 'Change in CLV per customer ({currency})',
  changeInLtv: 'Change in LTV:CAC (ratio)',
  comparisonTitle: 'Scenarios compared (bars: expected; whiskers: P10–P90)',
  scenario: 'Scenario',
  baseline: 'Baseline',
  breakEven: 'Payback',
  payback: 'Payback',
  lever: 'Lever',
  levers: {
    retentionPerPeriod: 'Retention',
    retentionHeterogeneity: 'Retention heterogeneity',
    purchasesPerYear: 'Purchases per year',
    averageOrderValue: 'Average order value',
    grossMarginPct: 'Gross margin',
    acquisitionCost: 'Acquisition cost (CAC)',
    annualDiscountRate: 'Discount rate',
    horizonMonths: 'Horizon',
    newCustomersPerPeriod: 'New customers per period',
    programmeCostPerCustomerPerPeriod: 'Programme cost',
    winBackRatePerPeriod: 'Win-back rate',
    periodMonths: 'Period length',
  },
};

/** Simplified Chinese labels. */
export const SIM_LABELS_ZH: SimChartLabels = {
  month: '月',
  cashTitle: '获客后的累计现金',
  cashPerCustomer: '每位获得的客户（{currency}）',
  cashPerCohort: '每月客群（{currency}）',
  fanTitle: '每位获得客户的累计现金：蒙特卡洛 P10–P90',
  median: '中位数（P50）',
  band: 'P10–P90',
  expected: '期望值（确定性）',
  aliveTitle: '仍然活跃的客户',
  aliveShare: '获得客户中活跃的比例',
  aliveModel: '异质留存（sBG）',
  aliveConstant: '恒定流失率',
  layerTitle: '按获客客群的收入（千层蛋糕图）',
  revenue: '每期收入（{currency}）',
  cohort: '客群',
  clvTitle: '单客 CLV 的三种算法',
  clvTextbook: '教科书（客单价 × 频次 × 生命周期）',
  clvConstant: '毛利、折现、恒定流失率',
  clvModel: '异质留存模型',
  clvAxis: '单客 CLV（{currency}）',
  tornadoClvTitle: 'CLV 敏感性：各杠杆 ±{pct}%',
  tornadoLtvTitle: 'LTV:CAC 敏感性：各杠杆 ±{pct}%',
  low: '杠杆 −{pct}%',
  high: '杠杆 +{pct}%',
  changeInClv: '单客 CLV 变化（{currency}）',
  changeInLtv: 'LTV:CAC 变化（比值）',
  comparisonTitle: '情景比较（柱：期望值；须线：P10–P90）',
  scenario: '情景',
  baseline: '基准',
  breakEven: '回本',
  payback: '回本',
  lever: '杠杆',
  levers: {
    retentionPerPeriod: '留存率',
    retentionHeterogeneity: '留存异质性',
    purchasesPerYear: '每年购买次数',
    averageOrderValue: '客单价',
    grossMarginPct: '毛利率',
    acquisitionCost: '获客成本（CAC）',
    annualDiscountRate: '折现率',
    horizonMonths: '预测期',
    newCustomersPerPeriod: '每期新客户',
    programmeCostPerCustomerPerPeriod: '计划成本',
    winBackRatePerPeriod: '召回率',
    periodMonths: '周期长度',
  },
};

type Labels = Partial<Omit<SimChartLabels, 'levers'>> & { levers?: Record<string, string> };

function merge(l: Labels | undefined): SimChartLabels {
  return { ...SIM_LABELS_EN, ...(l ?? {}), levers: { ...SIM_LABELS_EN.levers, ...(l?.levers ?? {}) } };
}

function fill(s: string, vars: Record<string, string>): string {
  return s.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

const arr = (a: ArrayLike<number>): number[] => Array.from(a, (x) => (Number.isFinite(x) ? x : 0));

/** Translucent fill of an Okabe–Ito hex colour. Example: rgba('#0072B2', 0.2) = 'rgba(0,114,178,0.2)'. */
export function rgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** P10–P90 band as two traces (lower edge invisible, upper edge filled down to it). */
function bandTraces(
  x: number[],
  band: Pick<Band, 'p10' | 'p90'>,
  color: string,
  name: string,
  yaxis?: string,
): Trace[] {
  const common = yaxis ? { yaxis } : {};
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: arr(band.p10),
      line: { width: 0, color },
      showlegend: false,
      name: 'P10',
      hovertemplate: 'P10: %{y:,.2f}<extra></extra>',
      ...common,
    },
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: arr(band.p90),
      fill: 'tonexty',
      fillcolor: rgba(color, 0.22),
      line: { width: 0, color },
      name,
      hovertemplate: 'P90: %{y:,.2f}<extra></extra>',
      ...common,
    },
  ];
}

function zeroLine(): Record<string, unknown> {
  return { type: 'line', xref: 'paper', x0: 0, x1: 1, y0: 0, y1: 0, line: { color: '#000000', width: 1 } };
}

function paybackShape(month: number | null, color: string): Record<string, unknown>[] {
  return month === null
    ? []
    : [
        {
          type: 'line',
          x0: month,
          x1: month,
          yref: 'paper',
          y0: 0,
          y1: 1,
          line: { color, width: 1.5, dash: 'dot' },
        },
      ];
}

/**
 * Fan chart: Monte Carlo P10–P90 band and median of cumulative cash per acquired customer by month, with the
 * deterministic expectation dashed and the payback month marked. Example: fanChart(mc, det, 'USD').data.length = 4.
 */
export function fanChart(
  mc: MonteCarloResult,
  det: WhatIfResult | null,
  currency: string,
  labels?: Labels,
): PlotSpec {
  const l = merge(labels);
  const x = arr(mc.cumulativeMonths);
  const data: Trace[] = [];
  const band = mc.cumulativeCashPerCustomer;
  if (band) {
    data.push(...bandTraces(x, band, PALETTE[0], l.band));
    data.push({
      type: 'scatter',
      mode: 'lines',
      x,
      y: arr(band.p50),
      name: l.median,
      line: { color: PALETTE[0], width: 3 },
      hovertemplate: `${l.month} %{x}: %{y:,.2f} ${currency}<extra>${l.median}</extra>`,
    });
  }
  if (det) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: arr(det.cumulativeMonths),
      y: arr(det.cumulativeCashPerCustomer),
      name: l.expected,
      line: { color: PALETTE[1], width: 2, dash: 'dash' },
      hovertemplate: `${l.month} %{x}: %{y:,.2f} ${currency}<extra>${l.expected}</extra>`,
    });
  }
  return {
    data,
    layout: {
      title: { text: l.fanTitle },
      xaxis: { title: { text: l.month } },
      yaxis: { title: { text: fill(l.cashPerCustomer, { currency }) }, zeroline: false },
      shapes: [zeroLine(), ...paybackShape(det ? det.paybackMonths : null, PALETTE[1])],
      legend: { orientation: 'h', y: -0.2 },
      hovermode: 'x unified',
    },
  };
}

/**
 * Cumulative undiscounted cash per acquired customer (left axis) and per monthly cohort (right axis), payback and
 * break-even months marked. Example: cumulativeCashChart(det, 'BRL').layout.yaxis2 is the cohort axis.
 */
export function cumulativeCashChart(det: WhatIfResult, currency: string, labels?: Labels): PlotSpec {
  const l = merge(labels);
  const x = arr(det.cumulativeMonths);
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        x,
        y: arr(det.cumulativeCashPerCustomer),
        name: fill(l.cashPerCustomer, { currency }),
        line: { color: PALETTE[0], width: 3 },
        hovertemplate: `%{y:,.2f} ${currency}<extra></extra>`,
      },
      {
        type: 'scatter',
        mode: 'lines',
        x,
        y: arr(det.cumulativeCashPerCohort),
        name: fill(l.cashPerCohort, { currency }),
        yaxis: 'y2',
        line: { color: PALETTE[2], width: 2, dash: 'dash' },
        hovertemplate: `%{y:,.0f} ${currency}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: l.cashTitle },
      xaxis: { title: { text: l.month } },
      yaxis: { title: { text: fill(l.cashPerCustomer, { currency }) }, zeroline: true },
      yaxis2: {
        title: { text: fill(l.cashPerCohort, { currency }) },
        overlaying: 'y',
        side: 'right',
        zeroline: false,
        showgrid: false,
      },
      shapes: [zeroLine(), ...paybackShape(det.paybackMonths, PALETTE[0])],
      legend: { orientation: 'h', y: -0.2 },
      hovermode: 'x unified',
    },
  };
}

/**
 * Layer cake: revenue of each acquisition cohort stacked over time (Fader & Hardie's picture of how a customer
 * base is built). Cohorts beyond `maxLayers` are merged into groups of equal size so the chart stays readable.
 * Example: layerCake(det, 'EUR', undefined, 12).data.length <= 12.
 */
export function layerCake(det: WhatIfResult, currency: string, labels?: Labels, maxLayers = 12): PlotSpec {
  const l = merge(labels);
  const T = det.periods;
  const pm = det.inputs.periodMonths;
  const x = arr(det.periodStartMonths);
  const group = Math.max(1, Math.ceil(T / Math.max(1, maxLayers)));
  const data: Trace[] = [];
  for (let g0 = 0, layer = 0; g0 < T; g0 += group, layer++) {
    const g1 = Math.min(T, g0 + group);
    const y = new Array<number>(T).fill(0);
    for (let k = g0; k < g1; k++) for (let t = k; t < T; t++) y[t] += det.layerCake[k * T + t];
    const name =
      g1 - g0 === 1
        ? `${l.cohort} ${l.month} ${g0 * pm}`
        : `${l.cohort} ${l.month} ${g0 * pm}–${(g1 - 1) * pm}`;
    data.push({
      type: 'scatter',
      mode: 'lines',
      stackgroup: 'cake',
      x,
      y: arr(y),
      name,
      line: { width: 0.5, color: PALETTE[layer % 7] },
      hovertemplate: `${name}<br>${l.month} %{x}: %{y:,.0f} ${currency}<extra></extra>`,
    });
  }
  return {
    data,
    layout: {
      title: { text: l.layerTitle },
      xaxis: { title: { text: l.month } },
      yaxis: { title: { text: fill(l.revenue, { currency }) } },
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}

/**
 * Share of acquired customers active by month: heterogeneous model vs constant churn, with the Monte Carlo band
 * when given. Example: aliveChart(det, mc).layout.yaxis.tickformat = '.0%'.
 */
export function aliveChart(det: WhatIfResult, mc: MonteCarloResult | null, labels?: Labels): PlotSpec {
  const l = merge(labels);
  const x = arr(det.periodStartMonths);
  const data: Trace[] = [];
  if (mc && mc.alivePerCustomer)
    data.push(...bandTraces(arr(mc.periodStartMonths), mc.alivePerCustomer, PALETTE[0], l.band));
  data.push(
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: arr(det.alivePerCustomer),
      name: l.aliveModel,
      line: { color: PALETTE[0], width: 3 },
      hovertemplate: `${l.month} %{x}: %{y:.1%}<extra>${l.aliveModel}</extra>`,
    },
    {
      type: 'scatter',
      mode: 'lines',
      x,
      y: arr(det.aliveConstantChurn),
      name: l.aliveConstant,
      line: { color: PALETTE[3], width: 2, dash: 'dash' },
      hovertemplate: `${l.month} %{x}: %{y:.1%}<extra>${l.aliveConstant}</extra>`,
    },
  );
  return {
    data,
    layout: {
      title: { text: l.aliveTitle },
      xaxis: { title: { text: l.month } },
      yaxis: { title: { text: l.aliveShare }, tickformat: '.0%', range: [0, 1.02] },
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}

/** CLV three ways as bars (textbook, constant churn, model), values printed on the bars. */
export function clvThreeWaysChart(det: WhatIfResult, currency: string, labels?: Labels): PlotSpec {
  const l = merge(labels);
  // Horizontal bars, textbook on top: the long method names read left to right instead of rotated under
  // narrow columns; a name's parenthesis goes to a second line.
  const names = [l.clvModel, l.clvConstant, l.clvTextbook].map((n) => n.replace(/\s*([（(])/, '<br>$1'));
  const values = [det.clvModel, det.clvConstantChurn, det.clvTextbook];
  return {
    data: [
      {
        type: 'bar',
        orientation: 'h',
        y: names,
        x: arr(values),
        marker: { color: [PALETTE[0], PALETTE[1], PALETTE[7]] },
        text: values.map((v) => v.toLocaleString('en-US', { maximumFractionDigits: 2 })),
        textposition: 'outside',
        cliponaxis: false,
        hovertemplate: `%{y}: %{x:,.2f} ${currency}<extra></extra>`,
      },
    ],
    layout: {
      title: { text: l.clvTitle },
      xaxis: { title: { text: fill(l.clvAxis, { currency }) }, rangemode: 'tozero' },
      yaxis: { title: { text: '' }, automargin: true },
      margin: { r: 56 }, // room for the value printed after the longest bar
      showlegend: false,
    },
  };
}

/**
 * Tornado: for each lever the change in the metric when the lever moves down (left colour) and up (right colour),
 * sorted so the largest swing is on top. `metric` = 'clv' or 'ltvToCac'.
 * Example: tornadoChart(tornado(inputs), 'clv', 'USD').data.length = 2.
 */
export function tornadoChart(
  result: TornadoResult,
  metric: 'clv' | 'ltvToCac',
  currency: string,
  labels?: Labels,
): PlotSpec {
  const l = merge(labels);
  const pct = String(Math.round(result.relativeChange * 1000) / 10);
  const bars = (metric === 'clv' ? result.rankedByClv : result.rankedByLtvToCac).slice().reverse(); // plotly draws bottom-up
  const base = metric === 'clv' ? result.baseline.clvModel : (result.baseline.ltvToCac ?? 0);
  const lo = bars.map((b) => (metric === 'clv' ? b.clvLow : (b.ltvToCacLow ?? base)) - base);
  const hi = bars.map((b) => (metric === 'clv' ? b.clvHigh : (b.ltvToCacHigh ?? base)) - base);
  const names = bars.map((b) => l.levers[b.lever] ?? b.lever);
  const unit = metric === 'clv' ? ` ${currency}` : '';
  return {
    data: [
      {
        type: 'bar',
        orientation: 'h',
        y: names,
        x: arr(lo),
        name: fill(l.low, { pct }),
        marker: { color: PALETTE[3] },
        hovertemplate: `%{y}: %{x:+,.2f}${unit}<extra>${fill(l.low, { pct })}</extra>`,
      },
      {
        type: 'bar',
        orientation: 'h',
        y: names,
        x: arr(hi),
        name: fill(l.high, { pct }),
        marker: { color: PALETTE[0] },
        hovertemplate: `%{y}: %{x:+,.2f}${unit}<extra>${fill(l.high, { pct })}</extra>`,
      },
    ],
    layout: {
      title: { text: fill(metric === 'clv' ? l.tornadoClvTitle : l.tornadoLtvTitle, { pct }) },
      barmode: 'overlay',
      xaxis: {
        title: { text: fill(metric === 'clv' ? l.changeInClv : l.changeInLtv, { currency }) },
        zeroline: true,
      },
      yaxis: { title: { text: l.lever }, automargin: true },
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}

/**
 * Scenario comparison: expected CLV per customer for the baseline and each variant, with P10–P90 whiskers from the
 * paired Monte Carlo when available. `names` are the scenario titles (baseline first).
 * Example: comparisonChart(compareScenarios(b, [v], {}), ['Baseline', 'Reminders'], 'CNY').data[0].error_y exists.
 */
export function comparisonChart(
  cmp: ComparisonResult,
  names: readonly string[],
  currency: string,
  labels?: Labels,
): PlotSpec {
  const l = merge(labels);
  const x = cmp.rows.map((_, i) => names[i] ?? (i === 0 ? l.baseline : `${l.scenario} ${i}`));
  const y = cmp.rows.map((r) => r.metrics.clvModel);
  const hasMc = cmp.rows.every((r) => r.intervals !== null);
  const trace: Trace = {
    type: 'bar',
    x,
    y: arr(y),
    marker: { color: cmp.rows.map((_, i) => PALETTE[i % 7]) },
    hovertemplate: `%{x}: %{y:,.2f} ${currency}<extra></extra>`,
  };
  if (hasMc) {
    trace.error_y = {
      type: 'data',
      symmetric: false,
      array: arr(cmp.rows.map((r, i) => Math.max(0, (r.intervals?.clv.p90 ?? y[i]) - y[i]))),
      arrayminus: arr(cmp.rows.map((r, i) => Math.max(0, y[i] - (r.intervals?.clv.p10 ?? y[i])))),
      color: '#000000',
    };
  }
  return {
    data: [trace],
    layout: {
      title: { text: l.comparisonTitle },
      xaxis: { title: { text: l.scenario } },
      yaxis: { title: { text: fill(l.clvAxis, { currency }) }, rangemode: 'tozero' },
      showlegend: false,
    },
  };
}
