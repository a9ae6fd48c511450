import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { locations, warehouses } from '../../db/schema/index.ts';
import { requireScope, type Actor } from '../actor.ts';
import { DuplicateError, NotFoundError } from '../errors.ts';
import { parseInput } from '../validate.ts';

export const DEFAULT_LOCATION = 'DEFAULT';
export const TRANSIT_LOCATION = 'TRANSIT';

export const warehouseInputSchema = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, _ . - only'),
  name: z.string().trim().min(1).max(64),
  aliases: z.array(z.string().trim().min(1).max(32)).max(20).optional(),
  address: z.string().trim().max(200).optional(),
  locations: z
    .array(z.object({ code: z.string().trim().min(1).max(32), name: z.string().trim().min(1).max(64) }))
    .max(500)
    .optional()
    .describe('Storage locations (库位) besides the default one'),
});

export type WarehouseInput = z.infer<typeof warehouseInputSchema>;

export interface WarehouseView {
  code: string;
  name: string;
  aliases: string[];
  address: string | null;
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

export async function listWarehouses(db: Database, actor: Actor): Promise<WarehouseView[]> {
  requireScope(actor, 'stock:read');
  const rows = await db.orm.query.warehouses.findMany({
    where: and(eq(warehouses.companyId, actor.companyId), eq(warehouses.active, true)),
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
    locations: locs.filter((l) => l.warehouseId === w.id).map((l) => ({ code: l.code, name: l.name, kind: l.kind })),
  }));
}

export async function getWarehouse(db: Database, actor: Actor, code: string): Promise<WarehouseView> {
  const all = await listWarehouses(db, actor);
  const found = all.find((w) => w.code === code);
  if (!found) throw new NotFoundError('warehouse', code);
  return found;
}
