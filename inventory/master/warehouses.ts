import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { locations, warehouses } from '../../db/schema/index.ts';
import { requireScope, type Actor } from '../actor.ts';
import { DuplicateError, NotFoundError } from '../errors.ts';
import { IssueList, parseInput } from '../validate.ts';

export const DEFAULT_LOCATION = 'DEFAULT';
export const TRANSIT_LOCATION = 'TRANSIT';

const locationInput = z.object({ code: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(64) });

export const warehouseInputSchema = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, _ . - only'),
  name: z.string().trim().min(1).max(64),
  aliases: z.array(z.string().trim().min(1).max(32)).max(20).optional(),
  address: z.string().trim().max(200).optional(),
  locations: z.array(locationInput).max(500).optional().describe('Storage locations (库位) besides the default one'),
});

export type WarehouseInput = z.infer<typeof warehouseInputSchema>;

export interface WarehouseView {
  code: string;
  name: string;
  aliases: string[];
  address: string | null;
  /** False once deactivated: requests, postings and chat no longer offer it. */
  active: boolean;
  locations: { code: string; name: string; kind: 'storage' | 'transit' }[];
}

/** Creates a warehouse with its default storage location, its transit location and any named locations. */
export async function createWarehouse(db: Database, actor: Actor, raw: unknown): Promise<WarehouseView> {
  requireScope(actor, 'master:write');
  const input = parseInput(warehouseInputSchema, raw);
  await db.orm.transaction(async (tx) => {
    const [wh] = await tx
      .insert(warehouses)
      .values({ companyId: actor.companyId, code: input.code, name: input.name, aliases: input.aliases ?? [], address: input.address })
      .onConflictDoNothing()
      .returning({ id: warehouses.id });
    if (!wh) throw new DuplicateError('warehouse', input.code);
    const base = { companyId: actor.companyId, warehouseId: wh.id };
    await tx.insert(locations).values([
      { ...base, code: DEFAULT_LOCATION, name: '默认库位', kind: 'storage', isDefault: true },
      { ...base, code: TRANSIT_LOCATION, name: '在途', kind: 'transit' },
      ...(input.locations ?? [])
        .filter((l) => l.code !== DEFAULT_LOCATION && l.code !== TRANSIT_LOCATION)
        .map((l) => ({ ...base, code: l.code, name: l.name, kind: 'storage' as const })),
    ]);
  });
  return getWarehouse(db, actor, input.code);
}

/** Active warehouses in code order; `includeInactive` adds the deactivated ones (for the admin who may bring one back). */
export async function listWarehouses(db: Database, actor: Actor, options: { includeInactive?: boolean } = {}): Promise<WarehouseView[]> {
  requireScope(actor, 'stock:read');
  const rows = await db.orm.query.warehouses.findMany({
    where: options.includeInactive ? eq(warehouses.companyId, actor.companyId) : and(eq(warehouses.companyId, actor.companyId), eq(warehouses.active, true)),
    orderBy: asc(warehouses.code),
  });
  const locs = await db.orm
    .select()
    .from(locations)
    .where(eq(locations.companyId, actor.companyId))
    .orderBy(asc(locations.id));
  return rows.map((w) => ({
    code: w.code,
    name: w.name,
    aliases: w.aliases,
    address: w.address,
    active: w.active,
    locations: locs.filter((l) => l.warehouseId === w.id).map((l) => ({ code: l.code, name: l.name, kind: l.kind })),
  }));
}

/** One warehouse, deactivated or not. */
export async function getWarehouse(db: Database, actor: Actor, code: string): Promise<WarehouseView> {
  const all = await listWarehouses(db, actor, { includeInactive: true });
  const found = all.find((w) => w.code === code);
  if (!found) throw new NotFoundError('warehouse', code);
  return found;
}

/**
 * What an admin may correct about a warehouse: its name, the names chat users
 * call it by, its address, and whether it is in use. The code stays: the
 * ledger and connected systems name the warehouse by it.
 */
export const warehouseUpdateSchema = z
  .object({
    name: warehouseInputSchema.shape.name.optional(),
    aliases: z.array(z.string().trim().min(1).max(32)).max(20).optional().describe('Replaces the aliases; [] removes them'),
    address: z.string().trim().max(200).nullable().optional(),
    active: z.boolean().optional().describe('false: only while it holds no stock; requests, postings and chat no longer offer it'),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'name at least one field to change');

export type WarehouseUpdate = z.infer<typeof warehouseUpdateSchema>;

/**
 * Renames a warehouse, replaces its aliases or address, or (de)activates it;
 * every problem is reported at once and a refused edit changes nothing. A
 * name or alias another warehouse answers to is refused: chat would no
 * longer know which one "上海" means. A warehouse still holding or expecting
 * stock cannot be deactivated: postings would no longer find it to move the
 * stock out.
 */
export async function updateWarehouse(db: Database, actor: Actor, code: string, raw: unknown): Promise<WarehouseView> {
  requireScope(actor, 'master:write');
  const input = parseInput(warehouseUpdateSchema, raw);
  await db.sql.begin(async (tx) => {
    const [wh] = await tx<{ id: number; name: string; aliases: string[]; active: boolean }[]>`
      select id, name, aliases, active from warehouses where company_id = ${actor.companyId} and code = ${code} for update`;
    if (!wh) throw new NotFoundError('warehouse', code);
    const issues = new IssueList();
    const aliases = input.aliases === undefined ? undefined : [...new Set(input.aliases)];
    const others = await tx<{ code: string; name: string; aliases: string[] }[]>`
      select code, name, aliases from warehouses where company_id = ${actor.companyId} and id <> ${wh.id} and active`;
    const holder = (word: string) =>
      others.find((o) => [o.code, o.name, ...o.aliases].some((n) => n.toLowerCase() === word.toLowerCase()));
    if (input.name !== undefined) {
      const o = holder(input.name);
      if (o) issues.add('name', `${o.code} (${o.name}) already answers to ${input.name}`, `${o.code}（${o.name}）已使用名称「${input.name}」`);
    }
    (input.aliases ?? []).forEach((a, i) => {
      const o = holder(a);
      if (o) issues.add(`aliases[${i}]`, `${o.code} (${o.name}) already answers to ${a}`, `${o.code}（${o.name}）已使用名称「${a}」`);
    });
    // Brought back into use: the names it kept meanwhile may have gone to another warehouse.
    if (input.active === true && !wh.active) {
      for (const word of [...(input.name === undefined ? [wh.name] : []), ...(input.aliases === undefined ? wh.aliases : [])]) {
        const o = holder(word);
        if (o) issues.add('active', `${o.code} (${o.name}) now answers to ${word}; rename this warehouse or change its aliases in the same edit`);
      }
    }
    if (input.active === false) {
      const [held] = await tx<{ slots: number }[]>`
        select count(*)::int as slots from stock_balances where warehouse_id = ${wh.id} and (on_hand <> 0 or reserved <> 0)`;
      if (held && held.slots > 0) issues.add('active', `${wh.name} still holds or expects stock in ${held.slots} place(s); move or issue it first`, `${wh.name} 还有 ${held.slots} 处库存或在途，请先调出或出库`);
    }
    issues.throwIfAny();
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (aliases !== undefined) changes.aliases = aliases;
    if (input.address !== undefined) changes.address = input.address;
    if (input.active !== undefined) changes.active = input.active;
    await tx`update warehouses set ${tx(changes)} where id = ${wh.id}`;
  });
  return getWarehouse(db, actor, code);
}

export const locationsInputSchema = z.object({
  locations: z.array(locationInput).min(1).max(500).describe('Storage locations (库位) to add; codes unique within the warehouse'),
});

/**
 * Adds storage locations to a warehouse. A code the warehouse already has
 * (DEFAULT and TRANSIT included) or one given twice is refused, every one
 * named, and then nothing is added.
 */
export async function addLocations(db: Database, actor: Actor, warehouseCode: string, raw: unknown): Promise<WarehouseView> {
  requireScope(actor, 'master:write');
  const input = parseInput(locationsInputSchema, raw);
  try {
    await db.sql.begin(async (tx) => {
      const [wh] = await tx<{ id: number }[]>`select id from warehouses where company_id = ${actor.companyId} and code = ${warehouseCode}`;
      if (!wh) throw new NotFoundError('warehouse', warehouseCode);
      const existing = new Set((await tx<{ code: string }[]>`select code from locations where warehouse_id = ${wh.id}`).map((l) => l.code.toLowerCase()));
      const issues = new IssueList();
      const seen = new Set<string>();
      input.locations.forEach((l, i) => {
        const key = l.code.toLowerCase();
        if (existing.has(key)) issues.add(`locations[${i}].code`, `${warehouseCode} already has a location ${l.code}`, `${warehouseCode} 已有库位 ${l.code}`);
        else if (seen.has(key)) issues.add(`locations[${i}].code`, `${l.code} is listed twice`, `${l.code} 重复`);
        seen.add(key);
      });
      issues.throwIfAny();
      for (const l of input.locations) {
        await tx`insert into locations (company_id, warehouse_id, code, name, kind) values (${actor.companyId}, ${wh.id}, ${l.code}, ${l.name}, 'storage')`;
      }
    });
  } catch (err) {
    // Someone added the same code between the check and the insert.
    if ((err as { code?: string }).code === '23505') throw new DuplicateError('location', input.locations.map((l) => l.code).join(', '));
    throw err;
  }
  return getWarehouse(db, actor, warehouseCode);
}
