import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import { PERSON_COLUMNS, personActor, toPerson, type Person, type PersonRow } from '../../inventory/people.ts';
import type { Platform } from '../adapter.ts';

/** The employee behind a chat user: the same person the mini-app signs in. */
export type ChatUser = Person;

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
    const [r] = await db.sql<PersonRow[]>`
      select ${db.sql.unsafe(PERSON_COLUMNS)}
      from employees e join companies c on c.id = e.company_id
      where e.company_id = ${companyId} and e.active and ${db.sql(`e.${column}`)} = ${userId}`;
    if (r) return toPerson(r);
  }
  return null;
}

/** Chat users act as themselves: they read stock and submit requests; postings happen through approvals. */
export function actorOf(user: ChatUser, platform: Platform): Actor {
  return personActor(user, platform);
}
