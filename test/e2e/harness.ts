import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, inject } from 'vitest';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';

let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const errorsOf = new WeakMap<Page, string[]>();

export interface OpenOptions {
  width?: number;
  height?: number;
  /** Browser language, e.g. 'zh-CN' (the app picks its language from it on first visit). */
  locale?: string;
  /** Reuse a context (same storage) instead of a fresh one, e.g. to test reload/autosave. */
  context?: BrowserContext;
}

/** A page of the built app at `path` (relative to the served root, e.g. '' or '#s=...'). Page errors fail loudly. */
export async function openApp(path = '', opts: OpenOptions = {}): Promise<Page> {
  browser ??= await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  let context = opts.context;
  if (!context) {
    context = await browser.newContext({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
      locale: opts.locale ?? 'en-US',
    });
    contexts.push(context);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  errorsOf.set(page, errors);
  await page.goto(new URL(path, inject('baseUrl')).href);
  return page;
}

/** Errors thrown in the page since it opened (uncaught exceptions). */
export function pageErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

afterAll(async () => {
  for (const c of contexts.splice(0)) await c.close().catch(() => {});
  await browser?.close();
  browser = undefined;
});
