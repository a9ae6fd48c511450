import { Hono } from 'hono';
import { itemsBelowSafetyStock } from '../../../inventory/queries/below-safety-stock.ts';
import { ledgerHistory } from '../../../inventory/queries/ledger-history.ts';
import { stockOfItem } from '../../../inventory/queries/stock-of-item.ts';
import { kpiReport } from '../../../inventory/reports/kpi-report.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

export function stockRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>().get('/:itemCode', async (c) => c.json(await stockOfItem(db, c.get('actor'), c.req.param('itemCode'))));
}

export function ledgerRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>().get('/', async (c) => c.json(await ledgerHistory(db, c.get('actor'), c.req.query())));
}

export function reportRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .get('/below-safety-stock', async (c) => c.json({ items: await itemsBelowSafetyStock(db, c.get('actor')) }))
    .get('/kpis', async (c) => c.json(await kpiReport(db, c.get('actor'), c.req.query())));
}
