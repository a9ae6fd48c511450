import { Hono } from 'hono';
import { deleteSubscription, listSubscriptions, saveSubscription, subscriptionInputSchema } from '../../../bot/subscription-admin.ts';
import { CHAT_PLATFORMS, CHAT_TOPICS } from '../../../db/schema/chat.ts';
import { TRACKING } from '../../../db/schema/items.ts';
import type { Actor, Scope } from '../../../inventory/actor.ts';
import { listPolicies, retirePolicy, savePolicy } from '../../../inventory/approvals/policies.ts';
import { policyInputSchema, type PolicyStep } from '../../../inventory/approvals/policy.ts';
import { NotFoundError, ValidationError } from '../../../inventory/errors.ts';
import { createItem, getItem, itemInputSchema, itemUpdateSchema, listItems, updateItem, type ItemView } from '../../../inventory/master/items.ts';
import { bindIdentities, createEmployee, employeeInputSchema, employeeUpdateSchema, getEmployee, identitiesInputSchema, updateEmployee } from '../../../inventory/master/employees.ts';
import {
  addLocations,
  createWarehouse,
  listWarehouses,
  locationsInputSchema,
  updateWarehouse,
  warehouseInputSchema,
  warehouseUpdateSchema,
} from '../../../inventory/master/warehouses.ts';
import { searchItems } from '../../../inventory/queries/search-items.ts';
import { alertRuleSchema, listAlertRules, saveAlertRule } from '../../../inventory/reports/alert-admin.ts';
import { ROLES, type Role } from '../../../inventory/roles.ts';
import { REQUEST_KINDS } from '../../../workflows/approval/snapshot.ts';
import { jsonBody } from '../body.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { requireRole } from '../scope.ts';

/** Besides admins, the people who set up the items they buy and store. */
const ITEM_MAKERS: readonly Role[] = ['warehouse_manager', 'purchaser'];
/** `requireRole` lets admin through whatever the list: an empty list means admin only. */
const ADMIN_ONLY: readonly Role[] = [];

/**
 * A session's actor may read stock and submit requests only; master data and
 * administration verbs check for more. Called only after `requireRole` has
 * passed, so the employee's role is what grants the scope, for this call alone.
 */
const granted = (actor: Actor, scope: Scope): Actor => ({ ...actor, scopes: [...actor.scopes, scope] });

const idOf = (raw: string, what: string): number => {
  if (!/^\d{1,15}$/.test(raw)) throw new ValidationError([{ path: 'id', message: `"${raw}" is not a ${what} id (a whole number)` }]);
  return Number(raw);
};

/**
 * The admin area: items (also for warehouse managers and purchasers),
 * warehouses and their locations, employees and their chat identities,
 * approval policies, alert thresholds and group subscriptions. Every body is
 * checked by the verb's own schema and the verbs keep their own rules.
 */
export function adminRoutes(deps: MiniDeps) {
  const { db } = deps;
  return new Hono<MiniEnv>()
    .get('/meta', (c) => {
      requireRole(c.get('user'), ITEM_MAKERS);
      return c.json({ roles: [...ROLES], requestTypes: [...REQUEST_KINDS], tracking: [...TRACKING], platforms: [...CHAT_PLATFORMS], topics: [...CHAT_TOPICS] });
    })
    .get('/items', async (c) => {
      requireRole(c.get('user'), ITEM_MAKERS);
      const q = (c.req.query('q') ?? '').trim();
      if (!q) return c.json({ items: (await listItems(db, c.get('actor'), { limit: 50, ...(c.req.query('after') ? { after: c.req.query('after') } : {}) })).map(summary) });
      // The search's company-wide figure is left out: not every item maker sees every warehouse.
      const hits = (await searchItems(db, c.get('actor'), q, 50)).map(summary);
      // Search leaves retired items out; whoever types one's exact code is looking for it, to bring it back.
      if (!hits.some((h) => h.code === q)) {
        const exact = await getItem(db, c.get('actor'), q).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
        if (exact && !exact.active) hits.unshift(summary(exact));
      }
      return c.json({ items: hits });
    })
    .get('/items/:code', async (c) => {
      requireRole(c.get('user'), ITEM_MAKERS);
      return c.json(await getItem(db, c.get('actor'), c.req.param('code')));
    })
    .post('/items', jsonBody(itemInputSchema), async (c) => {
      requireRole(c.get('user'), ITEM_MAKERS);
      return c.json(await createItem(db, granted(c.get('actor'), 'master:write'), c.req.valid('json')), 201);
    })
    .patch('/items/:code', jsonBody(itemUpdateSchema), async (c) => {
      requireRole(c.get('user'), ITEM_MAKERS);
      return c.json(await updateItem(db, granted(c.get('actor'), 'master:write'), c.req.param('code'), c.req.valid('json')));
    })
    .get('/warehouses', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      // Deactivated ones too, marked: the admin is the one who may bring them back.
      return c.json({ warehouses: await listWarehouses(db, c.get('actor'), { includeInactive: true }) });
    })
    .post('/warehouses', jsonBody(warehouseInputSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      const created = await createWarehouse(db, granted(c.get('actor'), 'master:write'), c.req.valid('json'));
      // Scope checks and /me read warehouses through the directory: the new one counts from the next call.
      deps.warehouses.forget(c.get('user').companyId);
      return c.json(created, 201);
    })
    .patch('/warehouses/:code', jsonBody(warehouseUpdateSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      const updated = await updateWarehouse(db, granted(c.get('actor'), 'master:write'), c.req.param('code'), c.req.valid('json'));
      // A renamed or deactivated warehouse: scope checks and /me must not keep answering with the old one.
      deps.warehouses.forget(c.get('user').companyId);
      return c.json(updated);
    })
    .post('/warehouses/:code/locations', jsonBody(locationsInputSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      const updated = await addLocations(db, granted(c.get('actor'), 'master:write'), c.req.param('code'), c.req.valid('json'));
      deps.warehouses.forget(c.get('user').companyId);
      return c.json(updated, 201);
    })
    .get('/employees', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      const q = `%${(c.req.query('q') ?? '').trim().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      // No listing verb exists in inventory/master/employees.ts; a read of the admin's own company only.
      const rows = await db.sql<{ code: string; name: string; department: string | null; roles: string[]; active: boolean; bound: string[] }[]>`
        select code, name, department, roles, active,
               array_remove(array[case when dingtalk_user_id is not null then 'dingtalk' end,
                                  case when feishu_open_id is not null or feishu_union_id is not null then 'feishu' end,
                                  case when wecom_user_id is not null then 'wecom' end,
                                  case when wechaty_id is not null then 'wechaty' end], null) as bound
        from employees
        where company_id = ${c.get('user').companyId} and (code ilike ${q} or name ilike ${q} or coalesce(department, '') ilike ${q})
        order by active desc, code limit 200`;
      return c.json({ employees: [...rows] });
    })
    .get('/employees/:code', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await getEmployee(db, c.get('actor'), c.req.param('code')));
    })
    .post('/employees', jsonBody(employeeInputSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await createEmployee(db, granted(c.get('actor'), 'master:write'), c.req.valid('json')), 201);
    })
    .patch('/employees/:code', jsonBody(employeeUpdateSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await updateEmployee(db, granted(c.get('actor'), 'master:write'), c.req.param('code'), c.req.valid('json')));
    })
    .put('/employees/:code/identities', jsonBody(identitiesInputSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await bindIdentities(db, granted(c.get('actor'), 'master:write'), c.req.param('code'), c.req.valid('json')));
    })
    .get('/policies', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      const rows = (await listPolicies(db, c.get('actor'))) as unknown as PolicyRow[];
      return c.json({
        policies: rows.map((r) => ({ id: Number(r.id), requestType: r.requestType, warehouse: r.warehouse, category: r.category, name: r.name, version: Number(r.version), steps: r.steps })),
      });
    })
    .post('/policies', jsonBody(policyInputSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await savePolicy(db, granted(c.get('actor'), 'admin'), c.req.valid('json')), 201);
    })
    .delete('/policies/:id', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await retirePolicy(db, granted(c.get('actor'), 'admin'), idOf(c.req.param('id'), 'policy')));
    })
    .get('/alert-rules', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json({ rules: await listAlertRules(db, c.get('actor')) });
    })
    .put('/alert-rules', jsonBody(alertRuleSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await saveAlertRule(db, granted(c.get('actor'), 'admin'), c.req.valid('json')));
    })
    .get('/subscriptions', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json({ subscriptions: await listSubscriptions(db, granted(c.get('actor'), 'admin')) });
    })
    .post('/subscriptions', jsonBody(subscriptionInputSchema), async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      return c.json(await saveSubscription(db, granted(c.get('actor'), 'admin'), c.req.valid('json')), 201);
    })
    .delete('/subscriptions/:id', async (c) => {
      requireRole(c.get('user'), ADMIN_ONLY);
      await deleteSubscription(db, granted(c.get('actor'), 'admin'), idOf(c.req.param('id'), 'subscription'));
      return c.json({ deleted: true });
    });
}

interface PolicyRow {
  id: number | string;
  requestType: string;
  warehouse: string | null;
  category: string | null;
  name: string;
  version: number | string;
  steps: PolicyStep[];
}

/** Search finds active items only; a listed or looked-up item says whether it is. */
const summary = (i: { code: string; name: string; spec: string | null; unit: string; category: string | null } & Partial<Pick<ItemView, 'active'>>) => ({
  code: i.code,
  name: i.name,
  spec: i.spec,
  unit: i.unit,
  category: i.category,
  active: i.active ?? true,
});
