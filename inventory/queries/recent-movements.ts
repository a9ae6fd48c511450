import { isoTime, type Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';

export interface RecentMovement {
  postedAt: string;
  docNo: string;
  docType: string;
  reason: string | null;
  reference: string | null;
  warehouse: string;
  location: string;
  batch: string | null;
  qty: string;
}

/** An item's latest movements, newest first, in the given warehouses (null = all): the history on an item page. */
export async function recentMovements(
  db: Database,
  actor: Actor,
  itemCode: string,
  visible: { warehouseIds: readonly number[] | null },
  limit = 30,
): Promise<RecentMovement[]> {
  requireScope(actor, 'stock:read');
  const ids = visible.warehouseIds === null ? null : [...visible.warehouseIds];
  const rows = await db.sql<
    { posted_at: string; doc_no: string; doc_type: string; reason: string | null; reference: string | null; warehouse: string; location: string; batch: string | null; qty: string }[]
  >`
    select l.posted_at, d.doc_no, l.doc_type, d.reason, d.reference, w.code as warehouse, loc.code as location, b.batch_no as batch, l.qty_delta::text as qty
    from items i
    join stock_ledger l on l.item_id = i.id
    join stock_documents d on d.id = l.document_id
    join warehouses w on w.id = l.warehouse_id
    join locations loc on loc.id = l.location_id
    left join batches b on b.id = l.batch_id
    where i.company_id = ${actor.companyId} and i.code = ${itemCode}
      and (${ids}::bigint[] is null or l.warehouse_id = any(${ids}::bigint[]))
    order by l.id desc
    limit ${limit}`;
  return rows.map((r) => ({
    postedAt: isoTime(r.posted_at),
    docNo: r.doc_no,
    docType: r.doc_type,
    reason: r.reason,
    reference: r.reference,
    warehouse: r.warehouse,
    location: r.location,
    batch: r.batch,
    qty: formatMicro(parseMicro(r.qty) ?? 0n),
  }));
}
