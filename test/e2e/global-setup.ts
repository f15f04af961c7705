import type { TestProject } from 'vitest/node';
import { build, preview, type PreviewServer } from 'vite';
import { chromiumPath } from './chromium.ts';

let server: PreviewServer | undefined;

/** Builds the app once, serves it on a free local port, and hands the URL to the tests (`inject('baseUrl')`). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  chromiumPath(); // fail fast, with the install hint, before spending time on a build
  if (process.env.E2E_NO_BUILD !== '1') await build({ logLevel: 'warn' });
  server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a local URL');
  project.provide('baseUrl', url);
  return async () => {
    await server?.close();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
