import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.ts';

describe('Coalescer', () => {
  it('keeps one batch in flight per key and batches the requests that wait', async () => {
    const batches: number[][] = [];
    const c = new Coalescer<string, number, number>(async (_k, reqs) => {
      batches.push(reqs);
      await new Promise((r) => setTimeout(r, 5));
      return reqs.map((n) => (n === 3 ? { ok: false, error: new Error('three') } : { ok: true, value: n * 10 }));
    });
    const first = [1, 2].map((n) => c.submit('hot', n));
    await new Promise((r) => setTimeout(r, 1)); // the first batch is now in flight
    const later = [3, 4, 5].map((n) => c.submit('hot', n));
    const results = await Promise.allSettled([...first, ...later]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three', 40, 50]);
  });

  it('runs different keys independently', async () => {
    const seen: string[] = [];
    const c = new Coalescer<string, number, number>(async (k, reqs) => {
      seen.push(k);
      return reqs.map((n) => ({ ok: true, value: n }));
    });
    await Promise.all([c.submit('a', 1), c.submit('b', 2)]);
    expect(seen.sort()).toEqual(['a', 'b']);
  });
});
