import { bigint, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id, money, quantity, ref, updatedAt } from './columns.ts';
import { companies } from './companies.ts';
import { items } from './items.ts';
import { warehouses } from './warehouses.ts';

/**
 * The daily roll-up of the ledger (日结), one row per item × warehouse × day
 * that had movements: what came in (receipts), went out (issues: the cost of
 * goods), moved otherwise (transfers, adjustments) and the closing stock.
 * Written by the nightly snapshot job from that day's ledger rows only, and
 * rebuildable from the ledger; digests and trends read this, never the ledger.
 */
export const stockDaily = pgTable(
  'stock_daily',
  {
    companyId: ref('company_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    itemId: ref('item_id').notNull(),
    warehouseId: ref('warehouse_id').notNull(),
    inboundQty: quantity('inbound_qty').notNull(),
    inboundValue: money('inbound_value').notNull(),
    outboundQty: quantity('outbound_qty').notNull(),
    outboundValue: money('outbound_value').notNull(),
    otherQty: quantity('other_qty').notNull(),
    otherValue: money('other_value').notNull(),
    closingQty: quantity('closing_qty').notNull(),
    closingValue: money('closing_value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day, t.itemId, t.warehouseId] }), index('stock_daily_item_idx').on(t.itemId, t.warehouseId, t.day)],
);

/**
 * Each item × warehouse as of the last rolled-up day: stock, value, and the
 * dates stale-stock and age questions need, kept by the roll-up so that no
 * question has to search the ledger for "the last outbound".
 */
export const stockPositions = pgTable(
  'stock_positions',
  {
    companyId: ref('company_id').notNull(),
    itemId: ref('item_id').notNull(),
    warehouseId: ref('warehouse_id').notNull(),
    onHand: quantity('on_hand').notNull(),
    value: money('value').notNull(),
    /** First day the position held stock since it was last empty. */
    stockedSince: date('stocked_since', { mode: 'string' }),
    lastReceiptOn: date('last_receipt_on', { mode: 'string' }),
    lastOutboundOn: date('last_outbound_on', { mode: 'string' }),
    asOf: date('as_of', { mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.itemId, t.warehouseId] }),
    index('stock_positions_company_idx').on(t.companyId, t.warehouseId),
    // "The most valuable stale stock" walks this from the top and stops after a few.
    index('stock_positions_value_idx').on(t.companyId, t.value.desc()),
  ],
);

/**
 * Per warehouse and day: closing value, the day's inbound and outbound value,
 * and the value of dead stock (呆滞) at the close — the trend lines of the
 * digest and the dashboard, a few hundred rows per warehouse a year.
 */
export const stockDailyTotals = pgTable(
  'stock_daily_totals',
  {
    companyId: ref('company_id').notNull(),
    warehouseId: ref('warehouse_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    closingValue: money('closing_value').notNull(),
    inboundValue: money('inbound_value').notNull(),
    outboundValue: money('outbound_value').notNull(),
    deadValue: money('dead_value').notNull(),
    deadCount: integer('dead_count').notNull(),
    /** Item × warehouse positions that moved that day. */
    movedItems: integer('moved_items').notNull(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.warehouseId, t.day] })],
);

/** The days rolled up per company, in order: the next run starts after the last. */
export const snapshotDays = pgTable(
  'snapshot_days',
  {
    companyId: ref('company_id')
      .notNull()
      .references(() => companies.id),
    day: date('day', { mode: 'string' }).notNull(),
    ledgerRows: bigint('ledger_rows', { mode: 'number' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.day] })],
);

export const ALERT_KINDS = ['shortage', 'stale', 'expiry', 'fifo', 'integrity'] as const;
export const ALERT_STATUSES = ['open', 'resolved', 'acknowledged'] as const;

/**
 * 预警. At most one open alert per kind × item × warehouse (× batch): a repeated
 * scan updates it; it is re-sent only when it got worse or after the quiet
 * period, and resolved with a note when the condition clears.
 */
export const stockAlerts = pgTable(
  'stock_alerts',
  {
    id: id(),
    companyId: ref('company_id')
      .notNull()
      .references(() => companies.id),
    kind: text('kind', { enum: ALERT_KINDS }).notNull(),
    itemId: ref('item_id').references(() => items.id),
    warehouseId: ref('warehouse_id').references(() => warehouses.id),
    batchId: ref('batch_id'),
    /** kind:item:warehouse:batch — what "the same alert" means. */
    key: text('key').notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull().default('open'),
    /** How bad, comparable across scans (shortfall, stale value, days to expiry …): re-sent when it worsens. */
    severity: numeric('severity').notNull(),
    details: jsonb('details').notNull(),
    raisedAt: createdAt(),
    lastSentAt: timestamp('last_sent_at', { withTimezone: true }),
    sentSeverity: numeric('sent_severity'),
    sends: integer('sends').notNull().default(0),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('stock_alerts_open_uq').on(t.companyId, t.key).where(sql`status <> 'resolved'`),
    index('stock_alerts_history_idx').on(t.companyId, t.raisedAt),
  ],
);

/** Alert thresholds per company, optionally per category or item (the most specific wins). */
export const alertRules = pgTable(
  'alert_rules',
  {
    id: id(),
    companyId: ref('company_id')
      .notNull()
      .references(() => companies.id),
    category: text('category'),
    itemId: ref('item_id').references(() => items.id),
    staleDays: integer('stale_days'),
    staleSupplyDays: integer('stale_supply_days'),
    expiryDays: integer('expiry_days'),
    quietHours: integer('quiet_hours'),
    updatedAt: updatedAt(),
  },
  (t) => [unique('alert_rules_scope_uq').on(t.companyId, t.category, t.itemId).nullsNotDistinct()],
);

/**
 * Refused for lack of stock: reservation lines (an order that could not be
 * fully reserved — with the lines granted, the stockout rate of a period) and
 * postings (an issue the integration API refused — an integrity alert).
 */
export const stockoutEvents = pgTable(
  'stockout_events',
  {
    id: id(),
    companyId: ref('company_id').notNull(),
    itemId: ref('item_id').notNull(),
    /** Null: the line could take from any warehouse in scope. */
    warehouseId: ref('warehouse_id'),
    /** reservation: an order line that could not be fully reserved; posting: an issue or transfer refused. */
    source: text('source', { enum: ['reservation', 'posting'] }).notNull(),
    requested: quantity('requested').notNull(),
    available: quantity('available').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('stockout_events_company_idx').on(t.companyId, t.createdAt)],
);
