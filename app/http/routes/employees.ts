import { Hono } from 'hono';
import { bindIdentities, createEmployee, getEmployee, updateEmployee } from '../../../inventory/master/employees.ts';
import type { AppEnv, HttpDeps } from '../context.ts';

/** People, and which chat users they are (an admin binds DingTalk / Feishu / WeCom identities here). */
export function employeeRoutes({ db }: HttpDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => c.json(await createEmployee(db, c.get('actor'), await c.req.json()), 201))
    .get('/:code', async (c) => c.json(await getEmployee(db, c.get('actor'), c.req.param('code'))))
    .patch('/:code', async (c) => c.json(await updateEmployee(db, c.get('actor'), c.req.param('code'), await c.req.json())))
    .put('/:code/identities', async (c) => c.json(await bindIdentities(db, c.get('actor'), c.req.param('code'), await c.req.json().catch(() => null))));
}
