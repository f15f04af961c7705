// `npm run bench`: runs every benchmark and prints its numbers. Benchmarks print; they never assert.
// Usage: npm run bench [-- data models sim bundle browser]  (default: all)
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['data', 'models', 'sim', 'bundle', 'browser'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : all;

for (const name of names) {
  const file = join(here, `${name}.ts`);
  if (!existsSync(file)) {
    console.log(`\n## ${name}: no bench/${name}.ts`);
    continue;
  }
  console.log(`\n## ${name}`);
  const mod = (await import(pathToFileURL(file).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') console.log(`bench/${name}.ts exports no run()`);
  else await mod.run();
}
