import { createMiddleware } from 'hono/factory';
import { sign, verify } from 'hono/jwt';
import { JwtTokenExpired } from 'hono/utils/jwt/types';
import type { Database } from '../../db/client.ts';
import { SessionExpiredError, UnauthorizedError } from '../../inventory/errors.ts';
import { PERSON_COLUMNS, personActor, toPerson, type Person, type PersonRow } from '../../inventory/people.ts';
import { localeOf } from '../../app/http/on-error.ts';
import type { MiniDeps, MiniEnv } from './context.ts';

/** How the session was obtained: a messenger's SSO or the development sign-in. */
export type SignedInVia = 'dingtalk' | 'feishu' | 'wecom' | 'dev';

interface Claims {
  sub: string;
  cid: number;
  via: SignedInVia;
  exp: number;
  [k: string]: unknown;
}

/**
 * A signed session for the employee. It names only who and until when: roles
 * and warehouse scope are re-read on every call, so a change takes effect at
 * once and a deactivated employee is out immediately.
 */
export async function issueSession(deps: Pick<MiniDeps, 'sessionSecret' | 'sessionTtlSeconds'>, person: Person, via: SignedInVia) {
  const exp = Math.floor(Date.now() / 1000) + deps.sessionTtlSeconds;
  const claims: Claims = { sub: String(person.employeeId), cid: person.companyId, via, exp };
  return { token: await sign(claims, deps.sessionSecret, 'HS256'), expiresAt: new Date(exp * 1000).toISOString() };
}

async function readClaims(secret: string, token: string): Promise<Claims> {
  try {
    const c = (await verify(token, secret, 'HS256')) as Partial<Claims>;
    if (typeof c.sub !== 'string' || typeof c.cid !== 'number' || typeof c.exp !== 'number') throw new UnauthorizedError();
    return c as Claims;
  } catch (err) {
    if (err instanceof JwtTokenExpired) throw new SessionExpiredError();
    throw new UnauthorizedError();
  }
}

async function activePerson(db: Database, companyId: number, employeeId: number): Promise<Person | null> {
  const [r] = await db.sql<PersonRow[]>`
    select ${db.sql.unsafe(PERSON_COLUMNS)}
    from employees e join companies c on c.id = e.company_id
    where e.company_id = ${companyId} and e.id = ${employeeId} and e.active`;
  return r ? toPerson(r) : null;
}

/** Every mini-app API call runs as the session's employee, as they are now. */
export function sessionAuth(deps: Pick<MiniDeps, 'db' | 'sessionSecret'>) {
  return createMiddleware<MiniEnv>(async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) throw new UnauthorizedError();
    const claims = await readClaims(deps.sessionSecret, match[1]);
    const person = await activePerson(deps.db, claims.cid, Number(claims.sub));
    if (!person) throw new UnauthorizedError();
    c.set('user', person);
    c.set('actor', personActor(person, 'miniapp'));
    c.set('locale', localeOf(c.req.header('accept-language')));
    await next();
  });
}
