import { Hono } from 'hono';
import { requireScope } from '../../../inventory/actor.ts';
import { NotFoundError, ValidationError } from '../../../inventory/errors.ts';
import { consumeReservation } from '../../../inventory/reservations/consume.ts';
import { releaseReservation } from '../../../inventory/reservations/release.ts';
import { loadReservations } from '../../../inventory/reservations/view.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

function reservationId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ValidationError([{ path: 'id', message: `"${raw}" is not a reservation id (a whole number)` }]);
  return Number(raw);
}

export function reservationRoutes({ db, reservations }: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => c.json(await reservations.reserve(c.get('actor'), await c.req.json()), 201))
    .get('/:id', async (c) => {
      const actor = c.get('actor');
      requireScope(actor, 'stock:read');
      const id = reservationId(c.req.param('id'));
      const [view] = await loadReservations(db.sql, actor.companyId, { ids: [id] });
      if (!view) throw new NotFoundError('reservation', id);
      return c.json(view);
    })
    .post('/:id/release', async (c) => c.json(await releaseReservation(db, c.get('actor'), reservationId(c.req.param('id')))))
    .post('/:id/consume', async (c) => {
      const body = (await c.req.text()) ? ((await c.req.json()) as { reference?: unknown }) : {};
      const reference = typeof body.reference === 'string' ? body.reference : undefined;
      return c.json(await consumeReservation(db, c.get('actor'), reservationId(c.req.param('id')), reference), 201);
    });
}
