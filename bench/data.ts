/**
 * Data-layer benchmark: generated transaction CSV -> import (streamed in 4 MB chunks) -> RFM summary + monthly
 * cohort table. Targets (issue 4): 1,000,000 rows (~100k customers) <= 1 s in Node; 5,000,000 rows <= 4 s with
 * peak RSS < 500 MB. Generated with a seeded RNG (mulberry32) inside the script; the 5M-row file is written to
 * the OS temp dir and streamed from disk, then deleted.
 *
 * Run: npx tsx bench/data.ts [--rows 1000000,5000000]   (Node)
 *      npx tsx bench/data.ts --browser [--rows 1000000]  (browser worker, headless Chromium)
 */
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TransactionImporter, cohortTable, rfmSummary } from '../src/lib/data/index.ts';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad2 = (x: number) => (x < 10 ? `0${x}` : String(x));

/** Shape of the generated log beyond its size (bench/notebook.ts: the reported shop's 420k customers). */
export interface ShapeOptions {
  /** Customers to draw from (default rows / 10; about 89% of 470k appear in 1,034,805 rows). */
  customers?: number;
  /**
   * Each customer's own mean spend: amounts are scaled by a factor in [0.2, 2.2) drawn per customer, so a
   * Gamma-Gamma fit sees heterogeneous spenders (with one spend law for all its q runs off to infinity).
   */
  spenders?: boolean;
  /** A day index (0-729) on which nobody buys: purchases that would fall on it move to the next day. */
  quietDay?: number;
}

/**
 * Writes `rows` transactions as CSV to `path`: customer_id,order_date,amount, over 730 days from 2022-01-01.
 * Returns the bytes written.
 */
export function generate(path: string, rows: number, seed: number, shape: ShapeOptions = {}): number {
  const rnd = mulberry32(seed);
  const customers = Math.max(1, Math.round(shape.customers ?? rows / 10));
  const fd = openSync(path, 'w');
  const enc = new TextEncoder();
  let bytes = 0;
  let parts: string[] = ['customer_id,order_date,amount\n'];
  // a calendar of 2 years of ISO dates, precomputed
  const dates: string[] = [];
  const start = Date.UTC(2022, 0, 1);
  for (let d = 0; d < 730; d++) {
    const t = new Date(start + d * 86400000);
    dates.push(`${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`);
  }
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rnd() * customers);
    // customers arrive over the two years; purchases fall after their arrival
    const arrival = Math.floor((((c * 7919) % customers) / customers) * 700);
    let d = arrival + Math.floor(rnd() * (730 - arrival));
    if (d === shape.quietDay) d = Math.min(729, d + 1);
    let cents = 100 + Math.floor(rnd() * 20000);
    if (shape.spenders) cents = Math.max(1, Math.round(cents * (0.2 + 2 * mulberry32(c)())));
    parts.push(`C${c + 1000000},${dates[d]},${Math.floor(cents / 100)}.${pad2(cents % 100)}\n`);
    if (parts.length >= 50000) {
      bytes += writeSync(fd, enc.encode(parts.join('')));
      parts = [];
    }
  }
  bytes += writeSync(fd, enc.encode(parts.join('')));
  closeSync(fd);
  return bytes;
}

/**
 * Writes a shop-like log with churn to `path` (customer_id,order_date,amount over 730 days from 2022-01-01): each
 * customer arrives on a uniform day, buys at a rate λ ~ lognormal (median one purchase per 200 days), may drop
 * out after each purchase with p ~ Beta(1, 3), and has their own mean spend (× 0.3–2.3 of $40, per order a
 * Gamma(4) spread) — the processes BG/NBD and Gamma-Gamma assume, so their fits converge as on a real export.
 * Stops at `rows` rows. `quietDay`: nobody buys that day (purchases move to the next). Returns rows and bytes.
 */
export function generateShop(
  path: string,
  rows: number,
  customers: number,
  seed: number,
  quietDay = -1,
): { rows: number; bytes: number; customers: number } {
  const rnd = mulberry32(seed);
  const dates: string[] = [];
  const start = Date.UTC(2022, 0, 1);
  for (let d = 0; d < 730; d++) {
    const t = new Date(start + d * 86400000);
    dates.push(`${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`);
  }
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const fd = openSync(path, 'w');
  const enc = new TextEncoder();
  let bytes = 0;
  let written = 0;
  let seen = 0;
  let parts: string[] = ['customer_id,order_date,amount\n'];
  const put = (c: number, day: number, mean: number) => {
    const d = day === quietDay ? day + 1 : day;
    const spread = -Math.log((1 - rnd()) * (1 - rnd()) * (1 - rnd()) * (1 - rnd())) / 4;
    const cents = Math.max(1, Math.round(mean * spread * 100));
    parts.push(`C${c + 1000000},${dates[d]},${Math.floor(cents / 100)}.${pad2(cents % 100)}\n`);
    written++;
    if (parts.length >= 50000) {
      bytes += writeSync(fd, enc.encode(parts.join('')));
      parts = [];
    }
  };
  for (let c = 0; c < customers && written < rows; c++) {
    seen++;
    const arrival = Math.floor(rnd() * 729);
    const lambda = Math.exp(Math.log(1 / 200) + 1.0 * normal());
    const p = 1 - Math.pow(1 - rnd(), 1 / 3);
    const mean = 40 * (0.3 + 2 * rnd());
    put(c, arrival, mean);
    let t = arrival;
    while (written < rows) {
      if (rnd() < p) break; // dropped out after this purchase
      t += -Math.log(1 - rnd()) / lambda;
      if (t >= 730) break;
      put(c, Math.floor(t), mean);
    }
  }
  bytes += writeSync(fd, enc.encode(parts.join('')));
  closeSync(fd);
  return { rows: written, bytes, customers: seen };
}

interface Row {
  rows: number;
  megabytes: number;
  importMs: number;
  rfmMs: number;
  cohortMs: number;
  totalMs: number;
  /** CPU time of this process over the same span (user + system): less sensitive to other load on a shared machine. */
  cpuMs: number;
  peakRssMb: number;
  customers: number;
}

function measure(path: string, bytes: number): Row {
  let peak = process.memoryUsage().rss;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const imp = new TransactionImporter();
  const fd = openSync(path, 'r');
  const chunk = new Uint8Array(4 << 20);
  for (;;) {
    const got = readSync(fd, chunk, 0, chunk.length, null);
    if (got === 0) break;
    imp.push(chunk.subarray(0, got));
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  closeSync(fd);
  const { transactions, report } = imp.finish();
  const t1 = performance.now();
  peak = Math.max(peak, process.memoryUsage().rss);
  const rfm = rfmSummary(transactions, { unit: 'week' });
  const t2 = performance.now();
  const coh = cohortTable(transactions, { period: 'month' });
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (
    report.accepted !== report.rowsRead ||
    rfm.customerIds.length !== report.customers ||
    coh.cohorts.length === 0
  )
    throw new Error('benchmark data did not import cleanly');
  return {
    rows: report.rowsRead,
    megabytes: bytes / 1e6,
    importMs: t1 - t0,
    rfmMs: t2 - t1,
    cohortMs: t3 - t2,
    totalMs: t3 - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peak / 1048576,
    customers: report.customers,
  };
}

export async function run(sizes = [1_000_000, 5_000_000]): Promise<void> {
  const out: Row[] = [];
  for (const rows of sizes) {
    const path = join(tmpdir(), `clv-bench-data-${process.pid}-${rows}.csv`);
    try {
      const bytes = generate(path, rows, 20261122);
      // one warm-up on a small file so the JIT has seen the hot loops (a browser worker would also be warm after the first file)
      if (out.length === 0) {
        const small = join(tmpdir(), `clv-bench-data-${process.pid}-warm.csv`);
        const b2 = generate(small, 200_000, 7);
        measure(small, b2);
        rmSync(small, { force: true });
      }
      out.push(measure(path, bytes));
    } finally {
      rmSync(path, { force: true });
    }
  }
  const header = [
    'rows',
    'MB',
    'customers',
    'import ms',
    'rfm ms',
    'cohorts ms',
    'total ms',
    'CPU ms',
    'target ms',
    'peak RSS MB',
  ];
  const lines = out.map((r) => [
    r.rows.toLocaleString('en-US'),
    r.megabytes.toFixed(1),
    r.customers.toLocaleString('en-US'),
    r.importMs.toFixed(0),
    r.rfmMs.toFixed(0),
    r.cohortMs.toFixed(0),
    r.totalMs.toFixed(0),
    r.cpuMs.toFixed(0),
    r.rows <= 1_000_000 ? '1000' : '4000',
    r.peakRssMb.toFixed(0),
  ]);
  const w = header.map((h, j) => Math.max(h.length, ...lines.map((l) => l[j].length)));
  console.log(
    'data: CSV -> import -> RFM (weeks) + monthly cohort table, Node',
    process.version,
    `(load average ${(await import('node:os')).loadavg()[0].toFixed(1)})`,
  );
  console.log(header.map((h, j) => h.padStart(w[j])).join('  '));
  for (const l of lines) console.log(l.map((c, j) => c.padStart(w[j])).join('  '));
}

/**
 * The same pipeline in a browser worker (headless system Chromium via playwright-core): src/lib/data bundled with
 * esbuild into a module worker that generates the CSV bytes in memory (same generator) and pushes them in 4 MB
 * chunks. Target (issue 4): 1,000,000 rows <= 2 s.
 */
export async function runBrowser(rows = 1_000_000): Promise<void> {
  const { build } = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const lib = await build({
    entryPoints: [new URL('../src/lib/data/index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: 'clvData',
    write: false,
  });
  const worker = `${lib.outputFiles[0].text}
const { TransactionImporter, rfmSummary, cohortTable } = clvData;
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pad2 = (x) => (x < 10 ? '0' + x : String(x));
self.onmessage = (e) => {
  const rows = e.data;
  const rnd = mulberry32(20261122);
  const customers = Math.round(rows / 10);
  const dates = [];
  for (let d = 0; d < 730; d++) { const t = new Date(Date.UTC(2022, 0, 1) + d * 86400000); dates.push(t.getUTCFullYear() + '-' + pad2(t.getUTCMonth() + 1) + '-' + pad2(t.getUTCDate())); }
  const parts = ['customer_id,order_date,amount\\n'];
  for (let i = 0; i < rows; i++) {
    const c = Math.floor(rnd() * customers);
    const arrival = Math.floor((((c * 7919) % customers) / customers) * 700);
    const d = arrival + Math.floor(rnd() * (730 - arrival));
    const cents = 100 + Math.floor(rnd() * 20000);
    parts.push('C' + (c + 1000000) + ',' + dates[d] + ',' + Math.floor(cents / 100) + '.' + pad2(cents % 100) + '\\n');
  }
  const bytes = new TextEncoder().encode(parts.join(''));
  parts.length = 0;
  const once = () => {
    const t0 = performance.now();
    const imp = new TransactionImporter();
    for (let o = 0; o < bytes.length; o += 4 << 20) imp.push(bytes.subarray(o, o + (4 << 20)));
    const { transactions } = imp.finish();
    const t1 = performance.now();
    rfmSummary(transactions, { unit: 'week' });
    const t2 = performance.now();
    cohortTable(transactions, { period: 'month' });
    const t3 = performance.now();
    return [t1 - t0, t2 - t1, t3 - t2, t3 - t0];
  };
  once(); // warm-up, as for Node
  self.postMessage({ mb: bytes.length / 1e6, times: once() });
};`;
  if (process.env.DUMP_WORKER) (await import('node:fs')).writeFileSync(process.env.DUMP_WORKER, worker);
  // serve the worker from a local origin (a blob worker on about:blank is refused)
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    if (req.url === '/worker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(worker);
    else
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>clv data bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const res = (await page.evaluate(
      (n) =>
        new Promise((resolve, reject) => {
          const w = new Worker('/worker.js');
          w.onmessage = (e) => resolve(e.data);
          w.onerror = (e) => reject(new Error(`worker: ${e.message}`));
          w.postMessage(n);
        }),
      rows,
    )) as { mb: number; times: number[] };
    const [imp, rfm, coh, total] = res.times;
    console.log(
      `browser worker (Chromium ${browser.version()}): ${rows.toLocaleString('en-US')} rows, ${res.mb.toFixed(1)} MB in memory`,
    );
    console.log('import ms  rfm ms  cohorts ms  total ms  target ms');
    console.log([imp, rfm, coh, total].map((x) => x.toFixed(0).padStart(9)).join(' ') + '       2000');
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = process.argv.indexOf('--rows');
  const sizes = arg > 0 ? process.argv[arg + 1].split(',').map(Number) : undefined;
  if (process.argv.includes('--browser')) await runBrowser(sizes?.[0]);
  else await run(sizes);
}
