import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, money, quantity, ref, unitCost, updatedAt } from './columns.ts';
import { companies } from './companies.ts';
import { stockDocuments } from './documents.ts';
import { batches, items } from './items.ts';
import { locations, warehouses } from './warehouses.ts';

/**
 * 一本账: one row per (document line, location, batch). Append-only: a trigger
 * (migration 0001) refuses UPDATE, DELETE and TRUNCATE. (document_id, seq) is the
 * row's idempotency key: a document is posted once, so its rows exist once.
 */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    id: id(),
    /** Not a foreign key: checking it would lock one hot company/warehouse row per insert; db:check verifies it instead. */
    companyId: ref('company_id').notNull(),
    documentId: ref('document_id').notNull().references(() => stockDocuments.id),
    seq: integer('seq').notNull(),
    lineNo: integer('line_no').notNull(),
    docType: text('doc_type').notNull(),
    itemId: ref('item_id').notNull().references(() => items.id),
    /** Not a foreign key: checking it would lock one hot company/warehouse row per insert; db:check verifies it instead. */
    warehouseId: ref('warehouse_id').notNull(),
    locationId: ref('location_id').notNull().references(() => locations.id),
    batchId: ref('batch_id').references(() => batches.id),
    qtyDelta: quantity('qty_delta').notNull(),
    unitCost: unitCost('unit_cost').notNull(),
    valueDelta: money('value_delta').notNull(),
    createdBy: ref('created_by'),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('stock_ledger_idempotency_uq').on(t.documentId, t.seq),
    // (item_id, id) orders an item's rows; the columns after the unique id never
    // change that order, they let per-item sums (days of supply: an item's issues
    // over 30 days) read the index alone instead of one heap page per row.
    index('stock_ledger_item_idx').on(t.itemId, t.id, t.postedAt, t.docType, t.warehouseId, t.qtyDelta),
    index('stock_ledger_warehouse_idx').on(t.warehouseId, t.id),
    // Rows arrive in time order, so a BRIN index finds one day's rows for the nightly roll-up at almost no cost per insert.
    index('stock_ledger_posted_brin').using('brin', t.postedAt),
  ],
);

/**
 * Current stock per (item, location, batch). Only the posting and reservation
 * verbs write it, and the CHECKs are the last word on overselling: a racing
 * writer gets a constraint violation, never a negative balance.
 */
export const stockBalances = pgTable(
  'stock_balances',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    itemId: ref('item_id').notNull().references(() => items.id),
    warehouseId: ref('warehouse_id').notNull().references(() => warehouses.id),
    locationId: ref('location_id').notNull().references(() => locations.id),
    batchId: ref('batch_id').references(() => batches.id),
    onHand: quantity('on_hand').notNull().default('0'),
    reserved: quantity('reserved').notNull().default('0'),
    /** Copied from the item so the CHECK can see it. */
    allowNegative: boolean('allow_negative').notNull().default(false),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('stock_balances_key_uq').on(t.itemId, t.locationId, t.batchId).nullsNotDistinct(),
    index('stock_balances_warehouse_idx').on(t.warehouseId, t.itemId),
    check('stock_balances_on_hand_ck', sql`${t.allowNegative} or ${t.onHand} >= 0`),
    check('stock_balances_reserved_ck', sql`${t.reserved} >= 0 and (${t.allowNegative} or ${t.reserved} <= ${t.onHand})`),
  ],
);

export const RESERVATION_STATUSES = ['active', 'consumed', 'released', 'expired'] as const;

/** 预占 for a sales order, outbound request or channel order. */
export const reservations = pgTable(
  'reservations',
  {
    id: id(),
    /** Not a foreign key: checking it would lock the company's one row per insert; db:check verifies it instead. */
    companyId: ref('company_id').notNull(),
    orderRef: text('order_ref').notNull(),
    channel: text('channel'),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('active'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    createdBy: ref('created_by'),
    /** The issue document that consumed it. */
    documentId: ref('document_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('reservations_idempotency_uq').on(t.companyId, t.idempotencyKey),
    index('reservations_order_idx').on(t.companyId, t.orderRef),
    index('reservations_active_expiry_idx').on(t.expiresAt).where(sql`status = 'active'`),
  ],
);

/** What a reservation holds, balance row by balance row (so consuming it ships exactly these). */
export const reservationLines = pgTable(
  'reservation_lines',
  {
    id: id(),
    /** Not a foreign key: checking it would lock one hot company/warehouse row per insert; db:check verifies it instead. */
    companyId: ref('company_id').notNull(),
    reservationId: ref('reservation_id').notNull(),
    lineNo: integer('line_no').notNull(),
    /**
     * None of reservation_id, item_id, warehouse_id and balance_id is a
     * foreign key: the checks ran once per line inside the statement that
     * holds a hot item's balance row (a fifth of its time). Lines are written
     * only with their reservation, in one statement, and reservations are
     * never deleted; db:check verifies that the reservation exists and that
     * the balance exists and holds this item in this warehouse.
     */
    itemId: ref('item_id').notNull(),
    warehouseId: ref('warehouse_id').notNull(),
    balanceId: ref('balance_id').notNull(),
    qty: quantity('qty').notNull(),
  },
  (t) => [
    index('reservation_lines_reservation_idx').on(t.reservationId),
    index('reservation_lines_balance_idx').on(t.balanceId),
  ],
);
