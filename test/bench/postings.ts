import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import { InsufficientStockError } from '../../inventory/errors.ts';
import type { MovementInput } from '../../inventory/movement-input.ts';
import { postMovement } from '../../inventory/post-movement.ts';
import { itemCode, warehouseCode, type BenchConfig } from './config.ts';
import { log } from './log.ts';
import { cpuMeter, round, Samples, summarize, type CpuUsage, type LatencySummary } from './stats.ts';
import { randInt, rng, Zipf } from './zipf.ts';

export type MovementKind = 'receipt' | 'issue' | 'transfer' | 'adjustment';

/** Share of each document type in the mix. */
export const MIX: readonly (readonly [MovementKind, number])[] = [
  ['receipt', 0.3],
  ['issue', 0.35],
  ['transfer', 0.2],
  ['adjustment', 0.15],
];

export interface PostingsResult {
  seconds: number;
  clients: number;
  /** Documents posted within the timed window, per second. */
  postings_per_s: number;
  posted: number;
  insufficient_stock: number;
  by_type: Record<MovementKind, { posted: number; insufficient_stock: number }>;
  latency: LatencySummary;
  cpu: CpuUsage;
}

/** A one-line document of a random type; the item Zipf-skewed, warehouses uniform. */
export function makeMovement(r: () => number, zipf: Zipf, cfg: BenchConfig, key: string): MovementInput {
  let u = r();
  let kind: MovementKind = 'receipt';
  for (const [k, p] of MIX) {
    kind = k;
    if ((u -= p) < 0) break;
  }
  const item = itemCode(zipf.sample(r));
  const w = randInt(r, 1, cfg.warehouses);
  const warehouse = warehouseCode(w);
  switch (kind) {
    case 'receipt':
      return {
        type: 'receipt',
        reason: 'purchase',
        warehouse,
        lines: [{ item, qty: randInt(r, 10, 100), ...(r() < 0.5 ? { unitCost: (randInt(r, 5, 2500) / 100).toFixed(2) } : {}) }],
        reference: `PO-${key}`,
        idempotencyKey: key,
      };
    case 'issue':
      return { type: 'issue', reason: 'sales', warehouse, lines: [{ item, qty: randInt(r, 1, 10) }], reference: `SO-${key}`, idempotencyKey: key };
    case 'transfer': {
      const to = 1 + ((w - 1 + randInt(r, 1, cfg.warehouses - 1)) % cfg.warehouses);
      return {
        type: 'transfer',
        reason: 'transfer',
        warehouse,
        toWarehouse: warehouseCode(to),
        inTransit: r() < 0.2,
        lines: [{ item, qty: randInt(r, 1, 10) }],
        idempotencyKey: key,
      };
    }
    case 'adjustment': {
      const qty = randInt(r, 1, 5);
      return { type: 'adjustment', reason: 'stocktake', warehouse, lines: [{ item, qty: r() < 0.5 ? qty : -qty }], idempotencyKey: key };
    }
  }
}

/**
 * `clients` concurrent callers of postMovement for `seconds`. Each caller
 * posts one document after the other. InsufficientStockError is a business
 * outcome and counted; any other error stops the run and is thrown.
 */
export async function runPostings(
  db: Database,
  actor: Actor,
  cfg: BenchConfig,
  opts: { seconds: number; clients: number; seed: number; keyPrefix: string; label: string },
): Promise<PostingsResult> {
  const zipf = new Zipf(cfg.items, cfg.zipfS);
  const byType: PostingsResult['by_type'] = {
    receipt: { posted: 0, insufficient_stock: 0 },
    issue: { posted: 0, insufficient_stock: 0 },
    transfer: { posted: 0, insufficient_stock: 0 },
    adjustment: { posted: 0, insufficient_stock: 0 },
  };
  const latencies = new Samples();
  let posted = 0;
  let insufficient = 0;
  let fatal: unknown = null;
  const stopCpu = cpuMeter();
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;

  await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      const r = rng(opts.seed * 1000 + c);
      for (let n = 0; fatal === null && performance.now() < deadline; n++) {
        const input = makeMovement(r, zipf, cfg, `${opts.keyPrefix}-${c}-${n}`);
        const start = performance.now();
        try {
          await postMovement(db, actor, input);
          const end = performance.now();
          if (end <= deadline) {
            posted++;
            byType[input.type].posted++;
            latencies.push(end - start);
          }
        } catch (err) {
          if (err instanceof InsufficientStockError) {
            if (performance.now() <= deadline) {
              insufficient++;
              byType[input.type].insufficient_stock++;
            }
          } else {
            fatal ??= Object.assign(new Error(`postMovement failed (${input.type} ${JSON.stringify(input.lines)}): ${String(err)}`), { cause: err });
          }
        }
      }
    }),
  );
  if (fatal !== null) throw fatal;
  const seconds = opts.seconds;
  const result: PostingsResult = {
    seconds,
    clients: opts.clients,
    postings_per_s: round(posted / seconds, 1),
    posted,
    insufficient_stock: insufficient,
    by_type: byType,
    latency: summarize(latencies.values()),
    cpu: stopCpu(),
  };
  log(
    `${opts.label}: ${result.postings_per_s} postings/s (${posted} posted, ${insufficient} insufficient stock; ` +
      `p50 ${result.latency.p50_ms} ms, p99 ${result.latency.p99_ms} ms; node ${result.cpu.node_pct_of_one_core}% of a core, machine ${result.cpu.machine_busy_pct}% busy)`,
  );
  return result;
}
