import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, quantity, ref, unitCost } from './columns.ts';
import { companies } from './companies.ts';
import { items } from './items.ts';
import { warehouses } from './warehouses.ts';

export const DOCUMENT_TYPES = ['receipt', 'issue', 'transfer', 'transfer_receipt', 'adjustment'] as const;
export const DOCUMENT_STATUSES = ['draft', 'pending', 'approved', 'rejected', 'posted', 'cancelled'] as const;

/**
 * 单据. A stock document is posted as a whole or not at all. Integrations post
 * directly (status posted); approval requests move through the other statuses.
 */
export const stockDocuments = pgTable(
  'stock_documents',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    docNo: text('doc_no').notNull(),
    type: text('type', { enum: DOCUMENT_TYPES }).notNull(),
    /** purchase | production | return | sales | requisition | sample | scrap | stocktake | … */
    reason: text('reason'),
    status: text('status', { enum: DOCUMENT_STATUSES }).notNull(),
    warehouseId: ref('warehouse_id').notNull().references(() => warehouses.id),
    toWarehouseId: ref('to_warehouse_id').references(() => warehouses.id),
    /** A transfer shipped but not yet received keeps its goods in the destination's transit location. */
    inTransit: boolean('in_transit').notNull().default(false),
    /** The transfer a transfer_receipt receives, or the reservation an issue consumes. */
    sourceDocumentId: ref('source_document_id'),
    reservationId: ref('reservation_id'),
    reference: text('reference'),
    note: text('note'),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Hash of the request, so a retry with the same key but other content is refused. */
    requestHash: text('request_hash').notNull(),
    createdBy: ref('created_by'),
    channel: text('channel'),
    /** Optimistic lock for documents that later documents act on (receiving a transfer). */
    version: integer('version').notNull().default(0),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('stock_documents_idempotency_uq').on(t.companyId, t.idempotencyKey),
    unique('stock_documents_doc_no_uq').on(t.companyId, t.docNo),
    index('stock_documents_source_idx').on(t.sourceDocumentId),
  ],
);

export const documentLines = pgTable(
  'document_lines',
  {
    id: id(),
    /** Not a foreign key: checking it would lock one hot company/warehouse row per insert; db:check verifies it instead. */
    companyId: ref('company_id').notNull(),
    documentId: ref('document_id').notNull().references(() => stockDocuments.id),
    lineNo: integer('line_no').notNull(),
    itemId: ref('item_id').notNull().references(() => items.id),
    /** As entered, in `unit`; `qtyBase` is the same amount in the item's base unit. */
    qty: quantity('qty').notNull(),
    unit: text('unit').notNull(),
    qtyBase: quantity('qty_base').notNull(),
    batchNo: text('batch_no'),
    unitCost: unitCost('unit_cost'),
    extra: jsonb('extra'),
  },
  (t) => [unique('document_lines_doc_line_uq').on(t.documentId, t.lineNo)],
);
