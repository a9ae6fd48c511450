import { Hono } from 'hono';
import { listAlertRules, listAlerts, saveAlertRule } from '../../../inventory/reports/alert-admin.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

/** 预警: the history (open, acknowledged, resolved) and the thresholds per company, category or item. */
export function alertRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ alerts: await listAlerts(db, c.get('actor'), c.req.query()) }))
    .get('/rules', async (c) => c.json({ rules: await listAlertRules(db, c.get('actor')) }))
    .put('/rules', async (c) => c.json(await saveAlertRule(db, c.get('actor'), await c.req.json().catch(() => null))));
}
