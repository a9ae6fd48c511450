import type { Sql } from '../db/client.ts';
import type { MovementPlan } from './plan-movement.ts';
import { statementRows } from './write-plan-rows.ts';

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

/** A ledger row as the posting statement stored it (values after the columns' rounding). */
export interface WrittenRow {
  seq: number;
  batchId: number | null;
  qty: string;
  unitCost: string;
  value: string;
}

export type WriteResult =
  | { status: 'posted'; documentId: number; docNo: string; postedAt: string; rows: WrittenRow[] }
  | { status: 'duplicate' };

/** One document for writePlans. */
export interface DocumentToWrite {
  header: DocumentHeader;
  plan: MovementPlan;
  guards?: WriteGuards;
}


/**
 * Writes a whole document in ONE statement: header, lines, new batches,
 * balances, valuation and ledger rows. One round trip and one commit, so a
 * row lock is held only for the statement itself. The database enforces the
 * rules a racing writer could break: the balance CHECKs refuse negative stock,
 * `stockpilot_assert` refuses a stale guard, and the idempotency key refuses a
 * second document — any of these rolls back everything.
 */
export async function writePlan(sql: Sql, header: DocumentHeader, plan: MovementPlan, guards: WriteGuards = {}): Promise<WriteResult> {
  const [result] = await writePlans(sql, header.companyId, [{ header, plan, guards }]);
  return result ?? { status: 'duplicate' };
}

/**
 * Writes several documents of one company in ONE statement and one commit
 * (see writePlan for what a document's write does). All documents or none:
 * a CHECK or an assert refusing any of them rolls back every one, and the
 * caller decides what to do next (PostingBatcher posts them one by one).
 * A single document whose idempotency key is already taken writes nothing and
 * answers `duplicate`; in a batch of several, a taken key refuses the batch
 * (KEY_TAKEN), because the documents after it were planned on its effects.
 *
 * Documents may share items and are applied in the order given, as if posted
 * one after the other: the moving average runs document by document (vchain)
 * and every balance row must hold after each document, not only at the end
 * (the CHECKs see the end, the STOCK_CHANGED assert the states in between).
 * Each row is still updated once, with the sum of the documents' changes.
 * The plans must already be sequential (each planned on the stock the ones
 * before it leave), which PostingBatcher does.
 */
export async function writePlans(sql: Sql, companyId: number, docs: readonly DocumentToWrite[]): Promise<WriteResult[]> {
  if (docs.length === 0) return [];
  const { heads, moves, lines, batches, serialMoves, itemIds } = statementRows(docs);
  const consumeIds = docs.flatMap((d) => d.guards?.consumeReservationId ?? []);
  const sourceIds = docs.flatMap((d) => d.guards?.sourceVersion?.documentId ?? []);

  const rows = await sql<
    {
      ord: number;
      document_id: number | null;
      doc_no: string | null;
      posted_at: string | null;
      seq: number | null;
      batch_id: number | null;
      qty: string | null;
      unit_cost: string | null;
      value: string | null;
      ok: boolean;
    }[]
  >`
    with recursive d_in as (
      select * from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb) as d(
        ord int, type text, prefix text, reason text, warehouse_id bigint, to_warehouse_id bigint, in_transit boolean,
        source_document_id bigint, reservation_id bigint, reference text, note text, idempotency_key text, request_hash text,
        created_by bigint, channel text, posted_at timestamptz, consume_reservation_id bigint, source_id bigint, source_version int)
    ),
    doc as (
      insert into stock_documents (id, company_id, doc_no, type, reason, status, warehouse_id, to_warehouse_id, in_transit,
                                   source_document_id, reservation_id, reference, note, idempotency_key, request_hash,
                                   created_by, channel, posted_at)
      select n.id, ${companyId},
             -- at least six digits; lpad alone would cut ids of seven digits and more to six (duplicates)
             n.prefix || to_char(n.at at time zone c.timezone, 'YYYYMMDD') || '-' || lpad(n.id::text, greatest(6, length(n.id::text)), '0'),
             n.type, n.reason, 'posted', n.warehouse_id, n.to_warehouse_id, n.in_transit,
             n.source_document_id, n.reservation_id, n.reference, n.note,
             n.idempotency_key, n.request_hash, n.created_by, n.channel, n.at
      from (select d.*, coalesce(d.posted_at, now()) as at, nextval(q.seq) as id
            from d_in d cross join (select pg_get_serial_sequence('stock_documents', 'id')::regclass as seq) q
            order by d.ord) n
      join companies c on c.id = ${companyId}
      on conflict (company_id, idempotency_key) do nothing
      returning id, doc_no, posted_at, idempotency_key
    ),
    dk as (
      -- the documents actually inserted (a taken key inserts nothing, and so writes nothing below)
      select d.ord, d.type, d.created_by, d.consume_reservation_id, d.source_id, d.source_version, doc.id, doc.doc_no, doc.posted_at
      from doc join d_in d using (idempotency_key)
    ),
    mv as (
      select m.*, k.id as document_id, k.type as doc_type, k.created_by, k.posted_at
      from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as m(
        ord int, seq int, line_no int, item_id bigint, warehouse_id bigint, location_id bigint, batch_id bigint, batch_no text,
        qty numeric, unit_cost numeric, reserved_delta numeric, reference_cost numeric, allow_negative boolean)
      join dk k using (ord)
    ),
    nb as (
      insert into batches (company_id, item_id, batch_no, mfg_date, expiry_date, received_at)
      select ${companyId}, b.item_id, b.batch_no, b.mfg_date, b.expiry_date, k.posted_at
      from jsonb_to_recordset(${JSON.stringify(batches)}::jsonb) as b(ord int, n int, item_id bigint, batch_no text, mfg_date date, expiry_date date)
      join dk k using (ord)
      order by ord, n
      -- a concurrent receipt may have created the same batch a moment ago: use it
      on conflict (item_id, batch_no) do update set batch_no = excluded.batch_no
      returning id, item_id, batch_no
    ),
    mvb as (
      select m.*, coalesce(m.batch_id, nb.id) as bid
      from mv m left join nb on m.batch_id is null and nb.item_id = m.item_id and nb.batch_no = m.batch_no
    ),
    agg as (
      -- per document and item, k = the document's place among this statement's documents of the item
      select ord, item_id,
             sum(qty) as qty,
             coalesce(sum(qty * unit_cost) filter (where unit_cost is not null), 0) as given_value,
             coalesce(sum(qty) filter (where unit_cost is null), 0) as avg_qty,
             max(reference_cost) as reference_cost,
             row_number() over (partition by item_id order by ord) as k
      from mv group by ord, item_id
    ),
    vlock as (
      -- the valuation rows as they are now (locked: a racing posting waits for our commit, or we for its)
      select v.item_id, v.qty, v.value from item_valuations v
      where v.item_id = any(${itemIds}::bigint[]) and v.company_id = ${companyId}
      for update
    ),
    vchain as (
      -- Moving weighted average, document after document: outflows (and
      -- transfers) at the average before the document, inflows at their cost.
      select a.item_id, a.k, a.ord,
             case when l.qty > 0 then round(l.value / l.qty, 6) else a.reference_cost end as cost,
             l.qty + a.qty as qty,
             l.value + a.given_value + a.avg_qty * (case when l.qty > 0 then round(l.value / l.qty, 6) else a.reference_cost end) as value
      from agg a join vlock l on l.item_id = a.item_id
      where a.k = 1
      union all
      select a.item_id, a.k, a.ord,
             case when c.qty > 0 then round(c.value / c.qty, 6) else a.reference_cost end,
             c.qty + a.qty,
             c.value + a.given_value + a.avg_qty * (case when c.qty > 0 then round(c.value / c.qty, 6) else a.reference_cost end)
      from vchain c join agg a on a.item_id = c.item_id and a.k = c.k + 1
    ),
    val as (
      -- posted_unit_cost keeps the average the last document was posted at
      update item_valuations v set posted_unit_cost = f.cost, qty = f.qty, value = f.value, updated_at = now()
      from (select distinct on (item_id) item_id, cost, qty, value from vchain order by item_id, k desc) f
      -- the explicit id list lets the planner use the primary key (jsonb_to_recordset has no row estimate)
      where v.item_id = f.item_id and v.item_id = any(${itemIds}::bigint[]) and v.company_id = ${companyId}
      returning v.item_id
    ),
    dpo as (
      select ord, item_id, warehouse_id, location_id, bid, sum(qty) as qty, sum(reserved_delta) as reserved,
             bool_or(allow_negative) as allow_negative, min(seq) as first_seq
      from mvb group by ord, item_id, warehouse_id, location_id, bid
    ),
    dpre as (
      -- running totals per balance row, document after document
      select dpo.*, sum(qty) over w as p_on, sum(reserved) over w as p_res
      from dpo window w as (partition by item_id, location_id, bid order by ord)
    ),
    delta as (
      select item_id, warehouse_id, location_id, bid, sum(qty) as qty, sum(reserved) as reserved,
             bool_or(allow_negative) as allow_negative, count(*) as docs,
             least(0, min(p_on)) as min_on, least(0, min(p_res)) as min_res, least(0, min(p_on - p_res)) as min_free,
             -- the first move that touches the row: new rows are created in that order, as posting one by one would
             min(ord::bigint * 1000000 + first_seq) as first_pos
      from dpre
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
        and b.company_id = ${companyId}
      returning b.item_id, b.location_id, b.batch_id, b.on_hand, b.reserved, b.allow_negative
    ),
    ins as (
      insert into stock_balances as b (company_id, item_id, warehouse_id, location_id, batch_id, on_hand, reserved, allow_negative)
      select ${companyId}, d.item_id, d.warehouse_id, d.location_id, d.bid, d.qty, d.reserved, d.allow_negative
      from delta d
      where not exists (select 1 from upd u where u.item_id = d.item_id and u.location_id = d.location_id
                                              and u.batch_id is not distinct from d.bid)
      order by d.first_pos
      -- created by a concurrent posting after our snapshot
      on conflict on constraint stock_balances_key_uq do update
        set on_hand = b.on_hand + excluded.on_hand, reserved = b.reserved + excluded.reserved, updated_at = now()
      returning b.item_id, b.location_id, b.batch_id, b.on_hand, b.reserved, b.allow_negative
    ),
    stale as (
      -- The CHECKs see a row's final value. When several documents move one
      -- row, every state in between must hold too: from the row as it was
      -- (final − total) through each document's running total.
      select 1 from (select * from upd union all select * from ins) u
      join delta d on d.item_id = u.item_id and d.location_id = u.location_id and d.bid is not distinct from u.batch_id
      where d.docs > 1
        and ((not u.allow_negative and u.on_hand - d.qty + d.min_on < 0)
             or u.reserved - d.reserved + d.min_res < 0
             or (not u.allow_negative and (u.on_hand - d.qty) - (u.reserved - d.reserved) + d.min_free < 0))
    ),
    led as (
      insert into stock_ledger (company_id, document_id, seq, line_no, doc_type, item_id, warehouse_id, location_id, batch_id,
                                qty_delta, unit_cost, value_delta, created_by, posted_at)
      select ${companyId}, m.document_id, m.seq, m.line_no, m.doc_type, m.item_id, m.warehouse_id, m.location_id, m.bid,
             m.qty, coalesce(m.unit_cost, c.cost), m.qty * coalesce(m.unit_cost, c.cost),
             m.created_by, m.posted_at
      from mvb m join vchain c on c.item_id = m.item_id and c.ord = m.ord
      order by m.ord, m.seq
      returning document_id, seq, batch_id, qty_delta, unit_cost, value_delta
    ),
    ln_in as (
      select l.*, k.id as document_id
      from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb) as l(ord int, line_no int, item_id bigint, qty numeric, unit text,
                                                               qty_base numeric, batch_no text, unit_cost numeric)
      join dk k using (ord)
    ),
    ln as (
      insert into document_lines (company_id, document_id, line_no, item_id, qty, unit, qty_base, batch_no, unit_cost)
      select ${companyId}, document_id, line_no, item_id, qty, unit, qty_base, batch_no, unit_cost
      from ln_in
      order by ord, line_no
      returning 1
    ),
    sm as (
      select s.*, k.id as document_id
      from jsonb_to_recordset(${JSON.stringify(serialMoves)}::jsonb)
        as s(ord int, n int, item_id bigint, serial_no text, from_location bigint, to_location bigint)
      join dk k using (ord)
    ),
    serial_in as (
      -- A unit arrives: new, or back again after it was issued (a return).
      insert into serials as s (company_id, item_id, serial_no, status, location_id, last_document_id)
      select ${companyId}, item_id, serial_no, 'in_stock', to_location, document_id
      from sm where from_location is null
      order by ord, n
      on conflict (item_id, serial_no) do update
        set status = 'in_stock', location_id = excluded.location_id, last_document_id = excluded.last_document_id, updated_at = now()
        where s.status = 'issued'
      returning 1
    ),
    serial_moved as (
      -- A unit leaves or changes place: only from where the plan saw it, still in stock.
      update serials s
      set status = case when sm.to_location is null then 'issued' else 'in_stock' end,
          location_id = sm.to_location, last_document_id = sm.document_id, updated_at = now()
      from sm
      where sm.from_location is not null and s.item_id = sm.item_id and s.serial_no = sm.serial_no
        and s.company_id = ${companyId} and s.status = 'in_stock' and s.location_id = sm.from_location
      returning 1
    ),
    -- The reservations to consume and the source document to bump are reached by
    -- primary key through the ids given (consumeIds, sourceIds). Joined through
    -- dk alone, they cost the hundred documents jsonb_to_recordset estimates
    -- against the table's statistics, and a cached plan may then scan the whole
    -- table every time: with statistics taken before a burst of orders, every
    -- batch read all 180k open reservations (72 ms a statement, not 3).
    res_held as (
      -- Locked first, their state judged in res: a status condition here would
      -- let the planner read the partial index of active reservations, which
      -- those statistics show as nearly empty.
      select r.id, r.status from reservations r
      where r.id = any(${consumeIds}::bigint[]) and r.company_id = ${companyId}
      for update
    ),
    res as (
      update reservations r set status = 'consumed', document_id = k.id, updated_at = now()
      from res_held h join dk k on k.consume_reservation_id = h.id
      where r.id = any(${consumeIds}::bigint[]) and r.id = h.id and h.status = 'active'
      returning r.id
    ),
    src as (
      update stock_documents s set version = s.version + 1
      from dk k
      where s.id = any(${sourceIds}::bigint[]) and s.id = k.source_id and s.company_id = ${companyId} and s.version = k.source_version
      returning s.id
    ),
    chk as materialized (
      select
        stockpilot_assert((select count(*) from val) = (select count(distinct item_id) from mv), 'VALUATION_MISSING', 'item valuation rows')
        and stockpilot_assert((select count(*) from led) = (select count(*) from mv), 'LEDGER_INCOMPLETE', 'ledger rows')
        and stockpilot_assert(not exists (select 1 from stale), 'STOCK_CHANGED', 'balance rows')
        and stockpilot_assert((select count(*) from d_in) = 1 or (select count(*) from dk) = (select count(*) from d_in),
                              'KEY_TAKEN', 'idempotency keys')
        and stockpilot_assert((select count(*) from ln) = (select count(*) from ln_in), 'LINES_INCOMPLETE', 'document lines')
        and stockpilot_assert((select count(*) from serial_in) + (select count(*) from serial_moved) = (select count(*) from sm),
                              'SERIAL_NOT_AVAILABLE', 'serial numbers')
        and stockpilot_assert((select count(*) from res) = (select count(consume_reservation_id) from dk),
                              'RESERVATION_NOT_ACTIVE', (select string_agg(consume_reservation_id::text, ',') from dk))
        and stockpilot_assert((select count(*) from src) = (select count(source_id) from dk),
                              'SOURCE_CHANGED', (select string_agg(source_id::text, ',') from dk)) as ok
    )
    select d.ord, k.id as document_id, k.doc_no, k.posted_at, l.seq, l.batch_id, l.qty_delta as qty, l.unit_cost,
           l.value_delta as value, chk.ok
    from d_in d cross join chk
    left join dk k on k.ord = d.ord
    left join led l on l.document_id = k.id
    order by d.ord, l.seq`;

  const results: WriteResult[] = docs.map(() => ({ status: 'duplicate' }));
  for (const r of rows) {
    if (r.document_id === null) continue;
    let res = results[r.ord];
    if (!res || res.status === 'duplicate') {
      res = { status: 'posted', documentId: r.document_id, docNo: r.doc_no ?? '', postedAt: r.posted_at ?? '', rows: [] };
      results[r.ord] = res;
    }
    if (r.seq !== null) {
      res.rows.push({ seq: r.seq, batchId: r.batch_id, qty: r.qty ?? '0', unitCost: r.unit_cost ?? '0', value: r.value ?? '0' });
    }
  }
  return results;
}
