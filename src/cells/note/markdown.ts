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

export function renderMarkdown(text: string): string {
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
  const html = marked.parse(withTokens, { async: false, gfm: true, breaks: false }) as string;
  const joined = html.replace(/@@MATH(\d+)@@/g, (_m, i: string) => pieces[Number(i)] ?? '');
  return DOMPurify.sanitize(joined, {
    USE_PROFILES: { html: true, mathMl: true, svg: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['srcset', 'formaction'],
  });
}
