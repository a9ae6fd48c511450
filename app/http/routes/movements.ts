import { Hono } from 'hono';
import { requireScope } from '../../../inventory/actor.ts';
import { NotFoundError } from '../../../inventory/errors.ts';
import { postMovement } from '../../../inventory/post-movement.ts';
import { loadPostedDocumentByNo } from '../../../inventory/posted-document.ts';
import { receiveTransfer } from '../../../inventory/receive-transfer.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

export function movementRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => c.json(await postMovement(db, c.get('actor'), await c.req.json()), 201))
    .get('/:docNo', async (c) => {
      const actor = c.get('actor');
      requireScope(actor, 'stock:read');
      const doc = await loadPostedDocumentByNo(db.sql, actor.companyId, c.req.param('docNo'));
      if (!doc) throw new NotFoundError('document', c.req.param('docNo'));
      return c.json(doc);
    })
    .post('/:docNo/receive', async (c) => c.json(await receiveTransfer(db, c.get('actor'), c.req.param('docNo'), await c.req.json()), 201));
}
