import type { Sql } from '../db/client.ts';
import { formatMicro, type Micro } from './decimal.ts';
import type { MovementPlan } from './plan-movement.ts';

export interface DocumentHeader {
  companyId: number;
  type: 'receipt' | 'issue' | 'transfer' | 'transfer_receipt' | 'adjustment';
  reason: string | null;
  warehouseId: number;
  toWarehouseId: number | null;
  inTransit: boolean;
  sourceDocumentId: number | null;
  reservationId: number | null;
  reference: string | null;
  note: string | null;
  idempotencyKey: string;
  requestHash: string;
  createdBy: number | null;
  channel: string;
  /** Back-dates the posting (demo history, migrations from another system); now() otherwise. */
  postedAt?: Date;
}

/** Guards the statement checks before it may write (optimistic locks on other rows). */
export interface WriteGuards {
  /** Consume this reservation: it must still be active. */
  consumeReservationId?: number;
  /** Bump this document's version: it must still be at `version` (receiving a transfer). */
  sourceVersion?: { documentId: number; version: number };
}

export type WriteResult = { status: 'posted'; documentId: number; docNo: string } | { status: 'duplicate' };

const DOC_PREFIX: Record<DocumentHeader['type'], string> = {
  receipt: 'RK',
  issue: 'CK',
  transfer: 'DB',
  transfer_receipt: 'DR',
  adjustment: 'TZ',
};

const dec = (v: Micro | null): string | null => (v === null ? null : formatMicro(v));

/**
 * Writes a whole document in ONE statement: header, lines, new batches,
 * balances, valuation and ledger rows. One round trip and one commit, so a
 * row lock is held only for the statement itself. The database enforces the
 * rules a racing writer could break: the balance CHECKs refuse negative stock,
 * `stockpilot_assert` refuses a stale guard, and the idempotency key refuses a
 * second document — any of these rolls back everything.
 */
export async function writePlan(sql: Sql, header: DocumentHeader, plan: MovementPlan, guards: WriteGuards = {}): Promise<WriteResult> {
  const moves = plan.moves.map((m) => ({
    seq: m.seq,
    line_no: m.lineNo,
    item_id: m.itemId,
    warehouse_id: m.warehouseId,
    location_id: m.locationId,
    batch_id: m.batchId,
    batch_no: m.newBatchNo,
    qty: formatMicro(m.qty),
    unit_cost: dec(m.unitCost),
    reserved_delta: formatMicro(m.reservedDelta),
    reference_cost: formatMicro(m.referenceCost),
    allow_negative: m.allowNegative,
  }));
  const lines = plan.lines.map((l) => ({
    line_no: l.lineNo,
    item_id: l.itemId,
    qty: formatMicro(l.qty),
    unit: l.unit,
    qty_base: formatMicro(l.qtyBase),
    batch_no: l.batchNo,
    unit_cost: dec(l.unitCost),
  }));
  const batches = plan.newBatches.map((b) => ({
    item_id: b.itemId,
    batch_no: b.batchNo,
    mfg_date: b.mfgDate,
    expiry_date: b.expiryDate,
  }));
  const serialMoves = plan.serialMoves.map((m) => ({
    item_id: m.itemId,
    serial_no: m.serialNo,
    from_location: m.fromLocationId,
    to_location: m.toLocationId,
  }));
  const itemCount = new Set(plan.moves.map((m) => m.itemId)).size;
  const reservationId = guards.consumeReservationId ?? null;
  const sourceId = guards.sourceVersion?.documentId ?? null;
  const sourceVersion = guards.sourceVersion?.version ?? null;

  const [row] = await sql<
    { document_id: number | null; doc_no: string | null; ok: boolean }[]
  >`
    with doc as (
      insert into stock_documents (id, company_id, doc_no, type, reason, status, warehouse_id, to_warehouse_id, in_transit,
                                   source_document_id, reservation_id, reference, note, idempotency_key, request_hash,
                                   created_by, channel, posted_at)
      select n.id, ${header.companyId},
             ${DOC_PREFIX[header.type]}
               || to_char(coalesce(${header.postedAt?.toISOString() ?? null}::timestamptz, now()) at time zone c.timezone, 'YYYYMMDD')
               || '-' || lpad(n.id::text, 6, '0'),
             ${header.type}, ${header.reason}, 'posted', ${header.warehouseId}, ${header.toWarehouseId}, ${header.inTransit},
             ${header.sourceDocumentId}, ${header.reservationId}, ${header.reference}, ${header.note},
             ${header.idempotencyKey}, ${header.requestHash}, ${header.createdBy}, ${header.channel},
             coalesce(${header.postedAt?.toISOString() ?? null}::timestamptz, now())
      from (select nextval(pg_get_serial_sequence('stock_documents', 'id')) as id) n
      join companies c on c.id = ${header.companyId}
      on conflict (company_id, idempotency_key) do nothing
      returning id, doc_no, posted_at
    ),
    mv as (
      select * from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as m(
        seq int, line_no int, item_id bigint, warehouse_id bigint, location_id bigint, batch_id bigint, batch_no text,
        qty numeric, unit_cost numeric, reserved_delta numeric, reference_cost numeric, allow_negative boolean)
    ),
    nb as (
      insert into batches (company_id, item_id, batch_no, mfg_date, expiry_date, received_at)
      select ${header.companyId}, b.item_id, b.batch_no, b.mfg_date, b.expiry_date, (select posted_at from doc)
      from jsonb_to_recordset(${JSON.stringify(batches)}::jsonb) as b(item_id bigint, batch_no text, mfg_date date, expiry_date date)
      where exists (select 1 from doc)
      -- a concurrent receipt may have created the same batch a moment ago: use it
      on conflict (item_id, batch_no) do update set batch_no = excluded.batch_no
      returning id, item_id, batch_no
    ),
    mvb as (
      select m.*, coalesce(m.batch_id, nb.id) as bid
      from mv m left join nb on m.batch_id is null and nb.item_id = m.item_id and nb.batch_no = m.batch_no
    ),
    agg as (
      select item_id,
             sum(qty) as qty,
             coalesce(sum(qty * unit_cost) filter (where unit_cost is not null), 0) as given_value,
             coalesce(sum(qty) filter (where unit_cost is null), 0) as avg_qty,
             max(reference_cost) as reference_cost
      from mv group by item_id
    ),
    val as (
      -- Moving weighted average: outflows (and transfers) at the average before
      -- this posting, which SET computes from the old row and keeps in
      -- posted_unit_cost so the ledger rows below can use the very same figure.
      update item_valuations v set
        posted_unit_cost = case when v.qty > 0 then round(v.value / v.qty, 6) else a.reference_cost end,
        qty = v.qty + a.qty,
        value = v.value + a.given_value
              + a.avg_qty * (case when v.qty > 0 then round(v.value / v.qty, 6) else a.reference_cost end),
        updated_at = now()
      from agg a
      -- the explicit id list lets the planner use the primary key (jsonb_to_recordset has no row estimate)
      where v.item_id = a.item_id and v.item_id = any(${[...new Set(plan.moves.map((m) => m.itemId))]}::bigint[])
        and v.company_id = ${header.companyId} and exists (select 1 from doc)
      returning v.item_id, v.posted_unit_cost
    ),
    delta as (
      select item_id, warehouse_id, location_id, bid, sum(qty) as qty, sum(reserved_delta) as reserved,
             bool_or(allow_negative) as allow_negative
      from mvb where exists (select 1 from doc)
      group by item_id, warehouse_id, location_id, bid
    ),
    upd as (
      -- Existing rows are updated in place; a CHECK on the new values refuses
      -- negative stock. (An INSERT … ON CONFLICT would check the proposed
      -- negative row before finding the conflict, so it cannot carry outflows.)
      update stock_balances b
      set on_hand = b.on_hand + d.qty, reserved = b.reserved + d.reserved, updated_at = now()
      from delta d
      where b.item_id = d.item_id and b.location_id = d.location_id and b.batch_id is not distinct from d.bid
        and b.company_id = ${header.companyId}
      returning b.item_id, b.location_id, b.batch_id
    ),
    ins as (
      insert into stock_balances as b (company_id, item_id, warehouse_id, location_id, batch_id, on_hand, reserved, allow_negative)
      select ${header.companyId}, d.item_id, d.warehouse_id, d.location_id, d.bid, d.qty, d.reserved, d.allow_negative
      from delta d
      where not exists (select 1 from upd u where u.item_id = d.item_id and u.location_id = d.location_id
                                              and u.batch_id is not distinct from d.bid)
      -- created by a concurrent posting after our snapshot
      on conflict on constraint stock_balances_key_uq do update
        set on_hand = b.on_hand + excluded.on_hand, reserved = b.reserved + excluded.reserved, updated_at = now()
      returning 1
    ),
    led as (
      insert into stock_ledger (company_id, document_id, seq, line_no, doc_type, item_id, warehouse_id, location_id, batch_id,
                                qty_delta, unit_cost, value_delta, created_by, posted_at)
      select ${header.companyId}, d.id, m.seq, m.line_no, ${header.type}, m.item_id, m.warehouse_id, m.location_id, m.bid,
             m.qty, coalesce(m.unit_cost, v.posted_unit_cost), m.qty * coalesce(m.unit_cost, v.posted_unit_cost),
             ${header.createdBy}, d.posted_at
      from mvb m join val v on v.item_id = m.item_id cross join doc d
      returning 1
    ),
    ln as (
      insert into document_lines (company_id, document_id, line_no, item_id, qty, unit, qty_base, batch_no, unit_cost)
      select ${header.companyId}, d.id, l.line_no, l.item_id, l.qty, l.unit, l.qty_base, l.batch_no, l.unit_cost
      from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as l(line_no int, item_id bigint, qty numeric, unit text,
                                                               qty_base numeric, batch_no text, unit_cost numeric)
      cross join doc d
      returning 1
    ),
    sm as (
      select * from jsonb_to_recordset(${JSON.stringify(serialMoves)}::jsonb)
        as s(item_id bigint, serial_no text, from_location bigint, to_location bigint)
    ),
    serial_in as (
      -- A unit arrives: new, or back again after it was issued (a return).
      insert into serials as s (company_id, item_id, serial_no, status, location_id, last_document_id)
      select ${header.companyId}, item_id, serial_no, 'in_stock', to_location, (select id from doc)
      from sm where from_location is null and exists (select 1 from doc)
      on conflict (item_id, serial_no) do update
        set status = 'in_stock', location_id = excluded.location_id, last_document_id = excluded.last_document_id, updated_at = now()
        where s.status = 'issued'
      returning 1
    ),
    serial_moved as (
      -- A unit leaves or changes place: only from where the plan saw it, still in stock.
      update serials s
      set status = case when sm.to_location is null then 'issued' else 'in_stock' end,
          location_id = sm.to_location, last_document_id = (select id from doc), updated_at = now()
      from sm
      where sm.from_location is not null and s.item_id = sm.item_id and s.serial_no = sm.serial_no
        and s.company_id = ${header.companyId} and s.status = 'in_stock' and s.location_id = sm.from_location
        and exists (select 1 from doc)
      returning 1
    ),
    res as (
      update reservations set status = 'consumed', document_id = (select id from doc), updated_at = now()
      where id = ${reservationId} and company_id = ${header.companyId} and status = 'active' and exists (select 1 from doc)
      returning id
    ),
    src as (
      update stock_documents set version = version + 1
      where id = ${sourceId} and company_id = ${header.companyId} and version = ${sourceVersion} and exists (select 1 from doc)
      returning id
    )
    select d.id as document_id, d.doc_no,
           stockpilot_assert(d.id is null or (select count(*) from val) = ${itemCount}, 'VALUATION_MISSING', 'item valuation rows')
           and stockpilot_assert(d.id is null or (select count(*) from led) = ${moves.length}, 'LEDGER_INCOMPLETE', 'ledger rows')
           and stockpilot_assert(d.id is null or (select count(*) from ln) = ${lines.length}, 'LINES_INCOMPLETE', 'document lines')
           and stockpilot_assert(d.id is null or (select count(*) from serial_in) + (select count(*) from serial_moved) = ${serialMoves.length},
                                 'SERIAL_NOT_AVAILABLE', 'serial numbers')
           and stockpilot_assert(d.id is null or ${reservationId}::bigint is null or exists (select 1 from res),
                                 'RESERVATION_NOT_ACTIVE', ${String(reservationId)})
           and stockpilot_assert(d.id is null or ${sourceId}::bigint is null or exists (select 1 from src),
                                 'SOURCE_CHANGED', ${String(sourceId)}) as ok
    from (select 1) one left join doc d on true`;

  if (!row || row.document_id === null) return { status: 'duplicate' };
  return { status: 'posted', documentId: row.document_id, docNo: row.doc_no ?? '' };
}
