import type { Database } from '../../db/client.ts';
import { SCOPES, type Actor, type Scope } from '../../inventory/actor.ts';
import { sha256Hex } from '../../inventory/hash.ts';

const PREFIX = 'sp_';

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return PREFIX + btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** Issues an API token; only its hash is stored, so this is the one time it can be seen. */
export async function createApiToken(
  db: Database,
  opts: { companyId: number; name: string; scopes: readonly Scope[]; employeeId?: number | null; expiresAt?: Date | null },
): Promise<{ id: number; token: string }> {
  const token = randomToken();
  const [row] = await db.sql<{ id: number }[]>`
    insert into api_tokens (company_id, name, token_hash, scopes, employee_id, expires_at)
    values (${opts.companyId}, ${opts.name}, ${await sha256Hex(token)}, ${[...opts.scopes]}, ${opts.employeeId ?? null},
            ${opts.expiresAt?.toISOString() ?? null})
    returning id`;
  if (!row) throw new Error('token insert returned nothing');
  return { id: row.id, token };
}

export async function revokeApiTokens(db: Database, where: { companyId: number; id?: number; name?: string }): Promise<number> {
  const rows = await db.sql`
    update api_tokens set revoked_at = now()
    where company_id = ${where.companyId} and revoked_at is null
      ${where.id === undefined ? db.sql`` : db.sql`and id = ${where.id}`}
      ${where.name === undefined ? db.sql`` : db.sql`and name = ${where.name}`}
    returning id`;
  return rows.length;
}

/** The actor a bearer token stands for, or null when it is unknown, revoked or expired. */
export async function actorForToken(db: Database, token: string): Promise<Actor | null> {
  if (!token.startsWith(PREFIX)) return null;
  const [row] = await db.sql<{ id: number; company_id: number; employee_id: number | null; scopes: string[]; timezone: string }[]>`
    select t.id, t.company_id, t.employee_id, t.scopes, c.timezone
    from api_tokens t join companies c on c.id = t.company_id
    where t.token_hash = ${await sha256Hex(token)} and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())`;
  if (!row) return null;
  return {
    companyId: row.company_id,
    employeeId: row.employee_id,
    scopes: row.scopes.filter(isScope),
    channel: 'api',
    timezone: row.timezone,
  };
}
