import type { ReservedSql } from 'postgres';
import { isoTime, type Database, type Sql } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { Coalescer, type Outcome } from '../coalescer.ts';
import { formatMicro } from '../decimal.ts';
import { IdempotencyConflictError, ValidationError } from '../errors.ts';
import { requestHashSync } from '../hash.ts';
import { withRaceRetry } from '../race-retry.ts';
import { todayIn } from '../today.ts';
import { parseInput } from '../validate.ts';
import { lookupForReservations, type HoldSlot, type ReservationLookup } from './batch-lookup.ts';
import { advance, CarryBook, inBaseUnits, plannedOn, type PlannedOn } from './carry.ts';
import { reservationInputSchema } from './input.ts';
import { allocateRequests, resolveRequest, type Granted, type HashedRequest, type Request, type Resolved, type Stockout } from './plan.ts';
import { loadReservations, type ReservationView } from './view.ts';
import { writeReservations, type WrittenReservation } from './write.ts';

/**
 * Hot items with a connection of their own at once. On a lane a batch's
 * write is sent while the one before it is still running and starts the
 * moment that one commits (pipelined), so the two never race for the
 * balance row and a plan made on a carry finds the row as planned. The
 * items beyond these share the pool.
 */
const MAX_LANES = 2;

/** Keys of single-item requests start with this; only they keep a carry. */
const ITEM_KEY = 'i\u0000';

/**
 * Holds stock for an order (预占). All lines or none. Concurrent single-line
 * requests for the same item are coalesced into one statement (see Coalescer),
 * and the balance CHECKs make overselling impossible even across processes.
 * A busy item's batches run on a lane and plan on a carry (see MAX_LANES and
 * Carry): one round trip per batch, and no race between its own batches.
 */
export class ReservationService {
  private readonly coalescer: Coalescer<string, Request, ReservationView>;
  /** Per single-item key: the stock the batches planned so far leave (see Carry). */
  private readonly carries: CarryBook;
  /** Per key: the batches running, in the order they started. */
  private readonly running = new Map<string, Set<Promise<unknown>>>();
  /** Per hot item while its batches run: a connection of its own (see MAX_LANES). */
  private readonly lanes = new Map<string, Promise<ReservedSql>>();

  /** Counters, for tests and the benchmark. */
  readonly stats = { lookups: 0, carried: 0, carriesRefused: 0 };
  constructor(
    private readonly db: Database,
    options: { carryMs?: number } = {},
  ) {
    this.carries = new CarryBook(options.carryMs);
    // Two batches per item in flight: one is planned while the other is written.
    this.coalescer = new Coalescer((key, batch) => this.runBatch(key, batch), 512, 2);
  }

  async reserve(actor: Actor, raw: unknown): Promise<ReservationView> {
    requireScope(actor, 'stock:write');
    const input = parseInput(reservationInputSchema, raw);
    if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= Date.now()) {
      throw new ValidationError([{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    const items = new Set(input.lines.map((l) => l.item));
    // Single-item requests share a queue per item; others go alone.
    const key = items.size === 1 ? `${ITEM_KEY}${actor.companyId}\u0000${input.lines[0]?.item}` : `k\u0000${actor.companyId}\u0000${input.idempotencyKey}`;
    // Hashing happens in the batch: a caller that awaited here would miss the batch being formed.
    return this.coalescer.submit(key, { actor, input });
  }

  /**
   * One batch: one lookup statement (items, warehouses, candidate balance
   * rows and which keys are taken) or, for a hot item, the carry of the
   * batches before it; allocation in memory; one write statement that
   * returns what the answers need. Keys already taken answer their first
   * result; a key taken meanwhile (KEY_TAKEN), stock taken meanwhile (a
   * CHECK) or stock not as a carry said (STOCK_CHANGED) makes the whole
   * batch plan again on a fresh lookup.
   */
  private async runBatch(key: string, requests: Request[]): Promise<Outcome<ReservationView>[]> {
    const earlier = [...(this.running.get(key) ?? [])];
    if (key.startsWith(ITEM_KEY) && !this.lanes.has(key) && this.lanes.size < MAX_LANES) this.lanes.set(key, this.db.sql.reserve());
    const done = this.runBatchAfter(key, requests, earlier);
    const running = this.running.get(key) ?? new Set<Promise<unknown>>();
    running.add(done);
    this.running.set(key, running);
    try {
      return await done;
    } finally {
      running.delete(done);
      if (running.size === 0) {
        this.running.delete(key);
        const lane = this.lanes.get(key);
        this.lanes.delete(key);
        void lane?.then((c) => c.release(), () => undefined);
      }
    }
  }

  private async runBatchAfter(key: string, requests: Request[], startedBefore: readonly Promise<unknown>[]): Promise<Outcome<ReservationView>[]> {
    const lane = this.lanes.get(key);
    // Lookups and writes of a hot item go down its lane: in the order sent, back to back.
    const sql = lane ? await lane : this.db.sql;
    const batch: HashedRequest[] = requests.map((r) => ({ ...r, hash: requestHashSync(r.input) }));
    const actor = batch[0]?.actor;
    if (!actor) return [];
    const companyId = actor.companyId;
    const outcomes: (Outcome<ReservationView> | undefined)[] = new Array(batch.length);
    const fail = (i: number, error: unknown) => (outcomes[i] = { ok: false, error });

    // Same key twice in one batch: the first decides, the others get its answer.
    const firstByKey = new Map<string, number>();
    const followers: [number, number][] = [];
    const leaders: number[] = [];
    batch.forEach((req, i) => {
      const first = firstByKey.get(req.input.idempotencyKey);
      if (first === undefined) {
        firstByKey.set(req.input.idempotencyKey, i);
        leaders.push(i);
      } else followers.push([i, first]);
    });

    const today = todayIn(actor.timezone);
    // Without a lane two batches could race for the row, and a plan made on a carry would mostly be refused.
    const carryable = lane !== undefined;
    const planOn = (look: ReservationLookup) => {
      const replays: number[] = [];
      const failed: { index: number; error: unknown }[] = [];
      const resolved: Resolved[] = [];
      for (const i of leaders) {
        const req = batch[i] as HashedRequest;
        if (look.taken.has(req.input.idempotencyKey)) replays.push(i);
        else {
          try {
            resolved.push(resolveRequest(i, req, look.items, look.warehouses));
          } catch (err) {
            failed.push({ index: i, error: err });
          }
        }
      }
      return { look, replays, failed, plan: allocateRequests(resolved, look.slots, today) };
    };
    // The carry is advanced when a batch is planned, so the next batch plans
    // on what this one will leave; a write that fails drops it.
    const write = async (planned: ReturnType<typeof planOn>, guard: PlannedOn | null, lookedUpAt: number) => {
      if (carryable) this.carries.keep(key, { look: advance(planned.look, planned.plan.granted), lookedUpAt });
      try {
        return { ...planned, written: await writeReservations(sql, actor, planned.plan.granted, guard) };
      } catch (err) {
        if (guard) {
          this.stats.carriesRefused++;
          this.carries.refused(key);
        } else this.carries.drop(key);
        throw err;
      }
    };
    let earlier = startedBefore;
    const round = await withRaceRetry(async () => {
      let carry = carryable ? this.carries.get(key) : undefined;
      if (!carry && carryable && earlier.length > 0) {
        // Look up only once the batches before this one are written, so
        // that the carry this lookup starts holds what they reserved.
        await Promise.allSettled(earlier);
        earlier = [];
        carry = this.carries.get(key);
      }
      if (carry) {
        const planned = planOn(carry.look);
        // Refusals and unknown codes are never answered from a carry: a fresh lookup decides them.
        if (planned.failed.length === 0 && planned.plan.refused.length === 0 && planned.plan.granted.every(inBaseUnits)) {
          this.stats.carried++;
          return write(planned, plannedOn(carry.look, planned.plan.granted), carry.lookedUpAt);
        }
        this.carries.drop(key);
      }
      const lookedUpAt = performance.now();
      this.stats.lookups++;
      const look = await lookupForReservations(
        sql,
        companyId,
        leaders.flatMap((i) => batch[i]?.input.lines.map((l) => l.item) ?? []),
        leaders.map((i) => batch[i]?.input.idempotencyKey ?? ''),
      );
      return write(planOn(look), null, lookedUpAt);
    });

    for (const { index, error } of [...round.failed, ...round.plan.refused]) fail(index, error);
    if (round.plan.refused.length > 0) await recordStockouts(sql, companyId, round.plan.refused.map((r) => r.stockout));
    const slotById = new Map(round.look.slots.map((s) => [s.balanceId, s]));
    round.plan.granted.forEach((g, n) => {
      const w = round.written[n];
      outcomes[g.resolved.index] = w ? { ok: true, value: viewOf(g, w, slotById) } : { ok: false, error: new Error('reservation not written') };
    });
    if (round.replays.length > 0) {
      // Keys with a reservation already: answer it, or refuse a different request under the same key.
      const views = await loadReservations(sql, companyId, { keys: round.replays.map((i) => batch[i]?.input.idempotencyKey ?? '') });
      const byKey = new Map(views.map((v) => [v.idempotencyKey, v]));
      for (const i of round.replays) {
        const req = batch[i] as HashedRequest;
        const view = byKey.get(req.input.idempotencyKey);
        if (round.look.taken.get(req.input.idempotencyKey) !== req.hash) fail(i, new IdempotencyConflictError(req.input.idempotencyKey));
        else outcomes[i] = view ? { ok: true, value: view } : { ok: false, error: new Error('reservation vanished') };
      }
    }
    for (const [i, first] of followers) {
      const req = batch[i] as HashedRequest;
      if (req.hash !== batch[first]?.hash) fail(i, new IdempotencyConflictError(req.input.idempotencyKey));
      else outcomes[i] = outcomes[first];
    }
    return outcomes.map((o) => o ?? { ok: false, error: new Error('reservation request not answered') });
  }
}

/** The answer for a reservation this batch wrote, as loadReservations would read it back. */
function viewOf(g: Granted, w: WrittenReservation, slots: Map<number, HoldSlot>): ReservationView {
  const input = g.resolved.request.input;
  const items = new Map(g.resolved.lines.map((l) => [l.item.id, l.item]));
  const lines = w.lines
    .map((l) => {
      const slot = slots.get(l.balanceId);
      const item = items.get(l.itemId);
      return { id: l.id, expiry: slot?.expiryDate ?? null, line: { line: l.lineNo, item: item?.code ?? '', warehouse: slot?.warehouseCode ?? '', location: slot?.locationCode ?? '', batch: slot?.batchNo ?? null, qty: formatMicro(l.qty), unit: item?.unit ?? '' } };
    })
    // loadReservations' order: line, then earliest expiry (undated last), then the order written
    .sort((a, b) => a.line.line - b.line.line || (a.expiry === b.expiry ? 0 : a.expiry === null ? 1 : b.expiry === null ? -1 : a.expiry < b.expiry ? -1 : 1) || a.id - b.id)
    .map((l) => l.line);
  return {
    id: w.id,
    orderRef: input.orderRef,
    channel: input.channel ?? null,
    status: 'active',
    expiresAt: w.expiresAt === null ? null : isoTime(w.expiresAt),
    createdAt: isoTime(w.createdAt),
    idempotencyKey: input.idempotencyKey,
    lines,
  };
}

async function recordStockouts(sql: Sql, companyId: number, stockouts: readonly Stockout[]): Promise<void> {
  await sql`
    insert into stockout_events (company_id, item_id, warehouse_id, source, requested, available)
    select ${companyId}, x.item_id, x.warehouse_id, 'reservation', x.requested, x.available
    from jsonb_to_recordset(${JSON.stringify(stockouts.map((o) => ({ item_id: o.itemId, warehouse_id: o.warehouseId, requested: o.requested, available: o.available })))}::jsonb)
      as x(item_id bigint, warehouse_id bigint, requested numeric, available numeric)`;
}

