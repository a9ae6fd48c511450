import { Hono } from 'hono';
import { WarehouseDirectory } from '../../bot/core/lexicon.ts';
import type { Database } from '../../db/client.ts';
import { onError } from '../../app/http/on-error.ts';
import { NotFoundError } from '../../inventory/errors.ts';
import { PERSON_COLUMNS, toPerson, type PersonRow } from '../../inventory/people.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import { miniappApi } from '../../miniapp/api/app.ts';
import type { MiniDeps } from '../../miniapp/api/context.ts';
import { issueSession } from '../../miniapp/api/session.ts';
import type { WorkflowGateway } from '../../workflows/gateway.ts';

/** For API tests that never reach an approval: any workflow call is a test bug, said loudly. */
export const NO_TEMPORAL: WorkflowGateway = new Proxy({} as WorkflowGateway, {
  get: (_t, name) => () => Promise.reject(new Error(`this test has no Temporal, yet called gateway.${String(name)}`)),
});

/**
 * The mini-app API on the real database, mounted at /app/api as the server
 * mounts it; `as(companyId, code)` signs in an employee and returns a fetch
 * that carries their session.
 */
export function miniappHarness(db: Database, over: Partial<MiniDeps> = {}) {
  const deps: MiniDeps = {
    db,
    gateway: NO_TEMPORAL,
    reservations: new ReservationService(db),
    warehouses: new WarehouseDirectory(db),
    sessionSecret: 'test-session-secret-0123456789abcdef',
    sessionTtlSeconds: 3600,
    devSignIn: null,
    sso: {},
    ...over,
  };
  const api = miniappApi(deps);
  api.onError(onError);
  const app = new Hono().route('/app/api', api);

  const request = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return app.request(`/app/api${path}`, { ...init, headers, body });
  };

  async function tokenFor(companyId: number, code: string): Promise<string> {
    const [r] = await db.sql<PersonRow[]>`
      select ${db.sql.unsafe(PERSON_COLUMNS)} from employees e join companies c on c.id = e.company_id
      where e.company_id = ${companyId} and e.code = ${code}`;
    if (!r) throw new NotFoundError('employee', code);
    return (await issueSession(deps, toPerson(r), 'dev')).token;
  }

  /** A fetch as the employee: `(await as(cid, 'KEEP'))('/me')`. */
  async function as(companyId: number, code: string) {
    const token = await tokenFor(companyId, code);
    return (path: string, init: RequestInit & { json?: unknown } = {}) => request(path, { ...init, token });
  }

  return { deps, app, request, tokenFor, as };
}
