import { Hono } from 'hono';
import { addLocations, createWarehouse, listWarehouses, updateWarehouse } from '../../../inventory/master/warehouses.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

/**
 * Warehouses and their locations. The chat side reads warehouses through its
 * own short-lived cache (bot/core/lexicon.ts), so a change made here reaches
 * chat within its half-minute lifetime.
 */
export function warehouseRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => c.json(await createWarehouse(db, c.get('actor'), await c.req.json()), 201))
    .get('/', async (c) => c.json({ warehouses: await listWarehouses(db, c.get('actor'), { includeInactive: c.req.query('all') === 'true' }) }))
    .patch('/:code', async (c) => c.json(await updateWarehouse(db, c.get('actor'), c.req.param('code'), await c.req.json())))
    .post('/:code/locations', async (c) => c.json(await addLocations(db, c.get('actor'), c.req.param('code'), await c.req.json()), 201));
}
