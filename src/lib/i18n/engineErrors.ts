/**
 * Engine and model messages (errors a cell shows, fit warnings) in the UI language. The engine writes them in
 * English, with the values that explain them (row numbers, counts, dates); here each known message is matched
 * by its English wording and rewritten in 简体中文 with the same values. A message without a rule is shown in
 * English after a Chinese lead-in, so nothing is ever hidden. test/i18n/engineErrors.test.ts triggers the real
 * messages through the engine, so a reworded English message without its rule fails a test.
 */
import type { Lang } from './format.ts';

/** English pattern -> Chinese template ($1, $2, … are the pattern's groups). */
const ZH: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /^none of the (\S+) rows could be read \((.*)\); fix the file or the column mapping/,
    '$1 行数据都无法读取（$2）；请修正文件或列映射',
  ],
  [
    /^no usable rows in (.+?): (\d+) of (\d+) rows were rejected/,
    '$1 中没有可用的行：$3 行中有 $2 行被拒绝（行号和原因见导入报告）',
  ],
  [
    /^(.+?) has a single customer \((.*)\): the models compare customers/,
    '$1 只有一位客户（$2）：模型比较的是客户之间的差异，至少需要两位。请检查客户 ID 列的映射。',
  ],
  [
    /^every purchase in (.+?) is on one day \((.+?)\)/,
    '$1 中所有购买都在同一天（$2）：复购模型需要分布在不同时间的购买。请检查日期列的映射。',
  ],
  // issue 12: data (calibration, refunds, currency)
  [
    /^the calibration end (\S+) must come before the observation end \(the data run from (\S+) to (\S+)\)/,
    '校准期结束日 $1 必须早于观察期结束日（数据从 $2 到 $3）：请在数据单元中选择更早的日期，或至少一周的验证期',
  ],
  [
    /^the calibration end (\S+) must come after the first purchase \(the data run from (\S+) to (\S+)\)/,
    '校准期结束日 $1 必须晚于首次购买（数据从 $2 到 $3）：请在数据单元中选择更晚的日期',
  ],
  [
    /^a holdout of the last (\d+) weeks starts on or before the first purchase \(the data run from (\S+) to (\S+)\)/,
    '最后 $1 周的验证期从首次购买当天或之前开始（数据从 $2 到 $3）：请减少验证期周数',
  ],
  [
    /^no purchases left in (.+?) after netting (\S+) refund row\(s\)/,
    '$1 冲抵 $2 行退款后没有剩余的购买：每笔购买都被全额退款，或每一行都是退款——请检查金额列',
  ],
  [
    /^none of the (\S+) customers can be used to fit (\S+): (.*?)\. Fix the RFM file/,
    '$1 位客户都无法用于拟合 $2（$3）。请修正 RFM 文件：T 必须 > 0，recency <= T，frequency > 0 时 recency > 0',
  ],
  [
    /^the spend model \(Gamma-Gamma\) needs at least 2 customers with a repeat purchase and a positive mean repeat spend.*? \(got (\S+) of (\S+): (.*)\)\./,
    '客单价模型（Gamma-Gamma）至少需要 2 位有复购且平均复购消费为正的客户（$2 位中只有 $1 位：$3）。请在数据单元中选择更晚的校准期结束日，或检查金额列',
  ],
  [
    /^(.+?) needs a transaction log \(customer, date, amount per purchase\); this dataset is (.+?)\. /,
    '$1 需要交易明细（每笔购买的客户、日期、金额）；当前数据是 $2。请在数据单元加载交易明细，或删除本单元。',
  ],
  [/^the horizon must be at least one month \(got (.+)\)/, '预测期至少为一个月（当前为 $1）'],
  [
    /^a BG\/BB table needs the BG\/BB purchase model for the forecast \(got (.+)\)/,
    'BG/BB 表的预测需要 BG/BB 购买模型（当前为 $1）',
  ],
  [
    /^the CLV forecast needs per-customer purchases/,
    'CLV 预测需要逐位客户的购买数据（交易明细或 RFM 表）；留存表只用于留存模型单元',
  ],
  [
    /^the CLV forecast needs a BG\/NBD, Pareto\/NBD or MBG\/NBD purchase model \(got (.+)\)/,
    'CLV 预测需要 BG/NBD、Pareto/NBD 或 MBG/NBD 购买模型（当前为 $1）',
  ],
  [/^the CLV forecast needs the spend model/, 'CLV 预测需要上方有客单价模型（Gamma-Gamma）单元'],
  [
    /^the CLV forecast needs a monetary_value column/,
    'CLV 预测需要 RFM 文件中的 monetary_value 列（每次复购的平均金额）',
  ],
  [/^the CLV forecast needs an amount column/, 'CLV 预测需要金额列：请在数据单元中映射金额列'],
  [
    /^the BG\/BB residual value \(DERT\) needs a discount rate above 0%/,
    'BG/BB 剩余价值（DERT）需要大于 0% 的折现率：不折现时，预期的未来交易数可能是无穷大',
  ],
  [
    /^(\S+) needs continuous-time RFM data \(frequency, recency, T\); this dataset is a BG\/BB table/,
    '$1 需要连续时间的 RFM 数据（frequency、recency、T）；当前数据是离散购买机会的 BG/BB 表：请选择 BG/BB',
  ],
  [
    /^the purchase model needs per-customer purchases/,
    '购买模型需要逐位客户的购买数据（交易明细、RFM 表或 BG/BB 表）；留存表只用于留存模型单元',
  ],
  [
    /^BG\/BB needs a table of discrete opportunities/,
    'BG/BB 需要离散购买机会表（frequency、recency、periods）：请在数据单元加载，或选择 BG/NBD、Pareto/NBD 或 MBG/NBD',
  ],
  [/^the retention cell needs a data cell above it/, '留存模型单元需要上方有数据单元（或选择一张示例表）'],
  [
    /^the retention model needs a transaction log or a survival table \(period,alive\); the data above is a ready (\S+) summary/,
    '留存模型需要交易明细或留存表（period,alive）；上方数据是不含同期群的 $1 汇总表——请选择 Table 1 示例，或粘贴留存表',
  ],
  [/^no complete cohort period to fit/, '没有完整的同期群周期可供拟合：数据覆盖不足一个完整周期'],
  [
    /^paste or upload a survival table/,
    '请粘贴或上传留存表：表头 period,alive（或 cohort,period,alive），period 0 为同期群人数',
  ],
  [
    /^the spend model needs a monetary_value column/,
    '客单价模型需要 RFM 文件中的 monetary_value 列（每次复购的平均金额）',
  ],
  [/^the spend model needs an amount column/, '客单价模型需要金额列：请在数据单元中映射金额列'],
  [
    /^the Gamma-Gamma spend model needs spend per customer, which a BG\/BB table has not/,
    'Gamma-Gamma 客单价模型需要每位客户的消费额，而 BG/BB 表没有：预测会改用其价值列（每笔交易的价值），或只统计交易次数',
  ],
  [
    /^\w+: customer row (\d+) has frequency (\S+) but recency 0/,
    '第 $1 行客户的 frequency 为 $2，但 recency 为 0：复购发生在首次购买之后，frequency > 0 时 recency 必须 > 0（请合并首日的多次购买，`clv summarize` 就是这样汇总的）',
  ],
  [
    /^\w+: customer row (\d+) has recency (\S+) > T (\S+)/,
    '第 $1 行客户的 recency（$2）大于 T（$3）：recency 必须 ≤ T',
  ],
  [
    /^\w+ needs at least one customer with a repeat purchase \(got 0 of ([\d,]+)\)/,
    '至少需要一位有复购的客户（$1 位中为 0）；请检查 frequency 是否只统计复购，以及校准期是否足够长',
  ],
  [
    /^fitGammaGamma needs at least 2 customers with a repeat purchase and positive spend \(got (\S+) of (\S+) rows\)/,
    'Gamma-Gamma 至少需要 2 位有复购且消费额为正的客户（$2 行中只有 $1 位）',
  ],
  [
    /^fitGammaGamma needs customers whose mean spend differs/,
    'Gamma-Gamma 需要平均消费额各不相同的客户（所有行的复购次数和消费额都相同）',
  ],
  [
    /^the Hessian at the estimate is not positive definite/,
    '估计值处的 Hessian 矩阵不是正定的（似然函数平坦，或有参数落在边界上）；标准误无法计算——可尝试设置惩罚项，例如 0.001',
  ],
  [
    /^optimizer did not converge \((.+?)\); estimates may be inaccurate/,
    '优化器未收敛（$1）；估计值可能不准确——可尝试设置惩罚项，例如 0.001',
  ],
];

/** Lead-in for a message without a translation (the English original follows). */
const ZH_UNTRANSLATED = '（以下为英文原文）';

/**
 * `message` in `lang`. Example: localizeEngineMessage('zh', 'the CLV forecast needs the spend model (Gamma-Gamma)
 * above it') = 'CLV 预测需要上方有客单价模型（Gamma-Gamma）单元'. English is returned unchanged.
 */
export function localizeEngineMessage(lang: Lang, message: string): string {
  if (lang !== 'zh') return message;
  for (const [re, zh] of ZH) {
    const m = re.exec(message);
    if (m) return zh.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  return `${ZH_UNTRANSLATED}${message}`;
}

/** The English patterns (for tests: every rule must match a message the engine really produces). */
export const ENGINE_MESSAGE_PATTERNS: readonly RegExp[] = ZH.map(([re]) => re);
