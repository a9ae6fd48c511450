import type { ReservedSql } from 'postgres';
import { isoTime, type Database, type Sql } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { allocatable, allocateFifo } from '../allocation.ts';
import { Coalescer, type Outcome } from '../coalescer.ts';
import { formatMicro, parseMicro, type Micro } from '../decimal.ts';
import { IdempotencyConflictError, InsufficientStockError, NotFoundError, ValidationError } from '../errors.ts';
import { requestHashSync } from '../hash.ts';
import { activeItemsJson, itemsFromRows, slotFromRow, type ItemInfo, type SlotDbRow, type SlotRow } from '../lookup.ts';
import { toBaseQty } from '../plan-movement.ts';
import { withRaceRetry } from '../race-retry.ts';
import { todayIn } from '../today.ts';
import { IssueList, parseInput } from '../validate.ts';
import { reservationInputSchema, type ReservationInput } from './input.ts';
import { loadReservations, type ReservationView } from './view.ts';

interface Request {
  actor: Actor;
  input: ReservationInput;
}

interface HashedRequest extends Request {
  hash: string;
}

/** A request once its codes and quantities are understood. */
interface Resolved {
  index: number;
  request: HashedRequest;
  lines: { lineNo: number; item: ItemInfo; warehouseIds: number[]; qty: Micro; warehouseLabel: string }[];
}

interface Granted {
  resolved: Resolved;
  lines: { lineNo: number; itemId: number; warehouseId: number; balanceId: number; qty: Micro }[];
}

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
  private readonly carries = new Map<string, Carry>();
  /** Per key: no carries until then (a carry was refused: see CARRY_PAUSE_MS). */
  private readonly pausedUntil = new Map<string, number>();
  /** Per key: the batches running, in the order they started. */
  private readonly running = new Map<string, Set<Promise<unknown>>>();
  /** Per hot item while its batches run: a connection of its own (see MAX_LANES). */
  private readonly lanes = new Map<string, Promise<ReservedSql>>();

  /** Counters, for tests and the benchmark. */
  readonly stats = { lookups: 0, carried: 0, carriesRefused: 0 };
  private readonly carryMs: number;

  constructor(
    private readonly db: Database,
    options: { carryMs?: number } = {},
  ) {
    this.carryMs = options.carryMs ?? CARRY_MS;
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

  /** Drops the carries and pauses of items no longer busy. */
  private sweep(): void {
    const now = performance.now();
    for (const [key, carry] of this.carries) if (now - carry.lookedUpAt > this.carryMs) this.carries.delete(key);
    for (const [key, until] of this.pausedUntil) if (now >= until) this.pausedUntil.delete(key);
  }

  private paused(key: string): boolean {
    const until = this.pausedUntil.get(key);
    if (until === undefined) return false;
    if (performance.now() < until) return true;
    this.pausedUntil.delete(key);
    return false;
  }

  /** The stock a batch may plan on without a lookup, if the key has a carry that is still young enough. */
  private carried(key: string): Carry | undefined {
    const carry = this.carries.get(key);
    if (carry && performance.now() - carry.lookedUpAt > this.carryMs) {
      this.carries.delete(key);
      return undefined;
    }
    return carry;
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
      if (carryable && !this.paused(key)) {
        this.carries.set(key, { look: advance(planned.look, planned.plan.granted), lookedUpAt });
        if (this.carries.size > SWEEP_ABOVE) this.sweep();
      }
      try {
        return { ...planned, written: await writeReservations(sql, actor, planned.plan.granted, guard) };
      } catch (err) {
        this.carries.delete(key);
        // Refused as planned on: another process reserves this item too. Its
        // writes would refuse most carries, so look up for a while instead.
        if (guard) {
          this.stats.carriesRefused++;
          this.pausedUntil.set(key, performance.now() + CARRY_PAUSE_MS);
          if (this.pausedUntil.size > SWEEP_ABOVE) this.sweep();
        }
        throw err;
      }
    };
    let earlier = startedBefore;
    const round = await withRaceRetry(async () => {
      let carry = carryable ? this.carried(key) : undefined;
      if (!carry && carryable && earlier.length > 0) {
        // Look up only once the batches before this one are written, so
        // that the carry this lookup starts holds what they reserved.
        await Promise.allSettled(earlier);
        earlier = [];
        carry = this.carried(key);
      }
      if (carry) {
        const planned = planOn(carry.look);
        // Refusals and unknown codes are never answered from a carry: a fresh lookup decides them.
        if (planned.failed.length === 0 && planned.plan.refused.length === 0 && planned.plan.granted.every(inBaseUnits)) {
          this.stats.carried++;
          return write(planned, plannedOn(carry.look, planned.plan.granted), carry.lookedUpAt);
        }
        this.carries.delete(key);
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

/** A balance row a reservation could hold, with the codes its answer shows. */
interface HoldSlot extends SlotRow {
  warehouseCode: string;
  locationCode: string;
}

interface ReservationLookup {
  items: Map<string, ItemInfo>;
  /** Active warehouses: code → id. */
  warehouses: Map<string, number>;
  slots: HoldSlot[];
  /** Keys that already have a reservation → its request hash. */
  taken: Map<string, string>;
  /** Row versions (xmin) of the items and warehouses looked up: a change to either row changes its version. */
  versions: { items: { id: number; v: string }[]; warehouses: { id: number; v: string }[] };
}

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

/** How long a carry may stand in for a lookup (ms); a carry left by an item no longer busy is dropped. */
const CARRY_MS = 200;

/** After a plan made on a carry is refused, the item's batches look up for this long (ms). */
const CARRY_PAUSE_MS = 1000;

/** Carries kept before the stale ones are swept out. */
const SWEEP_ABOVE = 64;

/**
 * What the batches of a hot item planned so far leave: the last lookup, with
 * every reservation planned since taken out of its balance rows. The next
 * batch of the item plans on it instead of looking up again: one round trip
 * per batch instead of two. Its write then checks that the stock is exactly
 * what it planned on (PlannedOn), so a carry is never trusted, only verified.
 */
interface Carry {
  look: ReservationLookup;
  lookedUpAt: number;
}

/** The lookup as it will be once these reservations are written. */
function advance(look: ReservationLookup, granted: readonly Granted[]): ReservationLookup {
  const taken = new Map<number, Micro>();
  for (const g of granted) for (const l of g.lines) taken.set(l.balanceId, (taken.get(l.balanceId) ?? 0n) + l.qty);
  return {
    ...look,
    slots: look.slots.map((s) => {
      const qty = taken.get(s.balanceId);
      return qty === undefined ? s : { ...s, reserved: s.reserved + qty, available: s.available - qty };
    }),
  };
}

/**
 * What a plan made on a carry rests on, for the write to verify: the items
 * and the company's active warehouses are the rows planned on, unchanged;
 * the items' storage balance rows are the ones planned on, with the same
 * on-hand and reserved (the batches before this one on the lane have
 * committed when it starts, so their reservations are in); and each row the
 * plan takes from still holds that once its lock is granted. Anything else
 * refuses the write (STOCK_CHANGED) and the batch plans again on a fresh
 * lookup. A plan on a carry is thus made on exactly the stock a lookup
 * would have found.
 */
interface PlannedOn {
  expect: { balance_id: number; on_hand: string; reserved: string }[];
  items: { id: number; v: string }[];
  warehouses: { id: number; v: string }[];
  slots: { id: number; on_hand: string; reserved: string }[];
}

function plannedOn(look: ReservationLookup, granted: readonly Granted[]): PlannedOn {
  const used = new Set(granted.flatMap((g) => g.lines.map((l) => l.balanceId)));
  return {
    expect: look.slots.filter((s) => used.has(s.balanceId)).map((s) => ({ balance_id: s.balanceId, on_hand: formatMicro(s.onHand), reserved: formatMicro(s.reserved) })),
    items: look.versions.items,
    warehouses: look.versions.warehouses,
    slots: look.slots.map((s) => ({ id: s.balanceId, on_hand: formatMicro(s.onHand), reserved: formatMicro(s.reserved) })),
  };
}

/** Unit factors are not verified by the write, so a carry serves only requests in base units. */
function inBaseUnits(g: Granted): boolean {
  return g.resolved.request.input.lines.every((l, i) => l.unit === undefined || l.unit === g.resolved.lines[i]?.item.unit);
}

/** Everything a batch needs, in ONE statement: items, warehouses, the items' storage balance rows, taken keys. */
async function lookupForReservations(sql: Sql, companyId: number, codes: string[], keys: string[]): Promise<ReservationLookup> {
  const itemCodes = [...new Set(codes)];
  const [row] = await sql<
    {
      items: Parameters<typeof itemsFromRows>[0] | null;
      warehouses: { id: number; code: string }[] | null;
      slots: (SlotDbRow & { warehouse_code: string; location_code: string })[] | null;
      taken: { key: string; hash: string }[] | null;
      item_versions: { id: number; v: string }[] | null;
      warehouse_versions: { id: number; v: string }[] | null;
    }[]
  >`
    select
      ${activeItemsJson(sql, companyId, itemCodes)} as items,
      (select json_agg(json_build_object('id', w.id, 'code', w.code)) from warehouses w where w.company_id = ${companyId} and w.active) as warehouses,
      (select json_agg(json_build_object(
                'id', b.id, 'item_id', b.item_id, 'warehouse_id', b.warehouse_id, 'location_id', b.location_id,
                'batch_id', b.batch_id, 'batch_no', bt.batch_no, 'expiry_date', bt.expiry_date::text,
                'received_at', to_char(bt.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                'on_hand', b.on_hand::text, 'reserved', b.reserved::text, 'warehouse_code', w.code, 'location_code', l.code))
         from unnest(${itemCodes}::text[]) k(code)
         join items i on i.company_id = ${companyId} and i.code = k.code and i.active
         join stock_balances b on b.item_id = i.id and b.company_id = ${companyId}
         join warehouses w on w.id = b.warehouse_id and w.active
         join locations l on l.id = b.location_id and l.kind = 'storage'
         left join batches bt on bt.id = b.batch_id) as slots,
      (select json_agg(json_build_object('key', r.idempotency_key, 'hash', r.request_hash))
         from unnest(${[...new Set(keys)]}::text[]) k(key)
         join reservations r on r.company_id = ${companyId} and r.idempotency_key = k.key) as taken,
      (select json_agg(json_build_object('id', i.id, 'v', i.xmin::text))
         from items i where i.company_id = ${companyId} and i.code = any(${itemCodes}::text[]) and i.active) as item_versions,
      (select json_agg(json_build_object('id', w.id, 'v', w.xmin::text)) from warehouses w where w.company_id = ${companyId} and w.active) as warehouse_versions`;
  return {
    items: itemsFromRows(row?.items ?? []),
    warehouses: new Map((row?.warehouses ?? []).map((w) => [w.code, w.id])),
    slots: (row?.slots ?? []).map((r) => ({ ...slotFromRow(r), warehouseCode: r.warehouse_code, locationCode: r.location_code })),
    taken: new Map((row?.taken ?? []).map((t) => [t.key, t.hash])),
    versions: { items: row?.item_versions ?? [], warehouses: row?.warehouse_versions ?? [] },
  };
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

function resolveRequest(index: number, request: HashedRequest, items: Map<string, ItemInfo>, warehouses: Map<string, number>): Resolved {
  const issues = new IssueList();
  const lines: Resolved['lines'] = [];
  request.input.lines.forEach((line, i) => {
    const item = items.get(line.item);
    if (!item) throw new NotFoundError('item', line.item);
    let warehouseIds = [...warehouses.values()];
    let warehouseLabel = '*';
    if (line.warehouse !== undefined) {
      const id = warehouses.get(line.warehouse);
      if (id === undefined) throw new NotFoundError('warehouse', line.warehouse);
      warehouseIds = [id];
      warehouseLabel = line.warehouse;
    }
    const q = toBaseQty(item, line.qty, line.unit, `lines[${i}]`, issues, 'positive');
    if (q) lines.push({ lineNo: i + 1, item, warehouseIds, qty: q.qtyBase, warehouseLabel });
  });
  issues.throwIfAny();
  return { index, request, lines };
}

/** A reservation line refused for lack of stock: the stockout rate counts these against the lines granted. */
interface Stockout {
  itemId: number;
  /** Null when the line could take from several warehouses. */
  warehouseId: number | null;
  requested: string;
  available: string;
}

async function recordStockouts(sql: Sql, companyId: number, stockouts: readonly Stockout[]): Promise<void> {
  await sql`
    insert into stockout_events (company_id, item_id, warehouse_id, source, requested, available)
    select ${companyId}, x.item_id, x.warehouse_id, 'reservation', x.requested, x.available
    from jsonb_to_recordset(${JSON.stringify(stockouts.map((o) => ({ item_id: o.itemId, warehouse_id: o.warehouseId, requested: o.requested, available: o.available })))}::jsonb)
      as x(item_id bigint, warehouse_id bigint, requested numeric, available numeric)`;
}

/** Serves requests in arrival order from one pool of balance rows, each all or nothing. */
function allocateRequests(resolved: Resolved[], slots: SlotRow[], today: string) {
  const pool = slots.map((s) => ({ ...s }));
  const granted: Granted[] = [];
  const refused: { index: number; error: unknown; stockout: Stockout }[] = [];
  for (const r of resolved) {
    const taken: { line: Resolved['lines'][number]; slot: SlotRow; qty: Micro }[] = [];
    let shortage: { error: InsufficientStockError; stockout: Stockout } | null = null;
    for (const line of r.lines) {
      const candidates = pool.filter((s) => s.itemId === line.item.id && line.warehouseIds.includes(s.warehouseId));
      const got = allocateFifo(candidates, line.qty, { today });
      if (!got) {
        const available = allocatable(candidates, { today });
        shortage = {
          error: new InsufficientStockError({ item: line.item.code, warehouse: line.warehouseLabel, requested: formatMicro(line.qty), available: formatMicro(available) }),
          stockout: { itemId: line.item.id, warehouseId: line.warehouseIds.length === 1 ? (line.warehouseIds[0] ?? null) : null, requested: formatMicro(line.qty), available: formatMicro(available) },
        };
        break;
      }
      for (const a of got) {
        (a.slot as SlotRow).available -= a.qty;
        taken.push({ line, slot: a.slot as SlotRow, qty: a.qty });
      }
    }
    if (shortage) {
      for (const t of taken) t.slot.available += t.qty; // give back what earlier lines took
      refused.push({ index: r.index, ...shortage });
      continue;
    }
    granted.push({
      resolved: r,
      lines: taken.map((t) => ({ lineNo: t.line.lineNo, itemId: t.line.item.id, warehouseId: t.slot.warehouseId, balanceId: t.slot.balanceId, qty: t.qty })),
    });
  }
  return { granted, refused };
}

interface WrittenReservation {
  id: number;
  createdAt: string;
  expiresAt: string | null;
  lines: { id: number; lineNo: number; itemId: number; balanceId: number; qty: Micro }[];
}

/**
 * One statement for the whole batch: reservation rows, their lines and the
 * `reserved` increments; it returns what the answers need. A key another
 * process took meanwhile refuses the batch (KEY_TAKEN; planning again then
 * finds it taken), a balance CHECK refuses stock taken meanwhile.
 */
async function writeReservations(sql: Sql, actor: Actor, granted: Granted[], guard: PlannedOn | null): Promise<WrittenReservation[]> {
  if (granted.length === 0) return [];
  const on: PlannedOn = guard ?? { expect: [], items: [], warehouses: [], slots: [] };
  const heads = granted.map((g, ord) => ({
    ord,
    order_ref: g.resolved.request.input.orderRef,
    channel: g.resolved.request.input.channel ?? null,
    expires_at: g.resolved.request.input.expiresAt ?? null,
    idempotency_key: g.resolved.request.input.idempotencyKey,
    request_hash: g.resolved.request.hash,
  }));
  const lines = granted.flatMap((g, ord) =>
    g.lines.map((l, n) => ({
      ord,
      n,
      line_no: l.lineNo,
      item_id: l.itemId,
      warehouse_id: l.warehouseId,
      balance_id: l.balanceId,
      qty: formatMicro(l.qty),
    })),
  );
  const rows = await sql<
    { ok: boolean; ord: number | null; id: number | null; created_at: string | null; expires_at: string | null; line_id: number | null; line_no: number | null; item_id: number | null; balance_id: number | null; qty: string | null }[]
  >`
    with req as (
      select * from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb)
        as r(ord int, order_ref text, channel text, expires_at timestamptz, idempotency_key text, request_hash text)
    ),
    ins as (
      insert into reservations (company_id, order_ref, channel, status, expires_at, idempotency_key, request_hash, created_by)
      select ${actor.companyId}, order_ref, channel, 'active', expires_at, idempotency_key, request_hash, ${actor.employeeId}
      from req order by ord
      on conflict (company_id, idempotency_key) do nothing
      returning id, idempotency_key, created_at, expires_at
    ),
    ik as (select r.ord, i.* from ins i join req r using (idempotency_key)),
    rl as (
      select * from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as l(ord int, n int, line_no int, item_id bigint, warehouse_id bigint, balance_id bigint, qty numeric)
    ),
    lines as (
      insert into reservation_lines (company_id, reservation_id, line_no, item_id, warehouse_id, balance_id, qty)
      select ${actor.companyId}, i.id, l.line_no, l.item_id, l.warehouse_id, l.balance_id, l.qty
      from rl l join ik i using (ord)
      order by l.ord, l.n
      returning id, reservation_id, line_no, item_id, balance_id, qty
    ),
    exp as (
      select * from jsonb_to_recordset(${JSON.stringify(on.expect)}::jsonb) as e(balance_id bigint, on_hand numeric, reserved numeric)
    ),
    upd as (
      -- With expectations (a plan made on a carry), a row that is not exactly
      -- as planned on is left alone; the condition is checked again on the
      -- row's latest version once its lock is granted.
      update stock_balances b set reserved = b.reserved + d.qty, updated_at = now()
      from (select balance_id, sum(qty) as qty from lines group by balance_id) d
      left join exp e on e.balance_id = d.balance_id
      where b.id = d.balance_id and b.company_id = ${actor.companyId}
        and (e.balance_id is null or (b.on_hand = e.on_hand and b.reserved = e.reserved))
      returning 1
    ),
    planned_on as materialized (
      select
        not exists (
          select 1 from jsonb_to_recordset(${JSON.stringify(on.items)}::jsonb) as g(id bigint, v text)
          left join items i on i.id = g.id and i.company_id = ${actor.companyId} and i.active
          where i.id is null or i.xmin::text <> g.v)
        and not exists (
          select 1
          from (select w.id, w.xmin::text as v from warehouses w where w.company_id = ${actor.companyId} and w.active) cur
          full join jsonb_to_recordset(${JSON.stringify(on.warehouses)}::jsonb) as g(id bigint, v text) on g.id = cur.id
          where ${on.items.length > 0} and (cur.id is null or g.id is null or cur.v <> g.v))
        and not exists (
          select 1
          from (select b.id, b.on_hand, b.reserved from stock_balances b
                join warehouses w on w.id = b.warehouse_id and w.active
                join locations l on l.id = b.location_id and l.kind = 'storage'
                where b.company_id = ${actor.companyId} and b.item_id = any(${on.items.map((i) => i.id)}::bigint[])) cur
          full join jsonb_to_recordset(${JSON.stringify(on.slots)}::jsonb) as s(id bigint, on_hand numeric, reserved numeric) on s.id = cur.id
          where cur.id is null or s.id is null or cur.on_hand <> s.on_hand or cur.reserved <> s.reserved) as ok
    ),
    chk as materialized (
      select stockpilot_assert((select count(*) from ins) = ${heads.length}, 'KEY_TAKEN', 'reservation idempotency keys')
             and stockpilot_assert((select ok from planned_on), 'STOCK_CHANGED', 'items, warehouses and balance rows planned on')
             and stockpilot_assert((select count(*) from upd) = (select count(distinct balance_id) from lines), 'STOCK_CHANGED', 'balance rows') as ok
    )
    select chk.ok, i.ord, i.id, i.created_at, i.expires_at, l.id as line_id, l.line_no, l.item_id, l.balance_id, l.qty
    from chk left join (ik i join lines l on l.reservation_id = i.id) on true
    order by i.ord, l.id`;
  const out: WrittenReservation[] = granted.map(() => ({ id: 0, createdAt: '', expiresAt: null, lines: [] }));
  for (const r of rows) {
    const w = r.ord === null ? undefined : out[r.ord];
    if (!w || r.id === null || r.line_id === null) continue;
    w.id = r.id;
    w.createdAt = r.created_at ?? '';
    w.expiresAt = r.expires_at;
    w.lines.push({ id: r.line_id, lineNo: r.line_no ?? 0, itemId: r.item_id ?? 0, balanceId: r.balance_id ?? 0, qty: parseMicro(r.qty ?? '0') ?? 0n });
  }
  return out;
}
