/**
 * The UI language as reactive state: picked from `navigator.language` on the first visit, remembered in
 * localStorage afterwards, and mirrored to `<html lang>`. Components call `i18n.t(key)` and the formatters.
 */
import type { MessageKey } from './en.ts';
import {
  formatCurrency,
  formatDate,
  formatNumber,
  formatPercent,
  isLang,
  langFromTag,
  translate,
  type Currency,
  type Lang,
} from './format.ts';

const STORAGE_KEY = 'clv.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // storage blocked (private mode): fall through to the browser language
  }
  return typeof navigator !== 'undefined' ? langFromTag(navigator.language) : 'en';
}

class I18n {
  lang = $state<Lang>(initialLang());

  /** Switch language, remember it, and update `<html lang>`. */
  set(lang: Lang): void {
    this.lang = lang;
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // not remembered, still switched
    }
    if (typeof document !== 'undefined') document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }
  toggle(): void {
    this.set(this.lang === 'en' ? 'zh' : 'en');
  }
  t = (key: MessageKey, vars?: Record<string, string | number>): string => translate(this.lang, key, vars);
  num = (x: number, digits?: number): string => formatNumber(this.lang, x, digits);
  money = (x: number, currency?: Currency, digits?: number): string =>
    formatCurrency(this.lang, x, currency, digits);
  pct = (x: number, digits?: number): string => formatPercent(this.lang, x, digits);
  date = (iso: string): string => formatDate(this.lang, iso);
}

/** The app's single language state. */
export const i18n = new I18n();
