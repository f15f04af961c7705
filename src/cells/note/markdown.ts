/**
 * Markdown with KaTeX formulas, rendered to sanitised HTML. Math ($...$, $$...$$) is cut out before
 * Markdown parsing and rendered by KaTeX with `trust: false`; the final HTML goes through DOMPurify, so a
 * note from a link or file can never run script. Loaded lazily (katex + marked + dompurify).
 */
import katex from 'katex';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

// $$display$$ or $inline$; an escaped \$ is a literal dollar (outside math it never opens one, inside it stays).
const MATH = /\$\$([\s\S]+?)\$\$|(?<!\\)\$((?:\\\$|[^$\n])+?)\$/g;
// A code span (left as typed) or an escaped dollar outside math. Marked unescapes \$ in paragraphs but not
// inside raw HTML such as <details> (a revealed answer showed "\$750"), so every \$ becomes a token first.
const ESCAPED_DOLLAR = /(`+)[\s\S]*?\1|\\\$/g;
const DOLLAR_TOKEN = '@@DOLLAR@@';

/** Sanitised HTML of a note: Markdown + KaTeX (see markdownToHtml), through DOMPurify. */
export function renderMarkdown(text: string): string {
  return DOMPurify.sanitize(markdownToHtml(text), {
    USE_PROFILES: { html: true, mathMl: true, svg: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['srcset', 'formaction'],
  });
}

/**
 * Markdown with KaTeX formulas to HTML, NOT sanitised (renderMarkdown sanitises; exported for tests, which
 * run without a DOM). An escaped dollar shows as "$" in text, in raw HTML blocks and in math alike.
 * Example: markdownToHtml('**\\$50** a month') = '<p><strong>&#36;50</strong> a month</p>\n' (shows "$50").
 */
export function markdownToHtml(text: string): string {
  const pieces: string[] = [];
  const withTokens = text.replace(MATH, (_m, block: string | undefined, inline: string | undefined) => {
    const tex = block ?? inline ?? '';
    pieces.push(
      katex.renderToString(tex, {
        displayMode: block !== undefined,
        throwOnError: false,
        trust: false,
        strict: 'ignore',
        maxSize: 20,
        maxExpand: 200,
      }),
    );
    return `@@MATH${pieces.length - 1}@@`;
  });
  const dollars = withTokens.replace(ESCAPED_DOLLAR, (m) => (m === '\\$' ? DOLLAR_TOKEN : m));
  const html = marked.parse(dollars, { async: false, gfm: true, breaks: false }) as string;
  return html
    .replace(/@@MATH(\d+)@@/g, (_m, i: string) => pieces[Number(i)] ?? '')
    .replaceAll(DOLLAR_TOKEN, '&#36;');
}
