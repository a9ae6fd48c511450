import { Hono } from 'hono';
import type { HttpDeps } from '../context.ts';

/** Liveness plus a real round trip to the database. */
export function healthRoutes({ db, version }: HttpDeps) {
  return new Hono().get('/', async (c) => {
    const started = Date.now();
    try {
      await db.sql`select 1`;
      return c.json({ status: 'ok', db: 'ok', dbLatencyMs: Date.now() - started, version });
    } catch (err) {
      return c.json({ status: 'degraded', db: 'error', error: String((err as Error).message ?? err), version }, 503);
    }
  });
}
