import { Worker } from 'node:worker_threads';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import { stockOfItem } from '../../inventory/queries/stock-of-item.ts';
import { itemCode, type BenchConfig } from './config.ts';
import { Samples, summarize, type LatencySummary } from './stats.ts';
import { randInt, rng } from './zipf.ts';

/**
 * Calls stockOfItem one call after the other on uniformly random items,
 * timing each; `calls` calls, or until `stopped()` says so.
 */
export async function queryLoop(
  db: Database,
  actor: Actor,
  items: number,
  opts: { seed: number; calls?: number; stopped?: () => boolean },
): Promise<Float64Array> {
  const r = rng(opts.seed);
  const samples = new Samples();
  for (let n = 0; opts.calls === undefined || n < opts.calls; n++) {
    if (opts.stopped?.()) break;
    const code = itemCode(randInt(r, 1, items));
    const t0 = performance.now();
    const stock = await stockOfItem(db, actor, code);
    samples.push(performance.now() - t0);
    if (stock.item.code !== code) throw new Error(`stockOfItem(${code}) answered ${stock.item.code}`);
  }
  return samples.values().slice();
}

export interface QueryWorkerData {
  url: string;
  actor: Actor;
  items: number;
  seed: number;
  warmup: number;
}

export type QueryWorkerMessage = { kind: 'ready' } | { kind: 'done'; latencies: Float64Array } | { kind: 'error'; message: string };

export interface QueryWorker {
  /** Stops the loop and returns its latencies. */
  stop(): Promise<Float64Array>;
}

/**
 * The same loop in a worker thread of this process, with its own connection:
 * its timings are not delayed by the 32 posting clients that share the main
 * thread's event loop (they still share the machine's two cores).
 */
export async function startQueryWorker(data: QueryWorkerData): Promise<QueryWorker> {
  const file = new URL('./query-worker.ts', import.meta.url).href;
  // Workers do not inherit tsx's loader: register it first, then load the TypeScript module.
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  let done: ((v: Float64Array) => void) | undefined;
  let failed: ((e: Error) => void) | undefined;
  const result = new Promise<Float64Array>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  result.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: QueryWorkerMessage) => {
      if (m.kind === 'ready') resolve();
      else if (m.kind === 'done') done?.(m.latencies);
      else {
        const e = new Error(`query worker: ${m.message}`);
        reject(e);
        failed?.(e);
      }
    });
    worker.on('error', (e) => {
      reject(e);
      failed?.(e);
    });
  });
  return {
    stop: async () => {
      worker.postMessage('stop');
      const latencies = await result;
      await worker.terminate();
      return latencies;
    },
  };
}

/**
 * Runs `load` with stockOfItem called in a loop in two places: a worker thread
 * with its own connection (the target figure) and this event loop.
 */
export async function besideQueries<T>(
  qdb: Database,
  url: string,
  actor: Actor,
  cfg: BenchConfig,
  seed: number,
  load: () => Promise<T>,
): Promise<{ load: T; worker: LatencySummary; main: LatencySummary }> {
  const worker = await startQueryWorker({ url, actor, items: cfg.items, seed, warmup: 50 });
  let stopped = false;
  const mainLoop = queryLoop(qdb, actor, cfg.items, { seed: seed + 1, stopped: () => stopped });
  let result: T;
  try {
    result = await load();
  } catch (err) {
    stopped = true;
    await Promise.allSettled([mainLoop, worker.stop()]); // a live worker thread would keep the bench from exiting
    throw err;
  }
  stopped = true;
  const [onMainLoop, inWorker] = await Promise.all([mainLoop, worker.stop()]);
  return { load: result, main: summarize(onMainLoop), worker: summarize(inWorker) };
}
