import type { Database, Sql } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { allocatable, allocateFifo } from '../allocation.ts';
import { Coalescer, type Outcome } from '../coalescer.ts';
import { formatMicro, type Micro } from '../decimal.ts';
import { IdempotencyConflictError, InsufficientStockError, NotFoundError, ValidationError } from '../errors.ts';
import { requestHash } from '../hash.ts';
import { loadItems, loadSlots, loadWarehouses, type ItemInfo, type SlotRow, type WarehouseInfo } from '../lookup.ts';
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
    this.coalescer = new Coalescer((_key, batch) => this.runBatch(batch));
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

  private async runBatch(requests: Request[]): Promise<Outcome<ReservationView>[]> {
    const sql = this.db.sql;
    const hashes = await Promise.all(requests.map((r) => requestHash(r.input)));
    const batch: HashedRequest[] = requests.map((r, i) => ({ ...r, hash: hashes[i] ?? '' }));
    const actor = batch[0]?.actor;
    if (!actor) return [];
    const companyId = actor.companyId;
    const outcomes: (Outcome<ReservationView> | undefined)[] = new Array(batch.length);
    const fail = (i: number, error: unknown) => (outcomes[i] = { ok: false, error });

    const [items, warehouses, existing] = await Promise.all([
      loadItems(sql, companyId, batch.flatMap((r) => r.input.lines.map((l) => l.item))),
      allWarehouses(sql, companyId),
      sql<{ idempotency_key: string; request_hash: string }[]>`
        select idempotency_key, request_hash from reservations
        where company_id = ${companyId} and idempotency_key = any(${batch.map((r) => r.input.idempotencyKey)}::text[])`,
    ]);
    const existingHash = new Map(existing.map((e) => [e.idempotency_key, e.request_hash]));

    // Same key twice in one batch: the first decides, the others replay it.
    const firstByKey = new Map<string, number>();
    const replays: number[] = [];
    const resolved: Resolved[] = [];
    batch.forEach((req, i) => {
      const key = req.input.idempotencyKey;
      const known = existingHash.get(key) ?? (firstByKey.has(key) ? batch[firstByKey.get(key) ?? 0]?.hash : undefined);
      if (known !== undefined) {
        if (known !== req.hash) fail(i, new IdempotencyConflictError(key));
        else replays.push(i);
        return;
      }
      firstByKey.set(key, i);
      try {
        resolved.push(resolveRequest(i, req, items, warehouses));
      } catch (err) {
        fail(i, err);
      }
    });

    if (resolved.length > 0) {
      const today = todayIn(actor.timezone);
      const granted = await withRaceRetry(async () => {
        const slots = await loadSlots(
          sql,
          companyId,
          resolved.flatMap((r) => r.lines.map((l) => l.item.id)),
          [...warehouses.values()].map((w) => w.id),
        );
        const plan = allocateRequests(resolved, slots, today);
        await writeReservations(sql, actor, plan.granted);
        return plan;
      });
      for (const { index, error } of granted.refused) fail(index, error);
      for (const g of granted.granted) replays.push(g.resolved.index);
    }

    // Everything that now exists (created here, by a racing process, or before) is read back by key.
    const views = await loadReservations(sql, companyId, { keys: replays.map((i) => batch[i]?.input.idempotencyKey ?? '') });
    const byKey = new Map(views.map((v) => [v.idempotencyKey, v]));
    for (const i of replays) {
      const view = byKey.get(batch[i]?.input.idempotencyKey ?? '');
      outcomes[i] = view ? { ok: true, value: view } : { ok: false, error: new Error('reservation vanished after writing') };
    }
    return outcomes.map((o) => o ?? { ok: false, error: new Error('reservation request not answered') });
  }
}

async function allWarehouses(sql: Sql, companyId: number): Promise<Map<string, WarehouseInfo>> {
  const codes = await sql<{ code: string }[]>`select code from warehouses where company_id = ${companyId} and active`;
  return loadWarehouses(sql, companyId, codes.map((c) => c.code));
}

function resolveRequest(index: number, request: HashedRequest, items: Map<string, ItemInfo>, warehouses: Map<string, WarehouseInfo>): Resolved {
  const issues = new IssueList();
  const lines: Resolved['lines'] = [];
  request.input.lines.forEach((line, i) => {
    const item = items.get(line.item);
    if (!item) throw new NotFoundError('item', line.item);
    let warehouseIds = [...warehouses.values()].map((w) => w.id);
    let warehouseLabel = '*';
    if (line.warehouse !== undefined) {
      const wh = warehouses.get(line.warehouse);
      if (!wh) throw new NotFoundError('warehouse', line.warehouse);
      warehouseIds = [wh.id];
      warehouseLabel = wh.code;
    }
    const q = toBaseQty(item, line.qty, line.unit, `lines[${i}]`, issues, 'positive');
    if (q) lines.push({ lineNo: i + 1, item, warehouseIds, qty: q.qtyBase, warehouseLabel });
  });
  issues.throwIfAny();
  return { index, request, lines };
}

/** Serves requests in arrival order from one pool of balance rows, each all or nothing. */
function allocateRequests(resolved: Resolved[], slots: SlotRow[], today: string) {
  const pool = slots.map((s) => ({ ...s }));
  const granted: Granted[] = [];
  const refused: { index: number; error: unknown }[] = [];
  for (const r of resolved) {
    const taken: { line: Resolved['lines'][number]; slot: SlotRow; qty: Micro }[] = [];
    let shortage: InsufficientStockError | null = null;
    for (const line of r.lines) {
      const candidates = pool.filter((s) => s.itemId === line.item.id && line.warehouseIds.includes(s.warehouseId));
      const got = allocateFifo(candidates, line.qty, { today });
      if (!got) {
        shortage = new InsufficientStockError({
          item: line.item.code,
          warehouse: line.warehouseLabel,
          requested: formatMicro(line.qty),
          available: formatMicro(allocatable(candidates, { today })),
        });
        break;
      }
      for (const a of got) {
        (a.slot as SlotRow).available -= a.qty;
        taken.push({ line, slot: a.slot as SlotRow, qty: a.qty });
      }
    }
    if (shortage) {
      for (const t of taken) t.slot.available += t.qty; // give back what earlier lines took
      refused.push({ index: r.index, error: shortage });
      continue;
    }
    granted.push({
      resolved: r,
      lines: taken.map((t) => ({ lineNo: t.line.lineNo, itemId: t.line.item.id, warehouseId: t.slot.warehouseId, balanceId: t.slot.balanceId, qty: t.qty })),
    });
  }
  return { granted, refused };
}

/**
 * One statement for the whole batch: reservation rows, their lines and the
 * `reserved` increments. A key another process took meanwhile inserts nothing
 * (and reserves nothing); the caller then reads that reservation back.
 */
async function writeReservations(sql: Sql, actor: Actor, granted: Granted[]): Promise<void> {
  if (granted.length === 0) return;
  const heads = granted.map((g, ord) => ({
    ord,
    order_ref: g.resolved.request.input.orderRef,
    channel: g.resolved.request.input.channel ?? null,
    expires_at: g.resolved.request.input.expiresAt ?? null,
    idempotency_key: g.resolved.request.input.idempotencyKey,
    request_hash: g.resolved.request.hash,
  }));
  const lines = granted.flatMap((g) =>
    g.lines.map((l) => ({
      idempotency_key: g.resolved.request.input.idempotencyKey,
      line_no: l.lineNo,
      item_id: l.itemId,
      warehouse_id: l.warehouseId,
      balance_id: l.balanceId,
      qty: formatMicro(l.qty),
    })),
  );
  await sql`
    with req as (
      select * from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb)
        as r(ord int, order_ref text, channel text, expires_at timestamptz, idempotency_key text, request_hash text)
    ),
    ins as (
      insert into reservations (company_id, order_ref, channel, status, expires_at, idempotency_key, request_hash, created_by)
      select ${actor.companyId}, order_ref, channel, 'active', expires_at, idempotency_key, request_hash, ${actor.employeeId}
      from req order by ord
      on conflict (company_id, idempotency_key) do nothing
      returning id, idempotency_key
    ),
    rl as (
      select * from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as l(idempotency_key text, line_no int, item_id bigint, warehouse_id bigint, balance_id bigint, qty numeric)
    ),
    lines as (
      insert into reservation_lines (company_id, reservation_id, line_no, item_id, warehouse_id, balance_id, qty)
      select ${actor.companyId}, i.id, l.line_no, l.item_id, l.warehouse_id, l.balance_id, l.qty
      from rl l join ins i using (idempotency_key)
      returning balance_id, qty
    )
    update stock_balances b set reserved = b.reserved + d.qty, updated_at = now()
    from (select balance_id, sum(qty) as qty from lines group by balance_id) d
    where b.id = d.balance_id and b.company_id = ${actor.companyId}`;
}
