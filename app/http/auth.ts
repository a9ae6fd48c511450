import { createMiddleware } from 'hono/factory';
import type { Database } from '../../db/client.ts';
import { UnauthorizedError } from '../../inventory/errors.ts';
import { actorForToken } from '../auth/tokens.ts';
import type { AppEnv } from './context.ts';

/** Bearer-token authentication: every /api route runs as the token's company (and employee). */
export function bearerAuth(db: Database) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match?.[1] ? await actorForToken(db, match[1]) : null;
    if (!actor) throw new UnauthorizedError();
    c.set('actor', actor);
    await next();
  });
}
