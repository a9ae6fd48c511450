import { Hono } from 'hono';
import { z } from 'zod';
import { findChatUser } from '../../../bot/core/people.ts';
import { NotBoundError, NotFoundError, ValidationError } from '../../../inventory/errors.ts';
import { canSeeCost, PERSON_COLUMNS, toPerson, type PersonRow } from '../../../inventory/people.ts';
import { todayIn } from '../../../inventory/today.ts';
import { jsonBody } from '../body.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { visibleWarehouses } from '../scope.ts';
import { issueSession } from '../session.ts';
import { SSO_PLATFORMS, type SsoPlatform } from '../sso/types.ts';

const devSignInSchema = z.object({ code: z.string().trim().min(1).max(64).describe('Employee code') });
const ssoSchema = z.object({ code: z.string().trim().min(1).max(512).describe("The one-time code the messenger's JS API gave the page") });

/** Signing in: silently through the messenger, or by picking a demo employee when no messenger is configured. */
export function authRoutes(deps: MiniDeps) {
  const devOnly = () => {
    if (!deps.devSignIn) throw new NotFoundError('employee', 'development sign-in (off: a messenger is configured)');
    return deps.devSignIn.companyId;
  };
  return new Hono<MiniEnv>()
    .get('/options', (c) =>
      c.json({
        devSignIn: deps.devSignIn !== null,
        platforms: Object.fromEntries(Object.entries(deps.sso).map(([p, x]) => [p, x.clientConfig])) as Partial<Record<SsoPlatform, Record<string, string>>>,
      }),
    )
    .get('/dev/people', async (c) => {
      const companyId = devOnly();
      const people = await deps.db.sql<{ code: string; name: string; department: string | null; roles: string[] }[]>`
        select code, name, department, roles from employees where company_id = ${companyId} and active order by code`;
      return c.json({ people: [...people] });
    })
    .post('/dev', jsonBody(devSignInSchema), async (c) => {
      const companyId = devOnly();
      const { code } = c.req.valid('json');
      const [r] = await deps.db.sql<PersonRow[]>`
        select ${deps.db.sql.unsafe(PERSON_COLUMNS)} from employees e join companies c on c.id = e.company_id
        where e.company_id = ${companyId} and e.code = ${code} and e.active`;
      if (!r) throw new NotFoundError('employee', code);
      return c.json(await issueSession(deps, toPerson(r), 'dev'));
    })
    .post('/sso/:platform', jsonBody(ssoSchema), async (c) => {
      const platform = c.req.param('platform');
      const exchanger = (SSO_PLATFORMS as readonly string[]).includes(platform) ? deps.sso[platform as SsoPlatform] : undefined;
      if (!exchanger) {
        const configured = Object.keys(deps.sso).join(', ') || 'none';
        throw new ValidationError([{ path: 'platform', message: `${platform} is not configured; configured: ${configured}` }]);
      }
      const { code } = c.req.valid('json');
      const userIds = await exchanger.userIdsForCode(code);
      for (const userId of userIds) {
        const person = await findChatUser(deps.db, exchanger.companyId, platform as SsoPlatform, userId);
        if (person) return c.json(await issueSession(deps, person, platform as SsoPlatform));
      }
      throw new NotBoundError(platform, userIds[0] ?? '');
    });
}

/** Who is signed in, with what they may see: the page shapes itself from this. */
export function meRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get('/', async (c) => {
    const user = c.get('user');
    const [warehouses, all] = await Promise.all([visibleWarehouses(deps, user), deps.warehouses.list(user.companyId)]);
    return c.json({
      code: user.code,
      name: user.name,
      roles: [...user.roles],
      seesCost: canSeeCost(user),
      warehouses: warehouses.map((w) => ({ code: w.code, name: w.name })),
      /** The company's date: date fields start from it, not from the phone's calendar in another time zone. */
      today: todayIn(user.timezone),
      /** Where a transfer may go: any warehouse of the company, by name only. */
      destinations: all.map((w) => ({ code: w.code, name: w.name })),
    });
  });
}
