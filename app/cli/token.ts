import { parseArgs } from 'node:util';
import { SCOPES } from '../../inventory/actor.ts';
import { createApiToken, isScope, revokeApiTokens } from '../auth/tokens.ts';
import { runCli } from './run-cli.ts';

const USAGE = `usage:
  npm run token -- create --company DEMO --name "WMS 接口" [--scopes stock:read,stock:write] [--employee E001] [--expires-days 365]
  npm run token -- list   --company DEMO
  npm run token -- revoke --company DEMO --id 3
scopes: ${SCOPES.join(', ')} (default: stock:read,stock:write)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    company: { type: 'string' },
    name: { type: 'string' },
    scopes: { type: 'string' },
    employee: { type: 'string' },
    id: { type: 'string' },
    'expires-days': { type: 'string' },
  },
});

await runCli(async ({ db }) => {
  const [verb] = positionals;
  const [company] = values.company ? await db.sql<{ id: number }[]>`select id from companies where code = ${values.company}` : [];
  if (!verb || !['create', 'list', 'revoke'].includes(verb) || !company) {
    console.error(values.company && !company ? `no company ${values.company}\n${USAGE}` : USAGE);
    return 2;
  }
  if (verb === 'list') {
    const rows = await db.sql`
      select id, name, scopes, employee_id, created_at, last_used_at, expires_at, revoked_at
      from api_tokens where company_id = ${company.id} order by id`;
    console.table(rows);
    return 0;
  }
  if (verb === 'revoke') {
    const n = await revokeApiTokens(db, { companyId: company.id, id: Number(values.id) });
    console.log(n ? `token ${values.id} revoked` : `no active token ${values.id}`);
    return n ? 0 : 1;
  }
  const scopes = (values.scopes ?? 'stock:read,stock:write').split(',').map((s) => s.trim());
  const bad = scopes.filter((s) => !isScope(s));
  if (bad.length || !values.name) {
    console.error(bad.length ? `unknown scope(s): ${bad.join(', ')}\n${USAGE}` : `--name is required\n${USAGE}`);
    return 2;
  }
  let employeeId: number | null = null;
  if (values.employee) {
    const [e] = await db.sql<{ id: number }[]>`select id from employees where company_id = ${company.id} and code = ${values.employee}`;
    if (!e) {
      console.error(`no employee ${values.employee} in ${values.company}`);
      return 2;
    }
    employeeId = e.id;
  }
  const days = values['expires-days'] ? Number(values['expires-days']) : null;
  const { id, token } = await createApiToken(db, {
    companyId: company.id,
    name: values.name,
    scopes: scopes.filter(isScope),
    employeeId,
    expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null,
  });
  console.error(`token ${id} created for ${values.company} (${scopes.join(', ')}); it is shown only once:`);
  console.log(token);
  return 0;
});
