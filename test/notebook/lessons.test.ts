import { describe, expect, it } from 'vitest';
import { learnDoc } from '../../src/lib/notebook/doc.ts';
import {
  findLesson,
  lessonBaseline,
  lessonMetric,
  LESSONS,
  type LessonId,
} from '../../src/lib/notebook/lessons.ts';
import { whatIfInputs } from '../../src/lib/notebook/whatifInputs.ts';
import { computeWhatIf } from '../../src/lib/sim/unitEconomics.ts';
import { presetText } from '../../src/cells/note/presets.ts';
import { markdownToHtml } from '../../src/cells/note/markdown.ts';
import type { WhatIfInputs } from '../../src/lib/sim/inputs.ts';

/** The widget of a lesson in the learn notebook, as the cell starts (its params). */
function widget(id: LessonId) {
  const cell = learnDoc().cells.find((c) => c.kind === 'whatif' && c.params.lesson === id);
  if (!cell) throw new Error(`no ${id} widget`);
  return cell;
}
const headline = (id: LessonId, change: Partial<WhatIfInputs> = {}) =>
  lessonMetric(LESSONS[id].headline!, computeWhatIf({ ...whatIfInputs(widget(id).params), ...change }));

describe('learn mode: each widget’s headline is the number its step teaches', () => {
  it('every what-if of the learn notebook is a lesson, in step order, starting at its own inputs', () => {
    const cells = learnDoc().cells.filter((c) => c.kind === 'whatif');
    expect(cells.map((c) => c.params.lesson)).toEqual(['textbook', 'margin', 'discount', 'payback']);
    // Reset returns to lessonBaseline(id) (whatif/Model.svelte.ts): the inputs the cell starts with.
    for (const c of cells) expect(whatIfInputs(c.params)).toEqual(lessonBaseline(c.params.lesson));
  });
  it('step 1: textbook CLV = $50 × 3 a year × 1/(1 − 0.8) years = $750', () => {
    expect(LESSONS.textbook.headline).toBe('textbook');
    expect(headline('textbook')).toBeCloseTo(50 * 3 * 5, 9);
    const r = computeWhatIf(whatIfInputs(widget('textbook').params));
    expect(lessonMetric('lifetimeYears', r)).toBeCloseTo(5, 9);
    expect(lessonMetric('revenuePerYear', r)).toBe(150);
  });
  it('step 1: 80% -> 90% retention doubles it, lifetime 5 -> 1/(1 − 0.9) = 10 years, $750 -> $1,500', () => {
    expect(headline('textbook', { retentionPerPeriod: 0.9 })).toBeCloseTo(50 * 3 * 10, 9);
    // not the 60-month discounted figure the issue saw ($504 -> $614): that one does not double
    const r = computeWhatIf({ ...whatIfInputs(widget('textbook').params), retentionPerPeriod: 0.9 });
    expect(
      r.clvConstantChurn / computeWhatIf(whatIfInputs(widget('textbook').params)).clvConstantChurn,
    ).toBeLessThan(1.5);
  });
  it('step 2: 30% margin × $750 = $225', () => {
    expect(headline('margin')).toBeCloseTo(0.3 * 750, 9);
  });
  it('step 3: Σ_{t=0}^{4} 45·(0.8/1.1)^t = 45 + 32.73 + 23.80 + 17.31 + 12.59 = $131.43', () => {
    let sum = 0;
    for (let t = 0; t < 5; t++) sum += (0.3 * 50 * 3 * 0.8 ** t) / 1.1 ** t;
    expect(headline('discount')).toBeCloseTo(sum, 9);
    expect(sum).toBeCloseTo(131.43, 2);
  });
  it('step 7: sBG CLV ≈ $181, LTV:CAC 2.27, payback 14.7 months; pays back in 12 at CAC ≤ $68; LTV:CAC 3 at ≈ $60', () => {
    const inputs = whatIfInputs(widget('payback').params);
    const r = computeWhatIf(inputs);
    // Independent: monthly margin 4/12 × 60 × 40% = $8; sBG(α = 0.1·4, β = 0.9·4) since φ = 0.2 -> α+β = 4;
    // S(t+1) = S(t)·(β + t)/(α + β + t); discount v = 1.1^(−1/12) per month; 60 months.
    const alpha = 0.4;
    const beta = 3.6;
    let S = 1;
    let clv = 0;
    let cash12 = 0;
    for (let t = 0; t < 60; t++) {
      clv += 8 * S * 1.1 ** (-t / 12);
      if (t < 12) cash12 += 8 * S;
      S *= (beta + t) / (alpha + beta + t);
    }
    expect(r.clvModel).toBeCloseTo(clv, 9);
    expect(Math.round(clv)).toBe(181);
    expect(r.ltvToCac).toBeCloseTo(clv / 80, 9);
    expect(r.paybackMonths!).toBeCloseTo(14.73, 2);
    // payback ≤ 12 months iff CAC ≤ undiscounted margin of the first 12 months = $68.41
    expect(cash12).toBeCloseTo(68.41, 2);
    expect(computeWhatIf({ ...inputs, acquisitionCost: 68 }).paybackMonths!).toBeLessThan(12);
    expect(computeWhatIf({ ...inputs, acquisitionCost: 69 }).paybackMonths!).toBeGreaterThan(12);
    expect(clv / 3).toBeCloseTo(60.46, 2);
    // and the text says so, in both languages
    for (const lang of ['en', 'zh'] as const) {
      const text = presetText('learn7', lang);
      for (const n of ['181', '14.7', '2.27', '68', '60', '80']) expect(text).toContain(n);
    }
  });
  it('the steps’ texts state the numbers their widgets show (en and zh)', () => {
    const stated: Array<[string, LessonId, number]> = [
      ['learn1', 'textbook', headline('textbook')],
      ['learn2', 'margin', headline('margin')],
      ['learn3', 'discount', headline('discount')],
    ];
    for (const [preset, , value] of stated)
      for (const lang of ['en', 'zh'] as const)
        expect(presetText(preset, lang)).toContain(String(Math.floor(value)));
    for (const lang of ['en', 'zh'] as const) expect(presetText('learn1', lang)).toMatch(/1\{?,\}?500/);
  });
  it('unknown or empty lesson ids are no lesson', () => {
    expect(findLesson('')).toBeNull();
    expect(findLesson('toString')).toBeNull();
    expect(lessonBaseline(42)).toBeNull();
  });
});

/** What a reader sees of rendered HTML: KaTeX's TeX source annotations dropped, tags dropped, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<annotation[\s\S]*?<\/annotation>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#36;/g, '$')
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
const PRESETS = ['intro', 'learn1', 'learn2', 'learn3', 'learn4', 'learn5', 'learn6', 'learn7'];

describe('notes render money without literal backslashes (Markdown + KaTeX)', () => {
  it('no preset shows a backslash or a KaTeX error, in either language', () => {
    for (const p of PRESETS)
      for (const lang of ['en', 'zh'] as const) {
        const html = markdownToHtml(presetText(p, lang));
        expect(html, `${p} ${lang}`).not.toContain('katex-error');
        expect(visibleText(html), `${p} ${lang}`).not.toContain('\\');
      }
  });
  it('revealed answers render their money and math (they are Markdown inside <details>)', () => {
    const answer = (p: string, lang: 'en' | 'zh') => {
      const html = markdownToHtml(presetText(p, lang));
      return html.slice(html.indexOf('<details>'), html.indexOf('</details>'));
    };
    expect(visibleText(answer('learn1', 'en'))).toContain('so $750 becomes');
    expect(answer('learn1', 'en')).toContain('class="katex"');
    expect(visibleText(answer('learn3', 'en'))).toContain('About $131,');
    expect(visibleText(answer('learn7', 'en'))).toContain('CAC of $68 or less');
    expect(visibleText(answer('learn3', 'zh'))).toContain('约 131 美元');
  });
  it('an escaped dollar is a dollar in text, in raw HTML and in math; code spans keep it', () => {
    expect(markdownToHtml('**\\$50** a month')).toBe('<p><strong>&#36;50</strong> a month</p>\n');
    expect(visibleText(markdownToHtml('<div>costs \\$5</div>'))).toBe('costs $5');
    expect(markdownToHtml('`a \\$ b`')).toContain('<code>a \\$ b</code>');
    expect(visibleText(markdownToHtml('$\\$5$'))).toContain('$5');
  });
});
