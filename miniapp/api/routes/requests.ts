import { Hono } from 'hono';
import { isoTime } from '../../../db/client.ts';
import { NotFoundError, WarehouseOutOfScopeError } from '../../../inventory/errors.ts';
import type { Person } from '../../../inventory/people.ts';
import { availableIn } from '../../../inventory/queries/available-in.ts';
import { commentOnRequest, decideRequest, delegateRequest, fulfilRequest, withdrawRequest } from '../../../inventory/requests/actions.ts';
import { commentInputSchema, decisionInputSchema, delegateInputSchema, fulfilInputSchema, requestInputSchema, withdrawInputSchema } from '../../../inventory/requests/input.ts';
import { submitRequest } from '../../../inventory/requests/submit.ts';
import { getRequest, myPendingApprovals, myRequests } from '../../../inventory/requests/view.ts';
import { formatMoney } from '../../../inventory/posted-document.ts';
import { jsonBody } from '../body.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { requireRole, visibleWarehouses, warehouseInScope } from '../scope.ts';

const FULFILLERS = ['warehouse_keeper', 'warehouse_manager'] as const;

/**
 * A request is open to its requester, to anyone who has or had an approval
 * task on it, and to staff of its warehouses; to no one else, whatever the id.
 */
async function requireVisibleRequest(deps: MiniDeps, user: Person, id: number): Promise<void> {
  const [r] = await deps.db.sql<{ requester_id: number; warehouse_id: number; to_warehouse_id: number | null; code: string; tasked: boolean }[]>`
    select r.requester_id, r.warehouse_id, r.to_warehouse_id, w.code,
           exists (select 1 from approval_tasks t where t.request_id = r.id and t.assignee_id = ${user.employeeId}) as tasked
    from requests r join warehouses w on w.id = r.warehouse_id
    where r.id = ${id} and r.company_id = ${user.companyId}`;
  if (!r) throw new NotFoundError('request', id);
  if (r.requester_id === user.employeeId || r.tasked) return;
  const scope = user.warehouseScope;
  if (scope === null || scope.includes(r.warehouse_id) || (r.to_warehouse_id !== null && scope.includes(r.to_warehouse_id))) return;
  throw new WarehouseOutOfScopeError(r.code);
}

const idOf = (raw: string) => {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError('request', raw);
  return id;
};

/** New requests, my requests, one request's page, and what its requester or warehouse staff can do to it. */
export function requestRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>()
    .post('/', jsonBody(requestInputSchema), async (c) => {
      const input = c.req.valid('json');
      // The source warehouse must be the employee's; a transfer may go to any warehouse.
      await warehouseInScope(deps, c.get('user'), input.warehouse);
      return c.json(await submitRequest(deps, c.get('actor'), input), 201);
    })
    .get('/mine', async (c) => c.json({ requests: await myRequests(deps, c.get('actor')) }))
    .get('/available', async (c) => {
      const warehouse = c.req.query('warehouse') ?? '';
      await warehouseInScope(deps, c.get('user'), warehouse);
      const items = (c.req.query('items') ?? '').split(',').filter(Boolean).slice(0, 200);
      return c.json({ available: await availableIn(deps.db, c.get('actor'), warehouse, items) });
    })
    .get('/:id', async (c) => {
      const id = idOf(c.req.param('id'));
      await requireVisibleRequest(deps, c.get('user'), id);
      const view = await getRequest(deps, c.get('actor'), id);
      // What the approval card shows too: each line's item as available now, re-read on every view.
      const available = await availableIn(deps.db, c.get('actor'), view.warehouse, [...new Set(view.lines.map((l) => l.item))]);
      return c.json({ ...view, available });
    })
    .post('/:id/withdraw', jsonBody(withdrawInputSchema), async (c) => c.json(await withdrawRequest(deps, c.get('actor'), idOf(c.req.param('id')), c.req.valid('json'))))
    .post('/:id/comment', jsonBody(commentInputSchema), async (c) => {
      const id = idOf(c.req.param('id'));
      await requireVisibleRequest(deps, c.get('user'), id);
      return c.json(await commentOnRequest(deps, c.get('actor'), id, c.req.valid('json')));
    })
    .post('/:id/fulfil', jsonBody(fulfilInputSchema), async (c) => {
      const id = idOf(c.req.param('id'));
      await requireVisibleRequest(deps, c.get('user'), id);
      return c.json(await fulfilRequest(deps, c.get('actor'), id, c.req.valid('json')));
    });
}

/** 我的待办 and what I decided, and the decisions themselves. */
export function approvalRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>()
    .get('/', async (c) => {
      const user = c.get('user');
      const done = await deps.db.sql<{ id: number; request_no: string; type: string; status: string; task_status: string; amount: string; requester: string; decided_at: string }[]>`
        select r.id, r.request_no, r.type, r.status, t.status as task_status, r.amount::text, e.name as requester, t.decided_at
        from approval_tasks t join requests r on r.id = t.request_id join employees e on e.id = r.requester_id
        where t.assignee_id = ${user.employeeId} and t.status <> 'pending' and r.company_id = ${user.companyId} and t.decided_at is not null
        order by t.decided_at desc limit 50`;
      return c.json({
        pending: await myPendingApprovals(deps, c.get('actor')),
        decided: done.map((r) => ({ id: r.id, requestNo: r.request_no, type: r.type, status: r.status, decision: r.task_status, amount: formatMoney(r.amount), requester: r.requester, decidedAt: isoTime(r.decided_at) })),
      });
    })
    .post('/:id/decide', jsonBody(decisionInputSchema), async (c) => c.json(await decideRequest(deps, c.get('actor'), idOf(c.req.param('id')), c.req.valid('json'))))
    .post('/:id/delegate', jsonBody(delegateInputSchema), async (c) => c.json(await delegateRequest(deps, c.get('actor'), idOf(c.req.param('id')), c.req.valid('json'))));
}

/** Approved requests waiting for the warehouse: to accept, pick, check and ship, or to receive. */
export function fulfilmentRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get('/', async (c) => {
    const user = c.get('user');
    requireRole(user, FULFILLERS);
    const ids = user.warehouseScope === null ? null : (await visibleWarehouses(deps, user)).map((w) => w.id);
    const rows = await deps.db.sql<{ id: number; request_no: string; type: string; stage: string | null; warehouse: string; to_warehouse: string | null; requester: string; created_at: string }[]>`
      select r.id, r.request_no, r.type, r.stage, w.code as warehouse, tw.code as to_warehouse, e.name as requester, r.created_at
      from requests r join warehouses w on w.id = r.warehouse_id left join warehouses tw on tw.id = r.to_warehouse_id
      join employees e on e.id = r.requester_id
      where r.company_id = ${user.companyId} and r.status = 'approved' and r.type in ('outbound', 'purchase', 'transfer')
        and (${ids}::bigint[] is null or r.warehouse_id = any(${ids}::bigint[]) or r.to_warehouse_id = any(${ids}::bigint[]))
      order by r.id limit 200`;
    return c.json({
      requests: rows.map((r) => ({ id: r.id, requestNo: r.request_no, type: r.type, stage: r.stage, warehouse: r.warehouse, toWarehouse: r.to_warehouse, requester: r.requester, createdAt: isoTime(r.created_at) })),
    });
  });
}

/** Colleagues to delegate to: active employees of the company, by code or name. */
export function peopleRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get('/', async (c) => {
    const user = c.get('user');
    const q = `%${(c.req.query('q') ?? '').replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const rows = await deps.db.sql<{ code: string; name: string; department: string | null }[]>`
      select code, name, department from employees
      where company_id = ${user.companyId} and active and id <> ${user.employeeId} and (code ilike ${q} or name ilike ${q})
      order by code limit 30`;
    return c.json({ people: [...rows] });
  });
}
