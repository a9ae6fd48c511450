import { Hono } from 'hono';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { warehouseInScope } from '../scope.ts';

/** A warehouse's storage locations, for pickers (a stocktake of some locations): only the employee's warehouses. */
export function warehouseRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get('/:code/locations', async (c) => {
    const w = await warehouseInScope(deps, c.get('user'), c.req.param('code'));
    const rows = await deps.db.sql<{ code: string; name: string | null }[]>`
      select code, name from locations where warehouse_id = ${w.id} and kind = 'storage' order by code`;
    return c.json({ locations: [...rows] });
  });
}
