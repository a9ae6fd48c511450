import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { parseMicro } from '../decimal.ts';
import { NotFoundError, ReservationNotActiveError } from '../errors.ts';
import { requestHash } from '../hash.ts';
import type { MovementPlan, PlannedMove } from '../plan-movement.ts';
import { findReplay, postPlanned } from '../post-movement.ts';
import { loadSerials } from '../lookup.ts';
import type { SerialMove } from '../plan-movement.ts';
import type { PostedDocument } from '../posted-document.ts';

interface HeldRow {
  line_no: number;
  item_id: number;
  warehouse_id: number;
  location_id: number;
  batch_id: number | null;
  batch_no: string | null;
  qty: string;
  unit: string;
  unit_cost: string;
  allow_negative: boolean;
  tracking: string;
}

/**
 * Ships what a reservation holds (出库): an issue document that takes exactly
 * the reserved balance rows, lowering on_hand and reserved together. Posting it
 * twice answers the same document.
 */
export async function consumeReservation(db: Database, actor: Actor, id: number, reference?: string): Promise<PostedDocument> {
  requireScope(actor, 'stock:write');
  const key = `reservation:${id}:consume`;
  const hash = await requestHash({ consume: id });
  const replay = await findReplay(db.sql, actor.companyId, key, hash);
  if (replay) return replay;

  const [res] = await db.sql<{ status: string; order_ref: string }[]>`
    select status, order_ref from reservations where company_id = ${actor.companyId} and id = ${id}`;
  if (!res) throw new NotFoundError('reservation', id);
  if (res.status !== 'active') throw new ReservationNotActiveError(id, res.status, 'consumed');
  const held = await db.sql<HeldRow[]>`
    select rl.line_no, rl.item_id, b.warehouse_id, b.location_id, b.batch_id, bt.batch_no, rl.qty, i.unit, i.unit_cost, b.allow_negative, i.tracking
    from reservation_lines rl
    join stock_balances b on b.id = rl.balance_id
    join items i on i.id = rl.item_id
    left join batches bt on bt.id = b.batch_id
    where rl.reservation_id = ${id}
    order by rl.line_no, rl.id`;
  const first = held[0];
  if (!first) throw new ReservationNotActiveError(id, 'empty', 'consumed');

  const moves: PlannedMove[] = held.map((h, i) => {
    const qty = parseMicro(h.qty) ?? 0n;
    return {
      seq: i + 1,
      lineNo: h.line_no,
      itemId: h.item_id,
      warehouseId: h.warehouse_id,
      locationId: h.location_id,
      batchId: h.batch_id,
      newBatchNo: null,
      qty: -qty,
      unitCost: null,
      reservedDelta: -qty,
      referenceCost: parseMicro(h.unit_cost) ?? 0n,
      allowNegative: h.allow_negative,
    };
  });
  const byLine = new Map<number, { itemId: number; qty: bigint; unit: string }>();
  for (const h of held) {
    const l = byLine.get(h.line_no) ?? { itemId: h.item_id, qty: 0n, unit: h.unit };
    l.qty += parseMicro(h.qty) ?? 0n;
    byLine.set(h.line_no, l);
  }
  const plan: Omit<MovementPlan, 'serialMoves'> = {
    moves,
    newBatches: [],
    lines: [...byLine].map(([lineNo, l]) => ({ lineNo, itemId: l.itemId, qty: l.qty, unit: l.unit, qtyBase: l.qty, batchNo: null, unitCost: null })),
  };
  let planned = 0;
  return postPlanned(
    db.sql,
    actor.companyId,
    {
      companyId: actor.companyId,
      type: 'issue',
      reason: 'sales',
      warehouseId: first.warehouse_id,
      toWarehouseId: null,
      inTransit: false,
      sourceDocumentId: null,
      reservationId: id,
      reference: reference ?? res.order_ref,
      note: null,
      idempotencyKey: key,
      requestHash: hash,
      createdBy: actor.employeeId,
      channel: actor.channel,
    },
    async () => {
      // Planning again follows a refused write. When the reservation was released
      // or consumed meanwhile, say so: the same plan would only be refused again
      // (by the balance's CHECK when it was the row's only hold).
      if (planned++ > 0) {
        const now = await statusOf(db, id);
        if (now !== 'active') throw new ReservationNotActiveError(id, now, 'consumed');
      }
      return { ...plan, serialMoves: await pickSerials(db, actor.companyId, held) };
    },
    () => ({ consumeReservationId: id }),
  ).catch(async (err: unknown) => {
    // Released or consumed by someone else between our read and our write.
    if ((err as { code?: string }).code !== 'SP409') throw err;
    throw new ReservationNotActiveError(id, await statusOf(db, id), 'consumed');
  });
}

/** The reservation's status now, after a write that counted on it being active was refused. */
async function statusOf(db: Database, id: number): Promise<string> {
  const [row] = await db.sql<{ status: string }[]>`select status from reservations where id = ${id}`;
  return row?.status ?? 'unknown';
}

/** Serial-tracked items ship the units longest in stock at each held location (FIFO). */
async function pickSerials(db: Database, companyId: number, held: HeldRow[]): Promise<SerialMove[]> {
  const serialRows = held.filter((h) => h.tracking === 'serial');
  if (serialRows.length === 0) return [];
  const candidates = await loadSerials(db.sql, companyId, [], {
    itemIds: serialRows.map((h) => h.item_id),
    locationIds: serialRows.map((h) => h.location_id),
  });
  const taken = new Set<string>();
  return serialRows.flatMap((h) => {
    const want = Number((parseMicro(h.qty) ?? 0n) / 1_000_000n);
    const picks = candidates.filter((c) => c.itemId === h.item_id && c.locationId === h.location_id && !taken.has(c.serialNo)).slice(0, want);
    for (const p of picks) taken.add(p.serialNo);
    return picks.map((p) => ({ itemId: h.item_id, serialNo: p.serialNo, fromLocationId: h.location_id, toLocationId: null }));
  });
}
