import type { Database } from '../../db/client.ts';
import { releaseWhere } from './release.ts';

/**
 * Releases every reservation whose `expiresAt` has passed, company by company.
 * Run on a timer (and later a Temporal schedule); safe to run concurrently.
 */
export async function expireReservations(db: Database, now: Date = new Date()): Promise<number> {
  const due = await db.sql<{ company_id: number; ids: number[] }[]>`
    select company_id, array_agg(id) as ids from reservations
    where status = 'active' and expires_at <= ${now.toISOString()}
    group by company_id`;
  let count = 0;
  for (const { company_id, ids } of due) count += (await releaseWhere(db.sql, company_id, ids.map(Number), 'expired')).length;
  return count;
}
