import { describe, expect, it } from 'vitest';
import { LatestRunner } from '../../src/cells/whatif/latestRunner.ts';

/** A job whose calls finish only when the test says so, in any order. */
function gatedJob() {
  const started: string[] = [];
  const gates = new Map<string, () => void>();
  const job = (input: string) =>
    new Promise<string>((resolve) => {
      started.push(input);
      gates.set(input, () => resolve(`done ${input}`));
    });
  const finish = async (input: string) => {
    gates.get(input)!();
    // let the runner's .finally start the next waiting request
    await new Promise((r) => setTimeout(r, 0));
  };
  return { job, started, finish };
}
const ctx = () => ({ signal: new AbortController().signal, onProgress: () => {} });
const settle = <T>(p: Promise<T>) =>
  p.then(
    (v) => `ok ${String(v)}`,
    (e: { name?: string }) => `rejected ${e.name}`,
  );

describe('LatestRunner lanes', () => {
  it('a request of one lane never supersedes the waiting request of another (learn mode: 4 cells at once)', async () => {
    const { job, started, finish } = gatedJob();
    const runner = new LatestRunner(job, 1, 1500);
    // Four what-if cells start at once: before lanes, b and c were superseded ("Cancelled" on load).
    const runs = ['a', 'b', 'c', 'd'].map((id) => settle(runner.run(id, ctx(), id)));
    expect(started).toEqual(['a']);
    await finish('a');
    await finish('b');
    await finish('c');
    await finish('d');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(await Promise.all(runs)).toEqual(['ok done a', 'ok done b', 'ok done c', 'ok done d']);
  });
  it('within one lane only the newest waiting request runs (a slider drag)', async () => {
    const { job, started, finish } = gatedJob();
    const runner = new LatestRunner(job, 1, 1500);
    const runs = ['1', '2', '3'].map((v) => settle(runner.run(v, ctx(), 'cell')));
    await finish('1');
    await finish('3');
    expect(started).toEqual(['1', '3']);
    expect(await Promise.all(runs)).toEqual(['ok done 1', 'rejected AbortError', 'ok done 3']);
  });
  it('waiting lanes start in the order they were last requested', async () => {
    const { job, started, finish } = gatedJob();
    const runner = new LatestRunner(job, 1, 1500);
    void settle(runner.run('x0', ctx(), 'x'));
    void settle(runner.run('x1', ctx(), 'x'));
    void settle(runner.run('y1', ctx(), 'y'));
    void settle(runner.run('x2', ctx(), 'x')); // x moves behind y
    await finish('x0');
    await finish('y1');
    await finish('x2');
    expect(started).toEqual(['x0', 'y1', 'x2']);
  });
  it('an aborted waiting request leaves the other lanes waiting', async () => {
    const { job, started, finish } = gatedJob();
    const runner = new LatestRunner(job, 1, 1500);
    void settle(runner.run('a', ctx(), 'a'));
    const abort = new AbortController();
    const b = settle(runner.run('b', { signal: abort.signal, onProgress: () => {} }, 'b'));
    const c = settle(runner.run('c', ctx(), 'c'));
    abort.abort();
    expect(await b).toBe('rejected AbortError');
    await finish('a');
    await finish('c');
    expect(started).toEqual(['a', 'c']);
    expect(await c).toBe('ok done c');
  });
});
