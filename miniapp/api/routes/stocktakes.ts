import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { STOCKTAKE_STATUSES } from '../../../db/schema/stocktakes.ts';
import { ValidationError } from '../../../inventory/errors.ts';
import { cancelStocktake } from '../../../inventory/stocktake/cancel.ts';
import { recordCounts, voidCount } from '../../../inventory/stocktake/count.ts';
import { createStocktake } from '../../../inventory/stocktake/create.ts';
import { listHeaders, loadHeader, loadSheet } from '../../../inventory/stocktake/sheet.ts';
import { submittedAsZero, submitStocktake } from '../../../inventory/stocktake/submit.ts';
import { cancelStocktakeSchema, countInputSchema, createStocktakeSchema, submitStocktakeSchema } from '../../../inventory/stocktake/input.ts';
import { headerView, sheetView, varianceView } from '../../../inventory/stocktake/view.ts';
import { requireWarehouse } from '../../../inventory/stocktake/access.ts';
import type { Person } from '../../../inventory/people.ts';
import { parseInput } from '../../../inventory/validate.ts';
import { jsonBody } from '../body.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { warehouseInScope } from '../scope.ts';

const listQuerySchema = z.object({ status: z.enum(STOCKTAKE_STATUSES).optional() });
const varianceQuerySchema = z.object({ uncountedAsZero: z.enum(['true', 'false']).optional().describe('Book every uncounted line as counted 0') });

function idParam(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new ValidationError([{ path: 'id', message: `"${raw}" is not a stocktake id` }]);
  return id;
}

async function visibleHeader(deps: MiniDeps, user: Person, id: number) {
  const h = await loadHeader(deps.db.sql, user.companyId, id);
  requireWarehouse(user, { id: h.warehouseId, code: h.warehouseCode });
  return h;
}

/** 盘点: create, count (scan or type), see the sheet and the variance, submit for approval, cancel. Mounted at /app/api/stocktakes. */
export function stocktakeRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>()
    .get('/', async (c) => {
      const user = c.get('user');
      const q = parseInput(listQuerySchema, c.req.query());
      const headers = await listHeaders(deps.db.sql, user.companyId, user.warehouseScope, q.status ?? null);
      return c.json({ stocktakes: headers.map(headerView) });
    })
    .post('/', jsonBody(createStocktakeSchema), async (c) => {
      const user = c.get('user');
      const input = c.req.valid('json');
      // Out of scope answers 403 WAREHOUSE_OUT_OF_SCOPE here, as everywhere in the app (the verb re-checks by id).
      await warehouseInScope(deps, user, input.warehouse);
      const h = await createStocktake(deps.db, user, input);
      const sheet = await loadSheet(deps.db.sql, user.companyId, h);
      return c.json(sheetView(user, h, sheet, c.get('locale')), 201);
    })
    .get('/:id', async (c) => {
      const user = c.get('user');
      const h = await visibleHeader(deps, user, idParam(c.req.param('id')));
      return c.json(sheetView(user, h, await loadSheet(deps.db.sql, user.companyId, h), c.get('locale')));
    })
    .get('/:id/variance', validator('query', (q) => parseInput(varianceQuerySchema, q)), async (c) => {
      const user = c.get('user');
      const h = await visibleHeader(deps, user, idParam(c.req.param('id')));
      // A submitted count shows what was sent; while counting, the counter chooses.
      const asZero = submittedAsZero(h) || c.req.valid('query').uncountedAsZero === 'true';
      return c.json(varianceView(user, h, await loadSheet(deps.db.sql, user.companyId, h, { uncountedAsZero: asZero }), asZero, c.get('locale')));
    })
    .post('/:id/counts', jsonBody(countInputSchema), async (c) => {
      const user = c.get('user');
      const out = await recordCounts(deps.db, user, idParam(c.req.param('id')), c.req.valid('json'));
      const zh = c.get('locale') === 'zh-CN';
      const entries = out.entries.map((e) => ({ ...e, problem: e.problem && (zh ? e.problem.zh : e.problem.message) }));
      return c.json({ stocktake: headerView(out.stocktake), entries });
    })
    .delete('/:id/counts/:entryId', async (c) => {
      const user = c.get('user');
      const entryId = c.req.param('entryId');
      await voidCount(deps.db, user, idParam(c.req.param('id')), entryId);
      return c.json({ entryId, voided: true });
    })
    .post('/:id/submit', jsonBody(submitStocktakeSchema), async (c) => {
      const user = c.get('user');
      const out = await submitStocktake(deps, user, c.get('actor'), idParam(c.req.param('id')), c.req.valid('json'));
      return c.json({ ...headerView(out.stocktake), request: { ...out.request, status: out.stocktake.requestStatus } });
    })
    .post('/:id/cancel', jsonBody(cancelStocktakeSchema), async (c) => {
      const user = c.get('user');
      const h = await cancelStocktake(deps.db, user, idParam(c.req.param('id')), c.req.valid('json'));
      return c.json(headerView(h));
    });
}
