import type { Database } from '../db/client.ts';
import { buildDigest } from '../inventory/reports/digest.ts';
import { companyDay, rollUpThrough } from '../inventory/reports/snapshot.ts';
import type { ChatAdapter } from './adapter.ts';
import { digestCard } from './core/answers/digest.ts';
import type { Links } from './core/links.ts';
import type { DeliveryService } from './delivery.ts';
import { publishToSubscribers, type Published } from './group-delivery.ts';

export interface DigestDeps {
  db: Database;
  delivery: DeliveryService;
  adapters: () => readonly ChatAdapter[];
  links: Links;
}

/**
 * The digest round: every group whose digest time (company time zone) has
 * come today and that has not had today's digest gets it — about yesterday,
 * rolled up first if the nightly job has not run. The delivery key is group
 * + date, so a round that fires twice, or a restart mid-round, sends once.
 */
export async function publishDueDigests(deps: DigestDeps, companyId: number): Promise<Published & { day: string }> {
  const [clock] = await deps.db.sql<{ today: string; now: string }[]>`
    select (now() at time zone timezone)::date::text as today, to_char(now() at time zone timezone, 'HH24:MI') as now
    from companies where id = ${companyId}`;
  if (!clock) throw new Error(`no company ${companyId}`);
  const day = await companyDay(deps.db, companyId, -1);
  await rollUpThrough(deps.db, companyId, day);
  const built = new Map<string, ReturnType<typeof buildDigest>>();
  const published = await publishToSubscribers(deps, {
    companyId,
    topic: 'digest',
    key: `digest:${companyId}:${clock.today}`,
    dueBy: clock.now,
    build: async (s) => {
      const scope = s.warehouseId === null ? null : [s.warehouseId];
      const key = String(scope);
      if (!built.has(key)) built.set(key, buildDigest(deps.db, { companyId, warehouseIds: scope, day }));
      return digestCard(await built.get(key)!, s.lang, deps.links, { showValues: true });
    },
  });
  return { ...published, day };
}
