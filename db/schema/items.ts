import { boolean, date, index, integer, pgTable, smallint, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, money, quantity, ref, unitCost, updatedAt } from './columns.ts';
import { companies } from './companies.ts';
import { suppliers } from './partners.ts';

export const TRACKING = ['none', 'batch', 'serial'] as const;

export const items = pgTable(
  'items',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Pinyin initials of the name (螺丝M6 → lsm6), so chat users can type `lsm6`. Kept by the item verbs. */
    nameInitials: text('name_initials'),
    spec: text('spec'),
    /** Base unit: the ledger and balances are always in this unit. */
    unit: text('unit').notNull(),
    /** Decimal places allowed in the base unit (0 for 个, 3 for kg). */
    unitPrecision: smallint('unit_precision').notNull().default(0),
    barcode: text('barcode'),
    category: text('category'),
    tracking: text('tracking', { enum: TRACKING }).notNull().default('none'),
    shelfLifeDays: integer('shelf_life_days'),
    safetyStock: quantity('safety_stock').notNull().default('0'),
    reorderPoint: quantity('reorder_point'),
    leadTimeDays: integer('lead_time_days'),
    moq: quantity('moq'),
    packSize: quantity('pack_size'),
    defaultSupplierId: ref('default_supplier_id').references(() => suppliers.id),
    /** Reference cost, used to value stock when no moving average exists yet. */
    unitCost: unitCost('unit_cost').notNull().default('0'),
    allowNegative: boolean('allow_negative').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    unique('items_company_code_uq').on(t.companyId, t.code),
    // A scan must find one item: a barcode belongs to one item of the company (items without one are many).
    uniqueIndex('items_company_barcode_uq').on(t.companyId, t.barcode),
    index('items_company_initials_idx').on(t.companyId, t.nameInitials.op('text_pattern_ops')),
    // Substring search (ilike '%螺丝%') over code, name and spec: trigram indexes (pg_trgm, migration 0006).
    index('items_code_trgm_idx').using('gin', t.code.op('gin_trgm_ops')),
    index('items_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
    index('items_spec_trgm_idx').using('gin', t.spec.op('gin_trgm_ops')),
  ],
);

/** Alternate units: 1 箱 = 24 个 is (unit 箱, factor 24). */
export const itemUnits = pgTable(
  'item_units',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    itemId: ref('item_id').notNull().references(() => items.id),
    unit: text('unit').notNull(),
    factor: quantity('factor').notNull(),
  },
  (t) => [unique('item_units_item_unit_uq').on(t.itemId, t.unit)],
);

/**
 * Moving weighted average valuation (移动加权平均) per item, company-wide.
 * qty and value are always the exact sums of the item's ledger rows; the
 * average is value / qty. `postedUnitCost` is the average the latest posting
 * used for its outflows (written in the same UPDATE, so RETURNING can read it).
 */
export const itemValuations = pgTable('item_valuations', {
  itemId: ref('item_id').primaryKey().references(() => items.id),
  companyId: ref('company_id').notNull().references(() => companies.id),
  qty: quantity('qty').notNull().default('0'),
  value: money('value').notNull().default('0'),
  postedUnitCost: unitCost('posted_unit_cost').notNull().default('0'),
  updatedAt: updatedAt(),
});

export const batches = pgTable(
  'batches',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    itemId: ref('item_id').notNull().references(() => items.id),
    batchNo: text('batch_no').notNull(),
    mfgDate: date('mfg_date', { mode: 'string' }),
    expiryDate: date('expiry_date', { mode: 'string' }),
    /** First receipt of the batch: the FIFO order for undated batches. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('batches_item_no_uq').on(t.itemId, t.batchNo), index('batches_expiry_idx').on(t.companyId, t.expiryDate)],
);

export const serials = pgTable(
  'serials',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    itemId: ref('item_id').notNull().references(() => items.id),
    serialNo: text('serial_no').notNull(),
    status: text('status', { enum: ['in_stock', 'issued'] }).notNull(),
    /** Where the unit is while in stock (a transit location while shipped). */
    locationId: ref('location_id'),
    /** The document that last moved it: tells which transfer a unit in transit belongs to. */
    lastDocumentId: ref('last_document_id'),
    updatedAt: updatedAt(),
  },
  (t) => [unique('serials_item_no_uq').on(t.itemId, t.serialNo)],
);
