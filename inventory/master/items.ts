import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';
import { DuplicateError, NotFoundError, ValidationError } from '../errors.ts';
import { initialsOf } from '../pinyin.ts';
import { parseInput } from '../validate.ts';
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
  barcode: z.string().trim().min(1).max(64).optional(),
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
  units: { unit: string; factor: string }[];
}

const num = (v: string | null): string | null => (v === null ? null : formatMicro(parseMicro(v) ?? 0n));

/** Creates an item with its alternate units and an empty valuation, in one transaction. */
export async function createItem(db: Database, actor: Actor, raw: unknown): Promise<ItemView> {
  requireScope(actor, 'master:write');
  const input = parseInput(itemInputSchema, raw);
  const units = input.units ?? [];
  const badUnit = units.findIndex((u) => u.unit === input.unit || parseMicro(u.factor) === 0n);
  if (badUnit >= 0) {
    throw new ValidationError([{ path: `units[${badUnit}]`, message: 'an alternate unit must differ from the base unit and have a factor > 0' }]);
  }
  await db.sql.begin(async (tx) => {
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
  return getItem(db, actor, input.code);
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
      supplier: string | null; unit_cost: string; allow_negative: boolean; units: { unit: string; factor: string }[] | null;
    }[]
  >`
    select i.code, i.name, i.spec, i.unit, i.unit_precision, i.barcode, i.category, i.tracking, i.shelf_life_days,
           i.safety_stock, i.reorder_point, i.lead_time_days, i.moq, i.pack_size, s.code as supplier, i.unit_cost,
           i.allow_negative,
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
    units: (r.units ?? []).map((u) => ({ unit: u.unit, factor: num(u.factor) ?? '0' })),
  }));
}
