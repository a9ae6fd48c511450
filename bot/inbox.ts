import type { Database } from '../db/client.ts';
import type { Platform } from './adapter.ts';

/** Platforms redeliver for minutes to hours at most; a week of memory is plenty. */
const KEEP = '7 days';

/**
 * Claims a platform event before acting on it; a redelivery finds the claim
 * and gets null. If acting fails the claim is dropped, so the platform's
 * retry gets another chance instead of a lost message.
 */
export async function actOnce<T>(db: Database, platform: Platform, eventId: string, work: () => Promise<T>): Promise<T | null> {
  const claimed = await db.sql`
    insert into chat_inbox (platform, event_id) values (${platform}, ${eventId}) on conflict do nothing returning event_id`;
  if (claimed.length === 0) return null;
  try {
    return await work();
  } catch (err) {
    await db.sql`delete from chat_inbox where platform = ${platform} and event_id = ${eventId}`;
    throw err;
  }
}

/** Forgets events older than the redelivery horizon. */
export async function pruneInbox(db: Database): Promise<number> {
  const rows = await db.sql`delete from chat_inbox where received_at < now() - ${KEEP}::interval returning 1`;
  return rows.length;
}
