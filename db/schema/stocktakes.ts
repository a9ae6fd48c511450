import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, quantity, ref, updatedAt } from './columns.ts';
import { companies } from './companies.ts';
import { employees } from './employees.ts';
import { batches, items } from './items.ts';
import { requests } from './requests.ts';
import { locations, warehouses } from './warehouses.ts';

export const STOCKTAKE_STATUSES = ['counting', 'submitted', 'cancelled'] as const;
export const COUNT_MODES = ['add', 'set'] as const;

/**
 * 盘点单: a count of one warehouse (optionally some of its locations, one
 * category). Counting ends in one `stocktake` request whose approval posts the
 * variance; what happens to the request is read from `requests`.
 */
export const stocktakes = pgTable(
  'stocktakes',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    /** PD-YYYYMMDD-NNN, numbered per company and day. */
    stocktakeNo: text('stocktake_no').notNull(),
    warehouseId: ref('warehouse_id').notNull().references(() => warehouses.id),
    /** Storage locations counted; null = the whole warehouse. */
    locationIds: bigint('location_ids', { mode: 'number' }).array(),
    category: text('category'),
    /** 盲盘: counters do not see book quantities until it is submitted. */
    blind: boolean('blind').notNull().default(false),
    note: text('note'),
    status: text('status', { enum: STOCKTAKE_STATUSES }).notNull().default('counting'),
    idempotencyKey: text('idempotency_key'),
    /** The request input frozen when submitted, replayed as-is by a retried submit (same idempotency hash). */
    submission: jsonb('submission'),
    requestId: ref('request_id').references(() => requests.id),
    createdBy: ref('created_by').notNull().references(() => employees.id),
    /** When the book quantities were taken: variances are against this moment. */
    snapshotAt: timestamp('snapshot_at', { withTimezone: true }).notNull().defaultNow(),
    submittedBy: ref('submitted_by').references(() => employees.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    cancelledBy: ref('cancelled_by').references(() => employees.id),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('stocktakes_no_uq').on(t.companyId, t.stocktakeNo),
    unique('stocktakes_idempotency_uq').on(t.companyId, t.idempotencyKey),
    index('stocktakes_warehouse_idx').on(t.companyId, t.warehouseId, t.status),
  ],
);

/** The book quantities at the snapshot, one row per (item, location, batch) with stock. Never changed afterwards. */
export const stocktakeLines = pgTable(
  'stocktake_lines',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    stocktakeId: ref('stocktake_id').notNull().references(() => stocktakes.id),
    lineNo: integer('line_no').notNull(),
    itemId: ref('item_id').notNull().references(() => items.id),
    locationId: ref('location_id').notNull().references(() => locations.id),
    batchId: ref('batch_id').references(() => batches.id),
    bookQty: quantity('book_qty').notNull(),
  },
  (t) => [
    unique('stocktake_lines_line_uq').on(t.stocktakeId, t.lineNo),
    unique('stocktake_lines_slot_uq').on(t.stocktakeId, t.itemId, t.locationId, t.batchId).nullsNotDistinct(),
  ],
);

/**
 * Every count as it was scanned or typed, kept as entered (item code or
 * barcode, location and batch text): counted quantities are tallied from
 * these, so an unknown barcode on the shelf is never lost and resolves once the
 * item exists. `entryId` (the scan's id from the device) makes a resent scan count once.
 */
export const stocktakeEntries = pgTable(
  'stocktake_entries',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    stocktakeId: ref('stocktake_id').notNull().references(() => stocktakes.id),
    entryId: text('entry_id').notNull(),
    item: text('item').notNull(),
    location: text('location'),
    batch: text('batch'),
    qty: quantity('qty').notNull(),
    mode: text('mode', { enum: COUNT_MODES }).notNull(),
    countedBy: ref('counted_by').notNull().references(() => employees.id),
    countedAt: timestamp('counted_at', { withTimezone: true }).notNull().defaultNow(),
    voidedBy: ref('voided_by').references(() => employees.id),
    voidedAt: timestamp('voided_at', { withTimezone: true }),
  },
  (t) => [unique('stocktake_entries_entry_uq').on(t.stocktakeId, t.entryId), index('stocktake_entries_stocktake_idx').on(t.stocktakeId, t.id)],
);
