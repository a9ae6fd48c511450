import { boolean, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './columns.ts';
import { companies } from './companies.ts';

export const warehouses = pgTable(
  'warehouses',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    /** Other names people use in chat: 上海, SH. */
    aliases: text('aliases').array().notNull().default([]),
    address: text('address'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [unique('warehouses_company_code_uq').on(t.companyId, t.code)],
);

/**
 * 库区/库位. Every warehouse has a default storage location and one transit
 * location: goods shipped towards a warehouse but not yet received sit in its
 * transit location, so in-transit stock stays in the ledger and keeps its value.
 */
export const locations = pgTable(
  'locations',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    warehouseId: ref('warehouse_id').notNull().references(() => warehouses.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['storage', 'transit'] }).notNull().default('storage'),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [unique('locations_warehouse_code_uq').on(t.warehouseId, t.code)],
);
