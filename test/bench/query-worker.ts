import { parentPort, workerData } from 'node:worker_threads';
import { connectDatabase } from '../../db/client.ts';
import { queryLoop, type QueryWorkerData, type QueryWorkerMessage } from './queries.ts';

/** Worker-thread side of startQueryWorker (queries.ts). */
const data = workerData as QueryWorkerData;
const port = parentPort;
if (!port) throw new Error('query-worker.ts runs as a worker thread');
const send = (m: QueryWorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let stopped = false;
port.on('message', (m: unknown) => {
  if (m === 'stop') stopped = true;
});

const db = connectDatabase(data.url, { max: 1 });
try {
  await queryLoop(db, data.actor, data.items, { seed: data.seed + 1, calls: data.warmup });
  send({ kind: 'ready' });
  const latencies = await queryLoop(db, data.actor, data.items, { seed: data.seed, stopped: () => stopped });
  send({ kind: 'done', latencies }, [latencies.buffer as ArrayBuffer]);
} catch (err) {
  send({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
} finally {
  await db.close();
}
