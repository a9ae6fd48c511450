import { Hono } from 'hono';
import { formatMicro, parseMicro, sumMicro } from '../../../inventory/decimal.ts';
import { canSeeCost } from '../../../inventory/people.ts';
import { availableIn } from '../../../inventory/queries/available-in.ts';
import { recentMovements } from '../../../inventory/queries/recent-movements.ts';
import { searchItems } from '../../../inventory/queries/search-items.ts';
import { stockContext } from '../../../inventory/queries/stock-context.ts';
import { stockOfItem, type StockFigures } from '../../../inventory/queries/stock-of-item.ts';
import { itemStockSeries } from '../../../inventory/reports/trend.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { visibleWarehouses } from '../scope.ts';

const micro = (s: string) => parseMicro(s) ?? 0n;

/** Search and the item page, showing only the warehouses the employee may see. */
export function itemRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>()
    .get('/', async (c) => {
      const user = c.get('user');
      const q = c.req.query('q') ?? '';
      const hits = await searchItems(deps.db, c.get('actor'), q, 20);
      if (user.warehouseScope === null || hits.length === 0) return c.json({ items: hits });
      // The search's figure is company-wide: a scoped employee sees the sum over their own warehouses instead.
      const codes = hits.map((h) => h.code);
      const per = await Promise.all((await visibleWarehouses(deps, user)).map((w) => availableIn(deps.db, c.get('actor'), w.code, codes)));
      return c.json({ items: hits.map((h) => ({ ...h, available: formatMicro(sumMicro(per.map((p) => micro(p[h.code] ?? '0')))) })) });
    })
    .get('/:code', async (c) => {
      const user = c.get('user');
      const actor = c.get('actor');
      const code = c.req.param('code');
      const visible = await visibleWarehouses(deps, user);
      const codes = new Set(visible.map((w) => w.code));
      const scoped = { warehouseIds: user.warehouseScope === null ? null : visible.map((w) => w.id) };
      const [stock, context, history, series] = await Promise.all([
        stockOfItem(deps.db, actor, code),
        stockContext(deps.db, actor, code),
        recentMovements(deps.db, actor, code, scoped),
        itemStockSeries(deps.db, actor, code, 90, scoped),
      ]);
      const warehouses = stock.warehouses.filter((w) => codes.has(w.warehouse));
      const sum = (f: keyof StockFigures) => formatMicro(sumMicro(warehouses.map((w) => micro(w[f]))));
      const totals: StockFigures = { onHand: sum('onHand'), reserved: sum('reserved'), available: sum('available'), expired: sum('expired'), inTransit: sum('inTransit') };
      const seesCost = canSeeCost(user);
      return c.json({
        item: { ...stock.item, belowSafetyStock: micro(totals.available) < micro(stock.item.safetyStock) },
        totals,
        warehouses,
        holds: context.holds.filter((h) => codes.has(h.warehouse)),
        dailyOutbound: Object.fromEntries(Object.entries(context.dailyOutbound).filter(([w]) => codes.has(w))),
        unitCost: seesCost ? context.unitCost : null,
        // The valuation is company-wide: only someone who sees every warehouse may see it.
        value: seesCost && user.warehouseScope === null ? context.value : null,
        history,
        series,
      });
    });
}
