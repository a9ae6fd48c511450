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
 */
export class ReservationService {
  private readonly coalescer: Coalescer<string, Request, ReservationView>;

  constructor(private readonly db: Database) {
    // Two batches per item in flight: one is looked up and planned while the other is written.
    this.coalescer = new Coalescer((_key, batch) => this.runBatch(batch), 512, 2);
  }

  async reserve(actor: Actor, raw: unknown): Promise<ReservationView> {
    requireScope(actor, 'stock:write');
    const input = parseInput(reservationInputSchema, raw);
    if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= Date.now()) {
      throw new ValidationError([{ path: 'expiresAt', message: 'must be in the future' }]);
    }
    const items = new Set(input.lines.map((l) => l.item));
    // Single-item requests share a queue per item; others go alone.
    const key = items.size === 1 ? `${actor.companyId}\u0000${input.lines[0]?.item}` : `${actor.companyId}\u0000#${input.idempotencyKey}`;
    // Hashing happens in the batch: a caller that awaited here would miss the batch being formed.
    return this.coalescer.submit(key, { actor, input });
  }

  /**
   * One batch: one lookup statement (items, warehouses, candidate balance
   * rows and which keys are taken), allocation in memory, one write statement
   * that returns what the answers need. Keys already taken answer their first
   * result; a key taken meanwhile (KEY_TAKEN) or stock taken meanwhile (a
   * CHECK) makes the whole batch plan again on fresh data.
   */
  private async runBatch(requests: Request[]): Promise<Outcome<ReservationView>[]> {
    const sql = this.db.sql;
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
    const round = await withRaceRetry(async () => {
      const look = await lookupForReservations(
        sql,
        companyId,
        leaders.flatMap((i) => batch[i]?.input.lines.map((l) => l.item) ?? []),
        leaders.map((i) => batch[i]?.input.idempotencyKey ?? ''),
      );
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
      const plan = allocateRequests(resolved, look.slots, today);
      const written = await writeReservations(sql, actor, plan.granted);
      return { look, replays, failed, plan, written };
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
         join reservations r on r.company_id = ${companyId} and r.idempotency_key = k.key) as taken`;
  return {
    items: itemsFromRows(row?.items ?? []),
    warehouses: new Map((row?.warehouses ?? []).map((w) => [w.code, w.id])),
    slots: (row?.slots ?? []).map((r) => ({ ...slotFromRow(r), warehouseCode: r.warehouse_code, locationCode: r.location_code })),
    taken: new Map((row?.taken ?? []).map((t) => [t.key, t.hash])),
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
async function writeReservations(sql: Sql, actor: Actor, granted: Granted[]): Promise<WrittenReservation[]> {
  if (granted.length === 0) return [];
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
    upd as (
      update stock_balances b set reserved = b.reserved + d.qty, updated_at = now()
      from (select balance_id, sum(qty) as qty from lines group by balance_id) d
      where b.id = d.balance_id and b.company_id = ${actor.companyId}
      returning 1
    ),
    chk as materialized (
      select stockpilot_assert((select count(*) from ins) = ${heads.length}, 'KEY_TAKEN', 'reservation idempotency keys')
             and stockpilot_assert((select count(*) from upd) = (select count(distinct balance_id) from lines), 'BALANCE_MISSING', 'balance rows') as ok
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
