import { isoTime, type Sql } from '../db/client.ts';
import { formatMicro, parseMicro, roundDecimalText } from './decimal.ts';

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
