import { bigint, numeric, timestamp } from 'drizzle-orm/pg-core';

/** Surrogate key. Numbers stay below 2^53 for any realistic deployment. */
export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();

/** Reference to another row's surrogate key. */
export const ref = (name: string) => bigint(name, { mode: 'number' });

/**
 * Quantities in an item's base unit. Six decimals cover every unit precision we allow
 * (0–6); postgres.js hands them back as strings, never floats.
 */
export const quantity = (name: string) => numeric(name, { precision: 20, scale: 6 });

/** Unit costs, six decimals (a screw can cost ¥0.0325). */
export const unitCost = (name: string) => numeric(name, { precision: 20, scale: 6 });

/**
 * Money totals. Unconstrained numeric so that qty × cost is stored exactly and
 * the valuation is always the exact sum of the ledger.
 */
export const money = (name: string) => numeric(name);

export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
