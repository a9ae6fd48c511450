import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import type { Role } from '../../inventory/roles.ts';
import type { Platform } from '../adapter.ts';

/** The employee behind a chat user, with what decides what they may see. */
export interface ChatUser {
  employeeId: number;
  companyId: number;
  code: string;
  name: string;
  roles: readonly Role[];
  /** Warehouse ids the employee may see; null = every warehouse. */
  warehouseScope: readonly number[] | null;
  timezone: string;
}

/** Roles that see unit costs and stock values (everyone else sees quantities only). */
export const COST_ROLES: readonly Role[] = ['admin', 'director', 'finance', 'purchaser', 'warehouse_manager'];

export const canSeeCost = (u: ChatUser) => u.roles.some((r) => COST_ROLES.includes(r));

/**
 * Which employee column holds each platform's user id. The local console
 * speaks for employees by code: it trusts whoever uses it, which is why it is
 * off whenever a real platform is configured.
 */
const IDENTITY_COLUMN: Record<Platform, string[]> = {
  console: ['code'],
  dingtalk: ['dingtalk_user_id'],
  feishu: ['feishu_open_id', 'feishu_union_id'],
  wecom: ['wecom_user_id'],
  wechaty: ['wechaty_id'],
};

interface EmployeeRow {
  id: number;
  company_id: number;
  code: string;
  name: string;
  roles: Role[];
  warehouse_scope: number[] | null;
  timezone: string;
}

/** How long who-is-who answers are reused: a new binding or role takes effect within this. */
const PEOPLE_TTL_MS = 30_000;

/**
 * Platform user → employee, cached briefly: every message asks it, and
 * bindings and roles change rarely.
 */
export class PeopleDirectory {
  private readonly cache = new Map<string, { at: number; user: Promise<ChatUser | null> }>();
  constructor(private readonly db: Database) {}

  find(companyId: number, platform: Platform, userId: string): Promise<ChatUser | null> {
    const key = `${companyId}:${platform}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < PEOPLE_TTL_MS) return hit.user;
    if (this.cache.size > 10_000) this.cache.clear();
    const user = findChatUser(this.db, companyId, platform, userId);
    user.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: Date.now(), user });
    return user;
  }
}

/** The active employee bound to `userId` on `platform` in the company, or null. */
export async function findChatUser(db: Database, companyId: number, platform: Platform, userId: string): Promise<ChatUser | null> {
  for (const column of IDENTITY_COLUMN[platform]) {
    const [r] = await db.sql<EmployeeRow[]>`
      select e.id, e.company_id, e.code, e.name, e.roles, e.warehouse_scope, c.timezone
      from employees e join companies c on c.id = e.company_id
      where e.company_id = ${companyId} and e.active and ${db.sql(`e.${column}`)} = ${userId}`;
    if (r) return toChatUser(r);
  }
  return null;
}

export async function chatUserById(db: Database, companyId: number, employeeId: number): Promise<ChatUser | null> {
  const [r] = await db.sql<EmployeeRow[]>`
    select e.id, e.company_id, e.code, e.name, e.roles, e.warehouse_scope, c.timezone
    from employees e join companies c on c.id = e.company_id
    where e.company_id = ${companyId} and e.id = ${employeeId}`;
  return r ? toChatUser(r) : null;
}

const toChatUser = (r: EmployeeRow): ChatUser => ({
  employeeId: r.id,
  companyId: r.company_id,
  code: r.code,
  name: r.name,
  roles: r.roles,
  warehouseScope: r.warehouse_scope,
  timezone: r.timezone,
});

/** Chat users act as themselves: they read stock and submit requests; postings happen through approvals. */
export function actorOf(user: ChatUser, platform: Platform): Actor {
  return { companyId: user.companyId, employeeId: user.employeeId, scopes: ['stock:read', 'stock:write'], channel: platform, timezone: user.timezone };
}
