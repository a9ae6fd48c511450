import { Hono } from 'hono';
import { z } from 'zod';
import { COST_ROLES, canSeeCost } from '../../../inventory/people.ts';
import { RoleRequiredError } from '../../../inventory/errors.ts';
import { kpiReport } from '../../../inventory/reports/kpi-report.ts';
import { movementTrend } from '../../../inventory/reports/trend.ts';
import { addDays, todayIn } from '../../../inventory/today.ts';
import { parseInput } from '../../../inventory/validate.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { visibleWarehouses, warehouseInScope } from '../scope.ts';

const filterSchema = z.object({
  warehouse: z.string().trim().min(1).max(32).optional(),
  category: z.string().trim().min(1).max(64).optional(),
});

/**
 * The dashboard: the digest's KPIs over the last 30 closed days, by warehouse
 * and company, ABC, and inbound/outbound trends (30 days, 12 months). Values,
 * so only for roles that see cost.
 */
export function dashboardRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get('/', async (c) => {
    const user = c.get('user');
    const actor = c.get('actor');
    if (!canSeeCost(user)) throw new RoleRequiredError(COST_ROLES);
    const f = parseInput(filterSchema, c.req.query());
    if (f.warehouse) await warehouseInScope(deps, user, f.warehouse);
    const visible = await visibleWarehouses(deps, user);
    const scoped = { warehouseIds: user.warehouseScope === null ? null : visible.map((w) => w.id) };
    const to = addDays(todayIn(actor.timezone), -1);
    const from = addDays(to, -29);
    const yearFrom = `${addDays(to, -334).slice(0, 7)}-01`;
    const period = { from, to, ...(f.warehouse ? { warehouse: f.warehouse } : {}), ...(f.category ? { category: f.category } : {}) };
    const [company, byWarehouse, byItem, daily, monthly, categories] = await Promise.all([
      kpiReport(deps.db, actor, { ...period, groupBy: 'company' }, scoped),
      kpiReport(deps.db, actor, { ...period, groupBy: 'warehouse' }, scoped),
      kpiReport(deps.db, actor, { ...period, groupBy: 'item', limit: 1000 }, scoped),
      movementTrend(deps.db, actor, { ...period, bucket: 'day' }, scoped),
      movementTrend(deps.db, actor, { ...period, from: yearFrom, bucket: 'month' }, scoped),
      deps.db.sql<{ category: string }[]>`
        select distinct category from items where company_id = ${user.companyId} and category is not null order by category`,
    ]);
    const abc = { A: { items: 0, value: 0 }, B: { items: 0, value: 0 }, C: { items: 0, value: 0 } };
    for (const r of byItem.rows) {
      if (!r.abc) continue;
      abc[r.abc].items += 1;
      abc[r.abc].value += Number(r.closingValue);
    }
    return c.json({
      from,
      to,
      summary: company.rows[0] ?? null,
      byWarehouse: byWarehouse.rows,
      abc,
      daily,
      monthly,
      filters: { warehouses: visible.map((w) => ({ code: w.code, name: w.name })), categories: categories.map((r) => r.category) },
    });
  });
}
