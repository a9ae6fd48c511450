import { Hono } from 'hono';
import { deleteSubscription, listSubscriptions, saveSubscription } from '../../../bot/subscription-admin.ts';
import { ValidationError } from '../../../inventory/errors.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

/** Group subscriptions to digests and alerts, for admins (groups can also subscribe by asking the bot). */
export function subscriptionRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ subscriptions: await listSubscriptions(db, c.get('actor')) }))
    .post('/', async (c) => c.json(await saveSubscription(db, c.get('actor'), await c.req.json().catch(() => null)), 201))
    .delete('/:id', async (c) => {
      const id = Number(c.req.param('id'));
      if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError([{ path: 'id', message: 'a positive integer' }]);
      await deleteSubscription(db, c.get('actor'), id);
      return c.body(null, 204);
    });
}
