import { Hono } from 'hono';
import { listPolicies, retirePolicy, savePolicy } from '../../../inventory/approvals/policies.ts';
import { ValidationError } from '../../../inventory/errors.ts';
import { commentOnRequest, decideRequest, delegateRequest, fulfilRequest, withdrawRequest } from '../../../inventory/requests/actions.ts';
import { submitRequest } from '../../../inventory/requests/submit.ts';
import { getRequest, myPendingApprovals, myRequests } from '../../../inventory/requests/view.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

function idParam(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ValidationError([{ path: 'id', message: `"${raw}" is not a ${what} id (a whole number)` }]);
  return Number(raw);
}

/** Requests (单据) and their approval: submit, read, decide, delegate, withdraw, fulfil. */
export function requestRoutes(deps: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const { id } = await submitRequest(deps, c.get('actor'), await c.req.json());
      return c.json(await getRequest(deps, c.get('actor'), id), 201);
    })
    .get('/', async (c) => c.json({ requests: await myRequests(deps, c.get('actor')) }))
    .get('/:id', async (c) => c.json(await getRequest(deps, c.get('actor'), idParam(c.req.param('id'), 'request'))))
    .post('/:id/decisions', async (c) => c.json(await decideRequest(deps, c.get('actor'), idParam(c.req.param('id'), 'request'), await c.req.json())))
    .post('/:id/delegate', async (c) => c.json(await delegateRequest(deps, c.get('actor'), idParam(c.req.param('id'), 'request'), await c.req.json())))
    .post('/:id/withdraw', async (c) => c.json(await withdrawRequest(deps, c.get('actor'), idParam(c.req.param('id'), 'request'), await c.req.json())))
    .post('/:id/comments', async (c) => c.json(await commentOnRequest(deps, c.get('actor'), idParam(c.req.param('id'), 'request'), await c.req.json()), 201))
    .post('/:id/fulfilment', async (c) => c.json(await fulfilRequest(deps, c.get('actor'), idParam(c.req.param('id'), 'request'), await c.req.json())));
}

/** 我的待办 (`?assignee=me`, the only assignee one may list). */
export function approvalRoutes(deps: HttpDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    const assignee = c.req.query('assignee') ?? 'me';
    if (assignee !== 'me') throw new ValidationError([{ path: 'assignee', message: 'only assignee=me is supported' }]);
    return c.json({ approvals: await myPendingApprovals(deps, c.get('actor')) });
  });
}

/** 审批流 administration: list the current versions, save a new version, retire one. */
export function policyRoutes(deps: HttpDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json({ policies: await listPolicies(deps.db, c.get('actor')) }))
    .post('/', async (c) => c.json(await savePolicy(deps.db, c.get('actor'), await c.req.json()), 201))
    .delete('/:id', async (c) => c.json(await retirePolicy(deps.db, c.get('actor'), idParam(c.req.param('id'), 'policy'))));
}
