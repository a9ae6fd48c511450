import { z } from 'zod';
import { isoTime, type Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';
import { NotFoundError } from '../errors.ts';
import { formatMoney } from '../posted-document.ts';
import { parseInput } from '../validate.ts';

export const ledgerQuerySchema = z.object({
  item: z.string().trim().min(1).optional(),
  warehouse: z.string().trim().min(1).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('Only rows posted at or after this time'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().regex(/^\d+$/, 'a cursor from a previous page').optional(),
});

export interface LedgerEntry {
  id: number;
  postedAt: string;
  docNo: string;
  docType: string;
  reason: string | null;
  reference: string | null;
  item: string;
  warehouse: string;
  location: string;
  batch: string | null;
  qty: string;
  unitCost: string;
  value: string;
}

/** Movement history, oldest first, in pages: pass `nextCursor` back to continue. */
export async function ledgerHistory(db: Database, actor: Actor, raw: unknown): Promise<{ entries: LedgerEntry[]; nextCursor: string | null }> {
  requireScope(actor, 'stock:read');
  const q = parseInput(ledgerQuerySchema, raw);
  const sql = db.sql;
  let itemId: number | null = null;
  let warehouseId: number | null = null;
  if (q.item) {
    const [i] = await sql<{ id: number }[]>`select id from items where company_id = ${actor.companyId} and code = ${q.item}`;
    if (!i) throw new NotFoundError('item', q.item);
    itemId = i.id;
  }
  if (q.warehouse) {
    const [w] = await sql<{ id: number }[]>`select id from warehouses where company_id = ${actor.companyId} and code = ${q.warehouse}`;
    if (!w) throw new NotFoundError('warehouse', q.warehouse);
    warehouseId = w.id;
  }
  const rows = await sql<
    { id: number; posted_at: string; doc_no: string; doc_type: string; reason: string | null; reference: string | null; item: string;
      warehouse: string; location: string; batch: string | null; qty: string; unit_cost: string; value: string }[]
  >`
    select l.id, l.posted_at, d.doc_no, l.doc_type, d.reason, d.reference, i.code as item, w.code as warehouse,
           loc.code as location, b.batch_no as batch, l.qty_delta as qty, l.unit_cost, l.value_delta::text as value
    from stock_ledger l
    join stock_documents d on d.id = l.document_id
    join items i on i.id = l.item_id
    join warehouses w on w.id = l.warehouse_id
    join locations loc on loc.id = l.location_id
    left join batches b on b.id = l.batch_id
    where l.company_id = ${actor.companyId}
      ${itemId === null ? sql`` : sql`and l.item_id = ${itemId}`}
      ${warehouseId === null ? sql`` : sql`and l.warehouse_id = ${warehouseId}`}
      ${q.since === undefined ? sql`` : sql`and l.posted_at >= ${q.since}`}
      ${q.cursor === undefined ? sql`` : sql`and l.id > ${Number(q.cursor)}`}
    order by l.id
    limit ${q.limit + 1}`;
  const page = rows.slice(0, q.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      postedAt: isoTime(r.posted_at),
      docNo: r.doc_no,
      docType: r.doc_type,
      reason: r.reason,
      reference: r.reference,
      item: r.item,
      warehouse: r.warehouse,
      location: r.location,
      batch: r.batch,
      qty: formatMicro(parseMicro(r.qty) ?? 0n),
      unitCost: formatMicro(parseMicro(r.unit_cost) ?? 0n),
      value: formatMoney(r.value),
    })),
    nextCursor: rows.length > q.limit ? String(page[page.length - 1]?.id) : null,
  };
}
