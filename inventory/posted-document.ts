import { isoTime, type Sql } from '../db/client.ts';
import { formatMicro, parseMicro, roundDecimalText } from './decimal.ts';
import { IdempotencyConflictError } from './errors.ts';

/** What posting a document answers, first time and on every idempotent retry alike. */
export interface PostedDocument {
  document: {
    id: number;
    docNo: string;
    type: string;
    reason: string | null;
    status: string;
    warehouse: string;
    toWarehouse: string | null;
    inTransit: boolean;
    reference: string | null;
    postedAt: string;
  };
  movements: PostedMovement[];
}

export interface PostedMovement {
  seq: number;
  line: number;
  item: string;
  warehouse: string;
  location: string;
  batch: string | null;
  /** Signed, in the item's base unit. */
  qty: string;
  unit: string;
  unitCost: string;
  value: string;
}

/** Money for APIs: the exact ledger value rounded to 4 decimals (display rounds further). */
export const formatMoney = (value: string): string => roundDecimalText(value, 4);

/** What building an answer from the write needs to know besides the write itself. */
export interface AnswerContext {
  type: string;
  reason: string | null;
  reference: string | null;
  inTransit: boolean;
  warehouse: { code: string };
  toWarehouse: { code: string } | null;
  /** One planned move per ledger row, by seq. */
  moves: readonly { seq: number; lineNo: number; itemId: number; warehouseId: number; locationId: number; newBatchNo: string | null }[];
  items: ReadonlyMap<number, { code: string; unit: string }>;
  warehouses: ReadonlyMap<number, { code: string; locationCodes: ReadonlyMap<number, string> }>;
  /** Batch id → batch number for every existing batch the plan touches. */
  batchNos: ReadonlyMap<number, string>;
}

/**
 * The answer to a posting, built from what the posting statement returned
 * (document id, number, time and each ledger row's stored cost and value) and
 * the codes already in hand: the same answer loadPostedDocument reads back,
 * without reading it. Null when a code is not in hand (the caller reads back).
 */
export function postedDocumentFromWrite(
  ctx: AnswerContext,
  written: { documentId: number; docNo: string; postedAt: string; rows: readonly { seq: number; batchId: number | null; qty: string; unitCost: string; value: string }[] },
): PostedDocument | null {
  const bySeq = new Map(ctx.moves.map((m) => [m.seq, m]));
  if (written.rows.length !== ctx.moves.length) return null;
  const movements: PostedMovement[] = [];
  for (const r of written.rows) {
    const m = bySeq.get(r.seq);
    const item = m && ctx.items.get(m.itemId);
    const wh = m && ctx.warehouses.get(m.warehouseId);
    const location = m && wh?.locationCodes.get(m.locationId);
    if (!m || !item || !wh || location === undefined) return null;
    let batch: string | null = null;
    if (r.batchId !== null) {
      const no = m.newBatchNo ?? ctx.batchNos.get(r.batchId);
      if (no === undefined) return null;
      batch = no;
    }
    movements.push({
      seq: r.seq,
      line: m.lineNo,
      item: item.code,
      warehouse: wh.code,
      location,
      batch,
      qty: formatMicro(parseMicro(r.qty) ?? 0n),
      unit: item.unit,
      unitCost: formatMicro(parseMicro(r.unitCost) ?? 0n),
      value: formatMoney(r.value),
    });
  }
  return {
    document: {
      id: written.documentId,
      docNo: written.docNo,
      type: ctx.type,
      reason: ctx.reason,
      status: 'posted',
      warehouse: ctx.warehouse.code,
      toWarehouse: ctx.toWarehouse?.code ?? null,
      inTransit: ctx.inTransit,
      reference: ctx.reference,
      postedAt: isoTime(written.postedAt),
    },
    movements,
  };
}

/** Reads a posted document back from the ledger: the answer to an idempotent retry. */
export async function loadPostedDocument(sql: Sql, companyId: number, documentId: number): Promise<PostedDocument | null> {
  const [doc] = await sql<
    {
      id: number;
      doc_no: string;
      type: string;
      reason: string | null;
      status: string;
      warehouse: string;
      to_warehouse: string | null;
      in_transit: boolean;
      reference: string | null;
      posted_at: string;
    }[]
  >`
    select d.id, d.doc_no, d.type, d.reason, d.status, w.code as warehouse, tw.code as to_warehouse, d.in_transit,
           d.reference, d.posted_at
    from stock_documents d
    join warehouses w on w.id = d.warehouse_id
    left join warehouses tw on tw.id = d.to_warehouse_id
    where d.company_id = ${companyId} and d.id = ${documentId}`;
  if (!doc) return null;
  const rows = await sql<
    { seq: number; line_no: number; item: string; unit: string; warehouse: string; location: string; batch: string | null; qty: string; unit_cost: string; value: string }[]
  >`
    select l.seq, l.line_no, i.code as item, i.unit, w.code as warehouse, loc.code as location, b.batch_no as batch,
           l.qty_delta as qty, l.unit_cost, l.value_delta::text as value
    from stock_ledger l
    join items i on i.id = l.item_id
    join warehouses w on w.id = l.warehouse_id
    join locations loc on loc.id = l.location_id
    left join batches b on b.id = l.batch_id
    where l.document_id = ${documentId}
    order by l.seq`;
  return {
    document: {
      id: doc.id,
      docNo: doc.doc_no,
      type: doc.type,
      reason: doc.reason,
      status: doc.status,
      warehouse: doc.warehouse,
      toWarehouse: doc.to_warehouse,
      inTransit: doc.in_transit,
      reference: doc.reference,
      postedAt: isoTime(doc.posted_at),
    },
    movements: rows.map((r) => ({
      seq: r.seq,
      line: r.line_no,
      item: r.item,
      warehouse: r.warehouse,
      location: r.location,
      batch: r.batch,
      qty: formatMicro(parseMicro(r.qty) ?? 0n),
      unit: r.unit,
      unitCost: formatMicro(parseMicro(r.unit_cost) ?? 0n),
      value: formatMoney(r.value),
    })),
  };
}

export async function loadPostedDocumentByNo(sql: Sql, companyId: number, docNo: string): Promise<PostedDocument | null> {
  const [row] = await sql<{ id: number }[]>`select id from stock_documents where company_id = ${companyId} and doc_no = ${docNo}`;
  return row ? loadPostedDocument(sql, companyId, row.id) : null;
}

/** The first result for this key, or a conflict when the key was used for something else. */
export async function findReplay(sql: Sql, companyId: number, key: string, hash: string): Promise<PostedDocument | null> {
  const [existing] = await sql<{ id: number; request_hash: string }[]>`
    select id, request_hash from stock_documents where company_id = ${companyId} and idempotency_key = ${key}`;
  if (!existing) return null;
  if (existing.request_hash !== hash) throw new IdempotencyConflictError(key);
  const doc = await loadPostedDocument(sql, companyId, existing.id);
  if (!doc) throw new Error(`document ${existing.id} vanished`);
  return doc;
}
