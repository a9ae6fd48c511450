import { Hono } from 'hono';
import { requireScope } from '../../../inventory/actor.ts';
import { createItem, getItem, listItems, updateItem } from '../../../inventory/master/items.ts';
import { searchItems } from '../../../inventory/queries/search-items.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

export function itemRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => c.json(await createItem(db, c.get('actor'), await c.req.json()), 201))
    .get('/', async (c) => {
      const actor = c.get('actor');
      const q = c.req.query('q');
      const limit = Number(c.req.query('limit') ?? 20);
      if (q !== undefined) return c.json({ items: await searchItems(db, actor, q, Number.isFinite(limit) ? limit : 20) });
      requireScope(actor, 'stock:read');
      const items = await listItems(db, actor, { after: c.req.query('after'), limit: Number.isFinite(limit) ? limit : 100 });
      return c.json({ items, next: items.length > 0 ? (items[items.length - 1]?.code ?? null) : null });
    })
    .get('/:code', async (c) => c.json(await getItem(db, c.get('actor'), c.req.param('code'))))
    .patch('/:code', async (c) => c.json(await updateItem(db, c.get('actor'), c.req.param('code'), await c.req.json())));
}
