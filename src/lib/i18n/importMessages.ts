/**
 * The import report's rejected-row reasons and messages in the UI language, rendered from the importer's
 * machine-readable `code` + `params` (see RejectCode and ImportMessage in src/lib/data/types.ts). Pure: no DOM.
 * The English rendering reproduces the importer's own English text (a test checks they stay equal); any unknown
 * code, or params missing a value a template needs, falls back to the importer's English `reason` / `text`, so
 * nothing is ever lost. Raw values from the file are quoted exactly as written.
 * Example: rejectText('zh', { code: 'date-not-real', params: { value: '31/02/2024' }, reason: '…' })
 * = '日期“31/02/2024”不是真实存在的日期'.
 */
import type { MessageParams } from '../data/types.ts';
import { formatNumber, type Lang } from './format.ts';

/** What a rejected row carries (RejectedRow minus line/raw); `code` may be any string (unknown -> fallback). */
export interface CodedReject {
  code: string;
  params: MessageParams;
  /** The importer's English reason (the fallback). */
  reason: string;
}

/** What an import message carries; `text` is the importer's English (the fallback). */
export interface CodedMessage {
  code: string;
  params: MessageParams;
  text: string;
}

/** Every reject code the importer produces (defined once, in src/lib/data/types.ts). */
export { REJECT_CODES } from '../data/types.ts';

/** Every message code the importer produces (ImportMessage.code list in src/lib/data/types.ts). */
export const MESSAGE_CODES = [
  'fatal',
  'preamble',
  'no-header',
  'no-amount',
  'mapping',
  'amount-from-price',
  'mixed-dates',
  'dotted-dates',
  'ambiguous-dates',
  'negative-amounts',
  'bad-quantity',
  'single-customer',
  'one-day',
  'rejects-truncated',
  'currency',
  'mixed-currencies',
  'refunds-netted',
  'refunds-unmatched',
  'holdout-only',
] as const;

/** Causes of a `fatal` message / reject (params.cause). */
export const FATAL_CAUSES = [
  'binary',
  'no-complete-row',
  'unknown-column',
  'missing-column',
  'empty-file',
  'blank-only',
  'no-data-rows',
  'no-row-readable',
] as const;

/** Thrown inside a template when a param it needs is absent: the caller falls back to the English text. */
class MissingParam extends Error {}

/** Param reader: `s(name)` the value as text, `n(name)` a number (count) formatted per language. */
interface P {
  s(name: string): string;
  n(name: string): string;
  /** A number as written in the English text (no grouping: line numbers, field counts). */
  raw(name: string): string;
  has(name: string): boolean;
  get(name: string): string | number | undefined;
}

function reader(lang: Lang, params: MessageParams): P {
  const get = (name: string): string | number => {
    const v = params?.[name];
    if (v === undefined || v === null) throw new MissingParam(name);
    return v;
  };
  return {
    s: (name) => String(get(name)),
    n: (name) => {
      const v = get(name);
      return typeof v === 'number' ? formatNumber(lang, v, 0) : String(v);
    },
    raw: (name) => {
      const v = get(name);
      return lang === 'en' || typeof v !== 'number' ? String(v) : formatNumber(lang, v, 0);
    },
    has: (name) => params?.[name] !== undefined,
    get: (name) => params?.[name],
  };
}

const ROLE: Record<Lang, Record<string, string>> = {
  en: {
    customer: 'customer id',
    date: 'date',
    amount: 'amount',
    quantity: 'quantity',
    orderId: 'order id',
    channel: 'channel',
  },
  zh: {
    customer: '客户编号',
    date: '日期',
    amount: '金额',
    quantity: '数量',
    orderId: '订单号',
    channel: '渠道',
  },
};

const BINARY: Record<Lang, Record<string, string>> = {
  en: {
    zip: 'a zip archive (an Excel .xlsx workbook?)',
    xls: 'an old Excel .xls workbook',
    pdf: 'a PDF document',
    gzip: 'a gzip-compressed file',
    parquet: 'a Parquet file',
    binary: 'binary data',
  },
  zh: {
    zip: 'zip 压缩包（Excel .xlsx 工作簿？）',
    xls: '旧版 Excel .xls 工作簿',
    pdf: 'PDF 文档',
    gzip: 'gzip 压缩文件',
    parquet: 'Parquet 文件',
    binary: '二进制数据',
  },
};

function lookup(table: Record<string, string>, key: string): string {
  const v = table[key];
  if (v === undefined) throw new MissingParam(key);
  return v;
}

/** Short Chinese reason per reject code, without values (used inside `no-row-readable`, which only has the code). */
const ZH_SHORT: Record<string, string> = {
  'empty-row': '该行为空（只有分隔符）',
  'unclosed-quote': '引号未闭合',
  'too-few-fields': '字段数少于表头',
  'too-many-fields': '字段数多于表头',
  'date-empty': '日期为空',
  'date-not-a-date': '日期无法识别',
  'date-not-real': '日期不是真实存在的日期',
  'date-not-real-order': '按所用的日/月顺序，日期不是真实存在的日期',
  'date-out-of-range': '日期超出支持范围',
  'amount-empty': '金额为空',
  'amount-not-a-number': '金额不是数字',
  'amount-too-large': '金额过大',
  'quantity-empty': '数量为空',
  'quantity-not-a-number': '数量不是数字',
  'customer-empty': '客户编号为空',
  'refund-unmatched': '退款找不到可冲抵的购买',
};

/** English thousands grouping exactly as the importer's formatCount (1204 -> "1,204"). */
function countEn(v: string | number): string {
  return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function fatalText(lang: Lang, p: P): string {
  const cause = p.s('cause');
  if (lang === 'en') {
    switch (cause) {
      case 'binary':
        return `this is ${lookup(BINARY.en, p.s('format'))}, not a text file: save it as CSV (UTF-8) first, with a header row and one row per transaction`;
      case 'no-complete-row':
        return `no complete row in the first ${p.s('kb')} KB: check the quoting near the top of the file`;
      case 'unknown-column': {
        const c = p.get('column');
        return `no column ${typeof c === 'number' ? `number ${c}` : `"${p.s('column')}"`} for the ${lookup(ROLE.en, p.s('role'))} (columns found: ${p.s('columns')})`;
      }
      case 'missing-column': {
        const role = p.s('role');
        return `no ${lookup(ROLE.en, role)} column found (columns found: ${p.s('columns')}); name it explicitly (CLI: --${role === 'customer' ? 'customer' : 'date'} NAME)`;
      }
      case 'empty-file':
        return 'the file is empty: choose a CSV/TSV file with a header row and one row per transaction (customer id, date, amount)';
      case 'blank-only':
        return 'the file has only blank lines: choose a file with a header row and one row per transaction';
      case 'no-data-rows':
        return `the file has a header (${p.s('columns')}) but no data rows`;
      case 'no-row-readable':
        return `none of the ${countEn(p.s('rows'))} rows could be read (line ${p.s('line')}: ${p.s('reason')}); fix the file or the column mapping`;
    }
    throw new MissingParam('cause');
  }
  switch (cause) {
    case 'binary':
      return `这是${lookup(BINARY.zh, p.s('format'))}，不是文本文件：请先另存为 CSV（UTF-8），带表头行，每笔交易一行`;
    case 'no-complete-row':
      return `文件开头 ${p.n('kb')} KB 内没有一行完整的数据：请检查文件开头附近的引号`;
    case 'unknown-column': {
      const c = p.get('column');
      const col = typeof c === 'number' ? `第 ${p.n('column')} 列` : `“${p.s('column')}”列`;
      return `找不到作为${lookup(ROLE.zh, p.s('role'))}的${col}（文件中的列：${p.s('columns')}）`;
    }
    case 'missing-column': {
      const role = p.s('role');
      return `找不到${lookup(ROLE.zh, role)}列（文件中的列：${p.s('columns')}）；请明确指定该列（命令行：--${role === 'customer' ? 'customer' : 'date'} 列名）`;
    }
    case 'empty-file':
      return '文件为空：请选择带表头行、每笔交易一行（客户编号、日期、金额）的 CSV/TSV 文件';
    case 'blank-only':
      return '文件只有空行：请选择带表头行、每笔交易一行的文件';
    case 'no-data-rows':
      return `文件有表头（${p.s('columns')}），但没有数据行`;
    case 'no-row-readable': {
      const code = p.s('reasonCode');
      const why = ZH_SHORT[code] ?? p.s('reason');
      return `全部 ${p.n('rows')} 行都无法读取（第 ${p.raw('line')} 行：${why}）；请修正文件或列映射`;
    }
  }
  throw new MissingParam('cause');
}

function delimiterEn(d: string): string {
  return d === '\t' ? '\\t' : d === 'whitespace' ? ' ' : d;
}

function rejectEn(code: string, p: P): string {
  switch (code) {
    case 'fatal':
      return fatalText('en', p);
    case 'empty-row':
      return 'row is empty (only delimiters)';
    case 'unclosed-quote':
      return 'a quoted field opens with " and never closes (the quote was read as text); check the quoting of this row';
    case 'too-few-fields': {
      const nf = p.s('fields');
      return `row has ${nf} field${nf === '1' ? '' : 's'} but the header has ${p.s('expected')} (missing ${p.s('missing')})`;
    }
    case 'too-many-fields':
      return `row has ${p.s('fields')} fields but the header has ${p.s('expected')} (an unquoted "${delimiterEn(p.s('delimiter'))}" inside a value? quote such values)`;
    case 'date-empty':
      return 'date is empty';
    case 'date-not-a-date':
      return `date "${p.s('value')}" is not a date (expected e.g. 2024-03-31, 20240331, 31/03/2024)`;
    case 'date-not-real':
      return `date "${p.s('value')}" is not a real date`;
    case 'date-not-real-order': {
      const by = p.s('decidedBy');
      const how = p.s('order');
      let decided = '';
      if (by === 'line') decided = `, decided by line ${p.s('evidenceLine')} "${p.s('evidenceValue')}"`;
      else if (by === 'sample') {
        const first = how === 'DD/MM/YYYY' ? 'first' : 'second';
        decided = `, decided by ${p.s('evidenceRows')} date(s) in the first rows whose ${first} number is above 12`;
      }
      return `date "${p.s('value')}" is not a real date (dates are read as ${how}${decided})`;
    }
    case 'date-out-of-range':
      return `date "${p.s('value')}" is out of the supported range (years ${p.s('minYear')} to ${p.s('maxYear')}): a typo or a placeholder date? fix it or remove the row`;
    case 'amount-empty':
      return 'amount is empty';
    case 'amount-not-a-number':
      return `amount "${p.s('value')}" is not a number`;
    case 'amount-too-large': {
      const v = p.s('value');
      // quantity × unit price values are written `q × price` (unquoted) by the importer
      const shown = v.includes(' × ') ? `${v} (quantity × unit price)` : `"${v}"`;
      return `amount ${shown} is too large (over 1e15 in absolute value): check the amount column and its decimal separator`;
    }
    case 'quantity-empty':
      return `quantity is empty (the amount is quantity × "${p.s('priceColumn')}")`;
    case 'quantity-not-a-number':
      return `quantity "${p.s('value')}" is not a number`;
    case 'customer-empty':
      return 'customer id is empty';
    case 'refund-unmatched':
      return p.has('order')
        ? `refund ${p.s('amount')} of order "${p.s('order')}" has no purchase of that order in the file: left out`
        : `refund ${p.s('amount')} on ${p.s('date')} has no earlier purchase by customer "${p.s('customer')}" to net against: left out`;
  }
  throw new MissingParam('code');
}

function delimiterZh(d: string): string {
  return d === '\t' ? '制表符' : d === 'whitespace' ? '空格' : `“${d}”`;
}

function rejectZh(code: string, p: P): string {
  switch (code) {
    case 'fatal':
      return fatalText('zh', p);
    case 'empty-row':
      return '该行为空（只有分隔符）';
    case 'unclosed-quote':
      return '有字段以 " 开头但引号始终没有闭合（引号被当作文本读取）；请检查这一行的引号';
    case 'too-few-fields':
      return `该行有 ${p.n('fields')} 个字段，但表头有 ${p.n('expected')} 列（缺少 ${p.s('missing')}）`;
    case 'too-many-fields':
      return `该行有 ${p.n('fields')} 个字段，但表头只有 ${p.n('expected')} 列（某个值中含有未加引号的${delimiterZh(p.s('delimiter'))}？请给这类值加上引号）`;
    case 'date-empty':
      return '日期为空';
    case 'date-not-a-date':
      return `日期“${p.s('value')}”无法识别为日期（应类似 2024-03-31、20240331、31/03/2024）`;
    case 'date-not-real':
      return `日期“${p.s('value')}”不是真实存在的日期`;
    case 'date-not-real-order': {
      const by = p.s('decidedBy');
      const how = p.s('order');
      let decided = '';
      if (by === 'line') decided = `；依据：第 ${p.raw('evidenceLine')} 行的“${p.s('evidenceValue')}”`;
      else if (by === 'sample') {
        const which = how === 'DD/MM/YYYY' ? '第一个' : '第二个';
        decided = `；依据：前几行中有 ${p.n('evidenceRows')} 个日期的${which}数大于 12`;
      }
      return `日期“${p.s('value')}”不是真实存在的日期（日期按 ${how} 读取${decided}）`;
    }
    case 'date-out-of-range':
      return `日期“${p.s('value')}”超出支持范围（${p.s('minYear')} 年至 ${p.s('maxYear')} 年）：是输入错误还是占位日期？请修正或删除该行`;
    case 'amount-empty':
      return '金额为空';
    case 'amount-not-a-number':
      return `金额“${p.s('value')}”不是数字`;
    case 'amount-too-large': {
      const v = p.s('value');
      const shown = v.includes(' × ') ? ` ${v}（数量 × 单价）` : `“${v}”`;
      return `金额${shown}过大（绝对值超过 1e15）：请检查金额列及其小数分隔符`;
    }
    case 'quantity-empty':
      return `数量为空（金额 = 数量 × “${p.s('priceColumn')}”）`;
    case 'quantity-not-a-number':
      return `数量“${p.s('value')}”不是数字`;
    case 'customer-empty':
      return '客户编号为空';
    case 'refund-unmatched':
      return p.has('order')
        ? `订单“${p.s('order')}”的退款 ${p.s('amount')} 在文件中找不到该订单的购买：未使用`
        : `${p.s('date')} 的退款 ${p.s('amount')} 找不到客户“${p.s('customer')}”在此之前的购买可冲抵：未使用`;
  }
  throw new MissingParam('code');
}

const HOW: Record<Lang, Record<string, string>> = {
  en: { content: 'from its values', header: 'from its name', explicit: 'as given' },
  zh: { content: '根据列中的值', header: '根据列名', explicit: '按指定' },
};

function mappingText(lang: Lang, params: MessageParams): string {
  const roles = Object.keys(params ?? {}).filter((k) => !k.endsWith('How'));
  if (roles.length === 0) throw new MissingParam('mapping');
  const parts = roles.map((r) => {
    const name = String(params[r]);
    const how = lookup(HOW[lang], String(params[`${r}How`]));
    return lang === 'en'
      ? `${lookup(ROLE.en, r)} = "${name}" (${how})`
      : `${lookup(ROLE.zh, r)} =“${name}”（${how}）`;
  });
  return lang === 'en' ? `columns: ${parts.join(', ')}` : `列：${parts.join('；')}`;
}

function messageEn(code: string, p: P, params: MessageParams): string {
  switch (code) {
    case 'fatal':
      return fatalText('en', p);
    case 'preamble':
      return `skipped ${p.s('lines')} line(s) before the header row`;
    case 'no-header':
      return `no header row: the first row holds data, columns are named "column 1" … "column ${p.s('columns')}"`;
    case 'no-amount':
      return `no amount column found (columns found: ${p.s('columns')}): monetary values are not computed; name it explicitly (CLI: --amount NAME) if the file has one`;
    case 'mapping':
      return mappingText('en', params);
    case 'amount-from-price':
      return `amount = "${p.s('quantity')}" × "${p.s('price')}" (a unit price column and a quantity column; name an amount column explicitly to override)`;
    case 'mixed-dates':
      return `the date column mixes DD/MM (${p.s('dmyRows')} rows) and MM/DD (${p.s('mdyRows')} rows) dates in its first rows; read as ${p.s('order')} (the majority); rows that are not real dates that way are rejected`;
    case 'dotted-dates':
      return `dates like "${p.s('example')}" were read as DD.MM.YYYY (day first)`;
    case 'ambiguous-dates':
      return `dates like "${p.s('example')}" could be DD/MM/YYYY or MM/DD/YYYY and no date in the file has a day above 12; they were read as DD/MM/YYYY — choose the order (CLI: --date-format DD/MM/YYYY or MM/DD/YYYY)`;
    case 'negative-amounts':
      return `${countEn(p.s('rows'))} row(s) have a negative amount (refunds/returns): each is netted against its order (by order id when there is an order column, else against the customer's latest earlier purchase) and never counts as a purchase`;
    case 'currency':
      return `amounts are in ${p.s('code')} (a currency sign or code on ${countEn(p.s('rows'))} row(s))${p.s('yen') === '1' ? "; ¥ is also the Japanese yen's sign: choose JPY in the data cell if these are yen" : ''}`;
    case 'mixed-currencies':
      return `amounts carry more than one currency (rows per currency: ${p.s('codes')}): they are added up as written — convert them to one currency first`;
    case 'refunds-netted':
      return `${countEn(p.s('rows'))} refund row(s) totalling ${p.s('amount')} were netted against their purchases (${countEn(p.s('byOrder'))} by order id, ${countEn(p.s('byPurchase'))} against the customer's latest earlier purchase); ${countEn(p.s('fullyRefunded'))} fully refunded purchase(s) (net <= 0) are not counted as purchases`;
    case 'refunds-unmatched':
      return `${countEn(p.s('rows'))} refund row(s) have no purchase to net against and are left out (listed with the rejected rows)`;
    case 'holdout-only':
      return `${countEn(p.s('customers'))} customer(s) first bought on or after the calibration end ${p.s('date')} (no calibration history) and are used only in the holdout: left out of the calibration RFM the purchase and spend models fit on (the forecast still values them from their purchases up to the observation end)`;
    case 'bad-quantity':
      return `${countEn(p.s('rows'))} row(s) have an unreadable quantity (kept, quantity left blank)`;
    case 'single-customer':
      return `all ${countEn(p.s('rows'))} accepted rows belong to one customer: the models need many customers — check the customer id column`;
    case 'one-day':
      return `all purchases are on one day (${p.s('date')}): recency and T are 0 and there are no repeat purchases — the models need purchases spread over time; check the date column`;
    case 'rejects-truncated':
      return `every row is rejected for the same reason; the first ${p.s('listed')} are listed`;
  }
  throw new MissingParam('code');
}

function messageZh(code: string, p: P, params: MessageParams): string {
  switch (code) {
    case 'fatal':
      return fatalText('zh', p);
    case 'preamble':
      return `跳过了表头行之前的 ${p.n('lines')} 行`;
    case 'no-header':
      return `没有表头行：第一行就是数据，各列依次命名为“column 1”…“column ${p.s('columns')}”`;
    case 'no-amount':
      return `找不到金额列（文件中的列：${p.s('columns')}）：不计算金额相关的值；如果文件中有金额列，请明确指定（命令行：--amount 列名）`;
    case 'mapping':
      return mappingText('zh', params);
    case 'amount-from-price':
      return `金额 =“${p.s('quantity')}”×“${p.s('price')}”（单价列乘以数量列；如需改用其他金额列，请明确指定）`;
    case 'mixed-dates':
      return `日期列的前几行中既有 DD/MM 日期（${p.n('dmyRows')} 行）也有 MM/DD 日期（${p.n('mdyRows')} 行）；按多数读作 ${p.s('order')}，按此顺序不是真实日期的行被拒绝`;
    case 'dotted-dates':
      return `“${p.s('example')}”这类日期按 DD.MM.YYYY（日在前）读取`;
    case 'ambiguous-dates':
      return `“${p.s('example')}”这类日期既可能是 DD/MM/YYYY 也可能是 MM/DD/YYYY，且文件中没有日大于 12 的日期；已按 DD/MM/YYYY 读取——请选择日期顺序（命令行：--date-format DD/MM/YYYY 或 MM/DD/YYYY）`;
    case 'negative-amounts':
      return `${p.n('rows')} 行的金额为负（退款/退货）：每笔都与其订单冲抵（有订单号列时按订单号，否则冲抵该客户此前最近的一次购买），不算作购买`;
    case 'currency':
      return `金额币种为 ${p.s('code')}（${p.n('rows')} 行带有货币符号或代码）${p.s('yen') === '1' ? '；¥ 也是日元的符号：如果这些是日元，请在数据单元中选择 JPY' : ''}`;
    case 'mixed-currencies':
      return `金额中有不止一种货币（各货币行数：${p.s('codes')}）：按原样相加——请先换算成同一种货币`;
    case 'refunds-netted':
      return `${p.n('rows')} 行退款（合计 ${p.s('amount')}）已与对应购买冲抵（按订单号 ${p.n('byOrder')} 行，冲抵该客户此前最近一次购买 ${p.n('byPurchase')} 行）；${p.n('fullyRefunded')} 笔全额退款的购买（净额 <= 0）不计为购买`;
    case 'refunds-unmatched':
      return `${p.n('rows')} 行退款找不到可冲抵的购买，未使用（与被拒绝的行一起列出）`;
    case 'holdout-only':
      return `${p.n('customers')} 位客户在校准期结束日 ${p.s('date')} 当天或之后才首次购买（没有校准期历史），只用于验证期：不进入购买和消费模型拟合所用的校准期 RFM（预测仍按其截至观察期结束的购买为其估值）`;
    case 'bad-quantity':
      return `${p.n('rows')} 行的数量无法读取（已保留，数量留空）`;
    case 'single-customer':
      return `全部 ${p.n('rows')} 条有效记录都属于同一位客户：模型需要许多客户——请检查客户编号列`;
    case 'one-day':
      return `所有购买都在同一天（${p.s('date')}）：最近购买时间和观察期 T 均为 0，也没有重复购买——模型需要分布在一段时间内的购买记录；请检查日期列`;
    case 'rejects-truncated':
      return `所有行都因同一原因被拒绝；仅列出前 ${p.n('listed')} 行`;
  }
  throw new MissingParam('code');
}

function safely(render: () => string, fallback: string): string {
  try {
    return render();
  } catch (e) {
    if (e instanceof MissingParam) return fallback;
    throw e;
  }
}

/**
 * A rejected row's reason in `lang`, from its code + params; the English `reason` when the code is unknown or a
 * value is missing. Example: rejectText('en', { code: 'date-empty', params: {}, reason: 'date is empty' }) = 'date is empty'.
 */
export function rejectText(lang: Lang, r: CodedReject): string {
  const p = reader(lang, r.params ?? {});
  return safely(() => (lang === 'zh' ? rejectZh(r.code, p) : rejectEn(r.code, p)), r.reason);
}

/**
 * An import message in `lang`, from its code + params; the English `text` when the code is unknown or a value is
 * missing. Example: importMessageText('zh', { code: 'preamble', params: { lines: 2 }, text: '…' }) = '跳过了表头行之前的 2 行'.
 */
export function importMessageText(lang: Lang, m: CodedMessage): string {
  const params = m.params ?? {};
  const p = reader(lang, params);
  return safely(() => (lang === 'zh' ? messageZh(m.code, p, params) : messageEn(m.code, p, params)), m.text);
}
