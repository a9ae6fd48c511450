import type { TransactionSql } from 'postgres';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';
import { DuplicateError, NotFoundError, ValidationError } from '../errors.ts';
import { initialsOf } from '../pinyin.ts';
import { IssueList, parseInput } from '../validate.ts';
import { TRACKING } from '../../db/schema/items.ts';

const decimal = z
  .union([z.number(), z.string()])
  .refine((v) => parseMicro(v) !== null && (parseMicro(v) ?? -1n) >= 0n, 'expected a number ≥ 0 with at most 6 decimals')
  .transform((v) => formatMicro(parseMicro(v) ?? 0n));

export const itemInputSchema = z.object({
  code: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_.\-/#]+$/u, 'letters, digits and _ . - / # only'),
  name: z.string().trim().min(1).max(128),
  spec: z.string().trim().max(128).optional(),
  unit: z.string().trim().min(1).max(16).describe('Base unit: 个, kg, 卷 …'),
  unitPrecision: z.number().int().min(0).max(6).optional().describe('Decimal places allowed in the base unit'),
  barcode: z.string().trim().min(1).max(64).optional().describe('Unique within the company: a scan finds one item'),
  category: z.string().trim().max(64).optional(),
  tracking: z.enum(TRACKING).optional(),
  shelfLifeDays: z.number().int().positive().max(36500).optional(),
  safetyStock: decimal.optional(),
  reorderPoint: decimal.optional(),
  leadTimeDays: z.number().int().min(0).max(3650).optional(),
  moq: decimal.optional(),
  packSize: decimal.optional(),
  defaultSupplier: z.string().trim().min(1).max(64).optional().describe('Supplier code'),
  unitCost: decimal.optional().describe('Reference cost per base unit'),
  allowNegative: z.boolean().optional(),
  units: z
    .array(z.object({ unit: z.string().trim().min(1).max(16), factor: decimal }))
    .max(10)
    .optional()
    .describe('Alternate units: { unit: "箱", factor: 24 } means 1 箱 = 24 base units'),
});

export type ItemInput = z.infer<typeof itemInputSchema>;

export interface ItemView {
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  unitPrecision: number;
  barcode: string | null;
  category: string | null;
  tracking: string;
  shelfLifeDays: number | null;
  safetyStock: string;
  reorderPoint: string | null;
  leadTimeDays: number | null;
  moq: string | null;
  packSize: string | null;
  defaultSupplier: string | null;
  unitCost: string;
  allowNegative: boolean;
  /** False once deactivated: search, requests and postings no longer find it; its history stays. */
  active: boolean;
  units: { unit: string; factor: string }[];
}

const num = (v: string | null): string | null => (v === null ? null : formatMicro(parseMicro(v) ?? 0n));

/** The unique index that keeps a barcode to one item of a company. */
const BARCODE_CONSTRAINT = 'items_company_barcode_uq';

export const isBarcodeClash = (err: unknown): boolean => {
  const e = err as { code?: string; constraint_name?: string };
  return e.code === '23505' && e.constraint_name === BARCODE_CONSTRAINT;
};

/** The item of the company that already has this barcode (other than `exceptId`), as a validation issue. */
async function barcodeTaken(sql: TransactionSql, companyId: number, barcode: string, exceptId: number | null, issues: IssueList): Promise<void> {
  const [other] = await sql<{ code: string }[]>`
    select code from items where company_id = ${companyId} and barcode = ${barcode} and id is distinct from ${exceptId}::bigint limit 1`;
  if (other) issues.add('barcode', `barcode ${barcode} already belongs to item ${other.code}`, `条码 ${barcode} 已属于物料 ${other.code}`);
}

/** A barcode taken by a concurrent create or edit between the check and the write. */
export const barcodeRace = (barcode: string | null | undefined): ValidationError =>
  new ValidationError([{ path: 'barcode', message: `barcode ${barcode} was just given to another item`, zh: `条码 ${barcode} 刚被其他物料使用` }]);

/** Creates an item with its alternate units and an empty valuation, in one transaction. */
export async function createItem(db: Database, actor: Actor, raw: unknown): Promise<ItemView> {
  requireScope(actor, 'master:write');
  const input = parseInput(itemInputSchema, raw);
  const units = input.units ?? [];
  const badUnit = units.findIndex((u) => u.unit === input.unit || parseMicro(u.factor) === 0n);
  if (badUnit >= 0) {
    throw new ValidationError([{ path: `units[${badUnit}]`, message: 'an alternate unit must differ from the base unit and have a factor > 0' }]);
  }
  try {
    await db.sql.begin(async (tx) => {
      if (input.barcode) {
        const issues = new IssueList();
        await barcodeTaken(tx, actor.companyId, input.barcode, null, issues);
        issues.throwIfAny();
      }
      let supplierId: number | null = null;
      if (input.defaultSupplier) {
        const [s] = await tx<{ id: number }[]>`select id from suppliers where company_id = ${actor.companyId} and code = ${input.defaultSupplier}`;
        if (!s) throw new NotFoundError('supplier', input.defaultSupplier);
        supplierId = s.id;
      }
      const [item] = await tx<{ id: number }[]>`
        insert into items (company_id, code, name, name_initials, spec, unit, unit_precision, barcode, category, tracking, shelf_life_days,
                           safety_stock, reorder_point, lead_time_days, moq, pack_size, default_supplier_id, unit_cost, allow_negative)
        values (${actor.companyId}, ${input.code}, ${input.name}, ${initialsOf(input.name)}, ${input.spec ?? null}, ${input.unit}, ${input.unitPrecision ?? 0},
                ${input.barcode ?? null}, ${input.category ?? null}, ${input.tracking ?? 'none'}, ${input.shelfLifeDays ?? null},
                ${input.safetyStock ?? '0'}, ${input.reorderPoint ?? null}, ${input.leadTimeDays ?? null}, ${input.moq ?? null},
                ${input.packSize ?? null}, ${supplierId}, ${input.unitCost ?? '0'}, ${input.allowNegative ?? false})
        on conflict (company_id, code) do nothing
        returning id`;
      if (!item) throw new DuplicateError('item', input.code);
      await tx`insert into item_valuations (item_id, company_id) values (${item.id}, ${actor.companyId})`;
      for (const u of units) {
        await tx`insert into item_units (company_id, item_id, unit, factor) values (${actor.companyId}, ${item.id}, ${u.unit}, ${u.factor})`;
      }
    });
  } catch (err) {
    if (isBarcodeClash(err)) throw barcodeRace(input.barcode);
    throw err;
  }
  return getItem(db, actor, input.code);
}

/**
 * What an edit may change: anything createItem takes, each field optional;
 * null clears an optional one; `units` replaces the alternate units; `active`
 * false retires the item. Unknown fields are refused, so a misspelt field is
 * named rather than silently ignored.
 */
export const itemUpdateSchema = z
  .object({
    code: itemInputSchema.shape.code.optional().describe('A new code; only while nothing has been recorded against the item'),
    name: itemInputSchema.shape.name.optional(),
    spec: z.string().trim().max(128).nullable().optional(),
    unit: itemInputSchema.shape.unit.optional().describe('A new base unit; only while nothing has been recorded against the item'),
    unitPrecision: z.number().int().min(0).max(6).optional().describe('May grow at any time; may shrink only while nothing has been recorded'),
    barcode: z.string().trim().min(1).max(64).nullable().optional().describe('Unique within the company; null removes it'),
    category: z.string().trim().max(64).nullable().optional(),
    tracking: z.enum(TRACKING).optional().describe('Only while nothing has been recorded against the item'),
    shelfLifeDays: z.number().int().positive().max(36500).nullable().optional(),
    safetyStock: decimal.optional(),
    reorderPoint: decimal.nullable().optional(),
    leadTimeDays: z.number().int().min(0).max(3650).nullable().optional(),
    moq: decimal.nullable().optional(),
    packSize: decimal.nullable().optional(),
    defaultSupplier: z.string().trim().min(1).max(64).nullable().optional().describe('Supplier code; null removes it'),
    unitCost: decimal.optional().describe('Reference cost per base unit; the moving-average valuation in the ledger is not touched'),
    allowNegative: z.boolean().optional().describe('Only while nothing has been recorded against the item'),
    units: itemInputSchema.shape.units.describe('Replaces every alternate unit; [] removes them all'),
    active: z.boolean().optional().describe('false: no longer found by search, requests or postings; its history stays'),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'name at least one field to change');

export type ItemUpdate = z.infer<typeof itemUpdateSchema>;

/** Plain columns an edit writes as given (null clears them). */
const PLAIN_COLUMNS = {
  spec: 'spec',
  unitPrecision: 'unit_precision',
  barcode: 'barcode',
  category: 'category',
  tracking: 'tracking',
  shelfLifeDays: 'shelf_life_days',
  safetyStock: 'safety_stock',
  reorderPoint: 'reorder_point',
  leadTimeDays: 'lead_time_days',
  moq: 'moq',
  packSize: 'pack_size',
  unitCost: 'unit_cost',
  allowNegative: 'allow_negative',
  active: 'active',
} as const satisfies Partial<Record<keyof ItemUpdate, string>>;

/**
 * Corrects an item's master data; every problem is reported at once and a
 * refused edit changes nothing. The code, base unit, tracking, allowNegative
 * and a smaller unitPrecision are how recorded quantities and balances were
 * written: they change only while nothing (ledger, requests, reservations,
 * stocktakes) refers to the item. A new unitCost is the reference cost for
 * later receipts; the moving-average valuation keeps what the ledger says.
 */
export async function updateItem(db: Database, actor: Actor, code: string, raw: unknown): Promise<ItemView> {
  requireScope(actor, 'master:write');
  const input = parseInput(itemUpdateSchema, raw);
  const finalCode = input.code ?? code;
  try {
    await db.sql.begin(async (tx) => {
      const [item] = await tx<{ id: number; code: string; unit: string; unit_precision: number; tracking: string; allow_negative: boolean }[]>`
        select id, code, unit, unit_precision, tracking, allow_negative from items
        where company_id = ${actor.companyId} and code = ${code}
        for update`;
      if (!item) throw new NotFoundError('item', code);
      const issues = new IssueList();

      const rewrites: [path: string, why: string][] = [];
      if (input.code !== undefined && input.code !== item.code) rewrites.push(['code', `the code cannot change from ${item.code}: documents and connected systems already name the item by it`]);
      if (input.unit !== undefined && input.unit !== item.unit) rewrites.push(['unit', `the base unit cannot change from ${item.unit}: quantities already recorded are in ${item.unit}`]);
      if (input.tracking !== undefined && input.tracking !== item.tracking) rewrites.push(['tracking', `tracking cannot change from ${item.tracking}: stock already recorded was kept ${item.tracking === 'none' ? 'without batches or serial numbers' : `by ${item.tracking}`}`]);
      if (input.unitPrecision !== undefined && input.unitPrecision < item.unit_precision) rewrites.push(['unitPrecision', `decimal places cannot drop below ${item.unit_precision}: quantities already recorded may use them`]);
      if (input.allowNegative !== undefined && input.allowNegative !== item.allow_negative) rewrites.push(['allowNegative', `allowNegative cannot change: the stock balances were written with allowNegative=${item.allow_negative}`]);
      if (rewrites.length > 0) {
        // Postings lock the valuation row before writing: holding it means no posting lands between this check and the commit.
        await tx`select 1 from item_valuations where item_id = ${item.id} for update`;
        const uses = await usesOf(tx, item.id);
        if (uses.length > 0) for (const [path, why] of rewrites) issues.add(path, `${why} (the item ${uses.join(', ')})`);
      }

      if (input.code !== undefined && input.code !== item.code) {
        const [taken] = await tx`select 1 from items where company_id = ${actor.companyId} and code = ${input.code}`;
        if (taken) issues.add('code', `${input.code} is already the code of another item`, `编码 ${input.code} 已被其他物料使用`);
      }
      if (input.barcode) await barcodeTaken(tx, actor.companyId, input.barcode, item.id, issues);
      let supplierId: number | null | undefined = input.defaultSupplier === null ? null : undefined;
      if (input.defaultSupplier) {
        const [s] = await tx<{ id: number }[]>`select id from suppliers where company_id = ${actor.companyId} and code = ${input.defaultSupplier}`;
        if (s) supplierId = s.id;
        else issues.add('defaultSupplier', `no supplier ${input.defaultSupplier}`, `没有供应商 ${input.defaultSupplier}`);
      }
      const baseUnit = input.unit ?? item.unit;
      const seen = new Set<string>();
      (input.units ?? []).forEach((u, i) => {
        if (u.unit === baseUnit) issues.add(`units[${i}].unit`, `${u.unit} is the base unit; an alternate unit must differ from it`, `${u.unit} 是基本单位，辅助单位须与之不同`);
        else if (seen.has(u.unit)) issues.add(`units[${i}].unit`, `${u.unit} is listed twice`, `${u.unit} 重复`);
        if (parseMicro(u.factor) === 0n) issues.add(`units[${i}].factor`, 'the factor must be greater than 0', '换算系数必须大于 0');
        seen.add(u.unit);
      });
      // An alternate unit left as it was must still differ from a new base unit.
      if (input.unit !== undefined && input.units === undefined) {
        const [clash] = await tx`select 1 from item_units where item_id = ${item.id} and unit = ${input.unit}`;
        if (clash) issues.add('unit', `${input.unit} is already an alternate unit of this item; change or remove that one in the same edit`, `${input.unit} 已是本物料的辅助单位，请在同一次修改中改掉或删除它`);
      }
      issues.throwIfAny();

      const changes: Record<string, unknown> = {};
      if (input.code !== undefined) changes.code = input.code;
      if (input.unit !== undefined) changes.unit = input.unit;
      if (input.name !== undefined) {
        changes.name = input.name;
        changes.name_initials = initialsOf(input.name);
      }
      if (supplierId !== undefined) changes.default_supplier_id = supplierId;
      for (const [field, column] of Object.entries(PLAIN_COLUMNS)) {
        const value = input[field as keyof typeof PLAIN_COLUMNS];
        if (value !== undefined) changes[column] = value;
      }
      if (Object.keys(changes).length > 0) await tx`update items set ${tx(changes)} where id = ${item.id}`;
      if (input.units !== undefined) {
        await tx`delete from item_units where item_id = ${item.id}`;
        for (const u of input.units) {
          await tx`insert into item_units (company_id, item_id, unit, factor) values (${actor.companyId}, ${item.id}, ${u.unit}, ${u.factor})`;
        }
      }
    });
  } catch (err) {
    // Another edit took the new code or barcode between the check and the update.
    if (isBarcodeClash(err)) throw barcodeRace(input.barcode);
    if ((err as { code?: string }).code === '23505' && input.code !== undefined) throw new DuplicateError('item', input.code);
    throw err;
  }
  return getItem(db, actor, finalCode);
}

/** What already refers to the item in base-unit quantities, in words for an error message. */
async function usesOf(tx: TransactionSql, itemId: number): Promise<string[]> {
  const [u] = await tx<{ ledger: boolean; requests: boolean; reservations: boolean; stocktakes: boolean }[]>`
    select exists (select 1 from stock_ledger where item_id = ${itemId}) as ledger,
           exists (select 1 from request_lines where item_id = ${itemId}) as requests,
           exists (select 1 from reservation_lines where item_id = ${itemId}) as reservations,
           exists (select 1 from stocktake_lines where item_id = ${itemId}) as stocktakes`;
  return [
    u?.ledger && 'has stock movements in the ledger',
    u?.requests && 'appears on requests',
    u?.reservations && 'has reservations',
    u?.stocktakes && 'is on a stocktake',
  ].filter((w): w is string => typeof w === 'string');
}

export async function getItem(db: Database, actor: Actor, code: string): Promise<ItemView> {
  requireScope(actor, 'stock:read');
  const [r] = await itemRows(db, actor.companyId, { code });
  if (!r) throw new NotFoundError('item', code);
  return r;
}

/** Items in code order; `after` pages through them. */
export async function listItems(db: Database, actor: Actor, page: { after?: string; limit?: number } = {}): Promise<ItemView[]> {
  requireScope(actor, 'stock:read');
  return itemRows(db, actor.companyId, page);
}

async function itemRows(db: Database, companyId: number, where: { code?: string; after?: string; limit?: number }): Promise<ItemView[]> {
  const { code, after } = where;
  const limit = Math.min(Math.max(where.limit ?? 100, 1), 1000);
  const rows = await db.sql<
    {
      code: string; name: string; spec: string | null; unit: string; unit_precision: number; barcode: string | null;
      category: string | null; tracking: string; shelf_life_days: number | null; safety_stock: string;
      reorder_point: string | null; lead_time_days: number | null; moq: string | null; pack_size: string | null;
      supplier: string | null; unit_cost: string; allow_negative: boolean; active: boolean; units: { unit: string; factor: string }[] | null;
    }[]
  >`
    select i.code, i.name, i.spec, i.unit, i.unit_precision, i.barcode, i.category, i.tracking, i.shelf_life_days,
           i.safety_stock, i.reorder_point, i.lead_time_days, i.moq, i.pack_size, s.code as supplier, i.unit_cost,
           i.allow_negative, i.active,
           (select json_agg(json_build_object('unit', u.unit, 'factor', u.factor::text) order by u.id)
              from item_units u where u.item_id = i.id) as units
    from items i left join suppliers s on s.id = i.default_supplier_id
    where i.company_id = ${companyId}
      ${code === undefined ? db.sql`` : db.sql`and i.code = ${code}`}
      ${after === undefined ? db.sql`` : db.sql`and i.code > ${after}`}
    order by i.code
    limit ${limit}`;
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    spec: r.spec,
    unit: r.unit,
    unitPrecision: r.unit_precision,
    barcode: r.barcode,
    category: r.category,
    tracking: r.tracking,
    shelfLifeDays: r.shelf_life_days,
    safetyStock: num(r.safety_stock) ?? '0',
    reorderPoint: num(r.reorder_point),
    leadTimeDays: r.lead_time_days,
    moq: num(r.moq),
    packSize: num(r.pack_size),
    defaultSupplier: r.supplier,
    unitCost: num(r.unit_cost) ?? '0',
    allowNegative: r.allow_negative,
    active: r.active,
    units: (r.units ?? []).map((u) => ({ unit: u.unit, factor: num(u.factor) ?? '0' })),
  }));
}
