import { Hono } from 'hono';
import { createWarehouse, listWarehouses } from '../../../inventory/master/warehouses.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

export function warehouseRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => c.json(await createWarehouse(db, c.get('actor'), await c.req.json()), 201))
    .get('/', async (c) => c.json({ warehouses: await listWarehouses(db, c.get('actor')) }));
}
