/**
 * Locale-aware formatting with `Intl` (pure: no DOM, no clock). `lang` is the UI language; numbers,
 * currencies and dates follow its conventions (en-US: 1,234.5 / $; zh-CN: 1,234.5 / ¥ written as CN¥ only when
 * ambiguous). Non-finite input prints as an em dash so the UI never shows NaN.
 */
import { en, type Dictionary, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

/** The UI languages. */
export type Lang = 'en' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'zh'];
/** BCP 47 locale used for Intl formatting of each UI language. */
export const LOCALE: Record<Lang, string> = { en: 'en-US', zh: 'zh-CN' };
const DICTS: Record<Lang, Dictionary> = { en, zh };

/** Currencies the workbench formats (ISO 4217), in the order the data cell offers them. */
export const CURRENCIES = ['USD', 'CNY', 'EUR', 'GBP', 'BRL', 'JPY'] as const;
export type Currency = (typeof CURRENCIES)[number];

/**
 * The one table of currency signs, for chart axes and tick prefixes (numbers in text use formatCurrency).
 * ¥ serves both CNY and JPY, as on receipts; the data cell names the code beside it.
 */
export const CURRENCY_SYMBOL: Readonly<Record<Currency, string>> = {
  USD: '$',
  CNY: '¥',
  EUR: '€',
  GBP: '£',
  BRL: 'R$',
  JPY: '¥',
};

/** Decimals money is shown with: 2, except the yen (no minor unit). Example: MONEY_DIGITS.JPY = 0. */
export const MONEY_DIGITS: Readonly<Record<Currency, number>> = {
  USD: 2,
  CNY: 2,
  EUR: 2,
  GBP: 2,
  BRL: 2,
  JPY: 0,
};

/** True for a supported currency code (safe on hostile input). Example: isCurrency('GBP') = true. */
export function isCurrency(x: unknown): x is Currency {
  return typeof x === 'string' && (CURRENCIES as readonly string[]).includes(x);
}

/** The sign of a currency, or its code for one the table does not know. Example: currencySymbol('GBP') = '£'. */
export function currencySymbol(currency: string): string {
  return isCurrency(currency) ? CURRENCY_SYMBOL[currency] : currency;
}

/** The language for a browser language tag: any `zh*` -> 'zh', else 'en'. Example: langFromTag('zh-TW') = 'zh'. */
export function langFromTag(tag: string | undefined | null): Lang {
  return typeof tag === 'string' && tag.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** True for a supported language code. */
export function isLang(x: unknown): x is Lang {
  return x === 'en' || x === 'zh';
}

/** The translated string for `key` with `{name}` placeholders filled. Example: translate('en','table.rows',{n:'3'}) = '3 rows'. */
export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const s = DICTS[lang][key] ?? en[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

const DASH = '—';

/**
 * Intl formatters by locale and options, built once: constructing one costs 0.1-0.5 ms, and a what-if
 * slider step formats ~20 numbers (measured: 45 ms of 3.5 s of main-thread time in bench/latency.ts).
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = lang + JSON.stringify(options);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(LOCALE[lang], options)));
  return f;
}
const dateFormats = new Map<Lang, Intl.DateTimeFormat>();

/** A number with grouping and at most `digits` fraction digits. Example: formatNumber('en', 1234.567, 1) = '1,234.6'. */
export function formatNumber(lang: Lang, x: number, digits = 2): string {
  if (!Number.isFinite(x)) return DASH;
  return numberFormat(lang, { maximumFractionDigits: digits }).format(x);
}

/**
 * Money; `digits` defaults to the currency's (2; 0 for JPY) and never exceeds it for JPY.
 * Example: formatCurrency('en', 750, 'USD') = '$750.00'; formatCurrency('zh', 750, 'CNY') = '¥750.00'.
 */
export function formatCurrency(lang: Lang, x: number, currency: Currency = 'USD', digits?: number): string {
  if (!Number.isFinite(x)) return DASH;
  digits = Math.min(digits ?? MONEY_DIGITS[currency] ?? 2, MONEY_DIGITS[currency] ?? 2);
  return numberFormat(lang, {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(x);
}

/** A fraction as a percentage. Example: formatPercent('en', 0.8) = '80%'. */
export function formatPercent(lang: Lang, fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return DASH;
  return numberFormat(lang, { style: 'percent', maximumFractionDigits: digits }).format(fraction);
}

/** An ISO date (YYYY-MM-DD) in the locale's medium style, in UTC. Example: formatDate('en', '1997-01-01') = 'Jan 1, 1997'. */
export function formatDate(lang: Lang, iso: string): string {
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return DASH;
  let f = dateFormats.get(lang);
  if (!f)
    dateFormats.set(
      lang,
      (f = new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'medium', timeZone: 'UTC' })),
    );
  return f.format(d);
}
