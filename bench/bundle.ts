// Bundle sizes: builds the app and prints raw and gzip sizes of the first page (what index.html loads) and of
// each lazy chunk. Run: npx tsx bench/bundle.ts
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function run(): Promise<void> {
  await build({ logLevel: 'silent' });
  const dist = 'dist';
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const eager = new Set([...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+)"/g)].map((m) => m[1]));
  const rows: { file: string; raw: number; gz: number; first: boolean }[] = [];
  for (const f of readdirSync(join(dist, 'assets'))) {
    const path = join(dist, 'assets', f);
    const buf = readFileSync(path);
    rows.push({
      file: `assets/${f}`,
      raw: statSync(path).size,
      gz: gzipSync(buf, { level: 9 }).length,
      first: eager.has(`assets/${f}`),
    });
  }
  rows.sort((a, b) => Number(b.first) - Number(a.first) || b.gz - a.gz);
  console.log('| chunk | loaded | raw | gzip |\n|---|---|---|---|');
  for (const r of rows)
    console.log(`| ${r.file} | ${r.first ? 'first page' : 'lazy'} | ${kb(r.raw)} | ${kb(r.gz)} |`);
  const first = rows.filter((r) => r.first).reduce((s, r) => s + r.gz, 0);
  const lazy = rows.filter((r) => !r.first).reduce((s, r) => s + r.gz, 0);
  console.log(`first page (gzip): ${kb(first)}; lazy chunks (gzip): ${kb(lazy)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await run();
