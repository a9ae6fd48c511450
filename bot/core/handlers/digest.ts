import { buildDigest } from '../../../inventory/reports/digest.ts';
import { companyDay, rollUpThrough } from '../../../inventory/reports/snapshot.ts';
import { digestCard } from '../answers/digest.ts';
import type { Card } from '../card.ts';
import { canSeeCost } from '../../../inventory/people.ts';
import type { Turn } from './turn.ts';

/**
 * 日报 on demand: yesterday's digest, for the warehouses the group subscribed
 * to (in a group that did) or else those the asker may see; money only for
 * askers allowed to see cost.
 */
export async function digestOnDemand(turn: Turn): Promise<Card> {
  const { db } = turn.deps;
  const companyId = turn.user.companyId;
  const all = await turn.deps.warehouses.list(companyId);
  let scope: number[] | null = turn.visible.length === all.length ? null : turn.visible.map((w) => w.id);
  if (turn.chat.kind === 'group') {
    const subs = await db.sql<{ warehouse_id: number | null }[]>`
      select warehouse_id from chat_subscriptions
      where company_id = ${companyId} and platform = ${turn.platform} and chat_id = ${turn.chat.id} and topic = 'digest'`;
    if (subs.length > 0 && !subs.some((s) => s.warehouse_id === null)) {
      const subscribed = subs.map((s) => s.warehouse_id!);
      scope = (scope ?? all.map((w) => w.id)).filter((id) => subscribed.includes(id));
    }
  }
  const day = await companyDay(db, companyId, -1);
  await rollUpThrough(db, companyId, day);
  const digest = await buildDigest(db, { companyId, warehouseIds: scope, day });
  return digestCard(digest, turn.lang, turn.deps.links, { showValues: canSeeCost(turn.user) });
}
