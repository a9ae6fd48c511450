import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import { InsufficientStockError } from '../../inventory/errors.ts';
import { createItem } from '../../inventory/master/items.ts';
import { postMovement } from '../../inventory/post-movement.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import { warehouseCode, type BenchConfig } from './config.ts';
import { log } from './log.ts';
import { cpuMeter, round, Samples, summarize, type CpuUsage, type LatencySummary } from './stats.ts';

export interface HotPhase {
  callers: number;
  seconds: number;
  /** Reservations granted within the timed window, per second. */
  reservations_per_s: number;
  granted: number;
  insufficient_stock: number;
  latency: LatencySummary;
  cpu: CpuUsage;
}

export interface HotResults {
  item: string;
  warehouse: string;
  stock_initial: number;
  c64: HotPhase;
  c256: HotPhase;
  ran_out_in_timed_phases: boolean;
  run_out: {
    callers: number;
    stock_left_for_phase: number;
    granted: number;
    seconds: number;
    /** Units still available after every caller was refused (0 = nothing undersold). */
    available_after: number;
  };
  /** How the batches planned: fresh lookups, plans made on the carry of the batch before, and carries the write refused. */
  service: ReservationService['stats'];
  oversold: {
    /** Units granted to callers (all phases) beyond the item's on-hand stock. */
    from_callers: number;
    /** Units held by active reservation lines beyond on_hand (after the run-out phase). */
    from_db: number;
    on_hand: number;
    reserved_column: number;
    active_reservation_lines: number;
    granted_to_callers_total: number;
  };
}

const STOCK = 1_000_000_000;

interface Counter {
  granted: number;
}

/**
 * `callers` concurrent callers reserving 1 unit each, one request after the
 * other, all for the same item in the same warehouse, through one
 * ReservationService (so its per-item coalescing is in play).
 */
async function phase(
  service: ReservationService,
  actor: Actor,
  item: string,
  warehouse: string,
  total: Counter,
  opts: { callers: number; seconds: number; label: string; keyPrefix: string; untilRunOut?: boolean },
): Promise<HotPhase> {
  const latencies = new Samples();
  let granted = 0;
  let insufficient = 0;
  let fatal: unknown = null;
  const stopCpu = cpuMeter();
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.callers }, async (_, c) => {
      for (let n = 0; fatal === null && performance.now() < deadline; n++) {
        const key = `${opts.keyPrefix}-${c}-${n}`;
        const start = performance.now();
        try {
          const view = await service.reserve(actor, { orderRef: `SO-${key}`, channel: 'bench', lines: [{ item, warehouse, qty: 1 }], idempotencyKey: key });
          const units = view.lines.reduce((s, l) => s + Number(l.qty), 0);
          if (units !== 1 || view.status !== 'active') throw new Error(`reservation ${view.id} answered ${units} unit(s), status ${view.status}`);
          total.granted += units;
          const end = performance.now();
          if (end <= deadline) {
            granted++;
            latencies.push(end - start);
          }
        } catch (err) {
          if (err instanceof InsufficientStockError) {
            insufficient++;
            if (opts.untilRunOut) return;
          } else {
            fatal ??= err;
          }
        }
      }
    }),
  );
  if (fatal !== null) throw fatal;
  const seconds = opts.untilRunOut ? (performance.now() - t0) / 1000 : opts.seconds;
  const result: HotPhase = {
    callers: opts.callers,
    seconds: round(seconds, 2),
    reservations_per_s: round(granted / seconds, 1),
    granted,
    insufficient_stock: insufficient,
    latency: summarize(latencies.values()),
    cpu: stopCpu(),
  };
  log(
    `${opts.label}: ${result.reservations_per_s} reservations/s (${granted} granted, ${insufficient} refused; ` +
      `p50 ${result.latency.p50_ms} ms, p99 ${result.latency.p99_ms} ms)`,
  );
  return result;
}

async function stockOf(db: Database, itemId: number): Promise<{ onHand: number; reserved: number; active: number }> {
  const [row] = await db.sql<{ on_hand: number; reserved: number; active: number }[]>`
    select coalesce(sum(b.on_hand), 0)::float8 as on_hand, coalesce(sum(b.reserved), 0)::float8 as reserved,
           (select coalesce(sum(rl.qty), 0) from reservation_lines rl join reservations r on r.id = rl.reservation_id
             where rl.item_id = ${itemId} and r.status = 'active')::float8 as active
    from stock_balances b where b.item_id = ${itemId}`;
  return { onHand: row?.on_hand ?? 0, reserved: row?.reserved ?? 0, active: row?.active ?? 0 };
}

/** Optional hooks around the timed ×64 phase (--profile). */
export interface PhaseHooks {
  begin(label: string): Promise<void>;
  end(label: string): Promise<void>;
}

export async function runHotReservations(db: Database, actor: Actor, cfg: BenchConfig, runId: string, hooks?: PhaseHooks): Promise<HotResults> {
  const item = `HOT-${runId}`;
  const warehouse = warehouseCode(1);
  await createItem(db, actor, { code: item, name: '热销品 (bench)', unit: '个', unitCost: '10' });
  await postMovement(db, actor, {
    type: 'receipt',
    reason: 'purchase',
    warehouse,
    lines: [{ item, qty: STOCK, unitCost: '10' }],
    idempotencyKey: `${item}-opening`,
  });
  const [{ id: itemId } = { id: 0 }] = await db.sql<{ id: number }[]>`select id from items where company_id = ${actor.companyId} and code = ${item}`;
  log(`hot item ${item}: ${STOCK} units in ${warehouse}`);

  const service = new ReservationService(db);
  const total: Counter = { granted: 0 };
  const { seconds, warmupSeconds, runOutMaxSeconds } = cfg.reservations;
  await phase(service, actor, item, warehouse, total, { callers: 64, seconds: warmupSeconds, label: 'hot reservations warm-up', keyPrefix: `${item}-w` });
  await hooks?.begin('hot_reservations_64');
  const c64 = await phase(service, actor, item, warehouse, total, { callers: 64, seconds, label: 'hot reservations ×64', keyPrefix: `${item}-a` });
  await hooks?.end('hot_reservations_64');
  const c256 = await phase(service, actor, item, warehouse, total, { callers: 256, seconds, label: 'hot reservations ×256', keyPrefix: `${item}-b` });

  // Run-out: leave ~2 s worth of stock, then 256 callers reserve until every one of them is refused.
  const before = await stockOf(db, itemId);
  const ranOut = before.onHand - before.reserved <= 0;
  const leave = Math.min(before.onHand - before.reserved, Math.max(1_000, Math.min(200_000, Math.round(c256.reservations_per_s * 2))));
  const cut = before.onHand - before.reserved - leave;
  if (cut > 0) {
    await postMovement(db, actor, { type: 'adjustment', reason: 'stocktake', warehouse, lines: [{ item, qty: -cut }], idempotencyKey: `${item}-cut` });
  }
  log(`run-out: ${leave} units left available; 256 callers reserve until refused`);
  const out = await phase(service, actor, item, warehouse, total, {
    callers: 256,
    seconds: runOutMaxSeconds,
    label: 'hot reservations run-out ×256',
    keyPrefix: `${item}-c`,
    untilRunOut: true,
  });
  const after = await stockOf(db, itemId);
  const oversold = {
    from_callers: Math.max(0, total.granted - after.onHand),
    from_db: Math.max(0, after.active - after.onHand, after.reserved - after.onHand),
    on_hand: after.onHand,
    reserved_column: after.reserved,
    active_reservation_lines: after.active,
    granted_to_callers_total: total.granted,
  };
  log(`oversold: ${oversold.from_callers} (callers), ${oversold.from_db} (database); on_hand ${after.onHand}, reserved ${after.reserved}, active lines ${after.active}`);
  return {
    item,
    warehouse,
    stock_initial: STOCK,
    c64,
    c256,
    ran_out_in_timed_phases: ranOut,
    run_out: { callers: 256, stock_left_for_phase: leave, granted: out.granted, seconds: out.seconds, available_after: after.onHand - after.reserved },
    service: { ...service.stats },
    oversold,
  };
}
