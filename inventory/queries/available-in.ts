import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';

/**
 * Available now (on hand − reserved in storage locations, expired batches left
 * out) of some items in one warehouse: what an approver wants to see next to
 * each requested line.
 */
export async function availableIn(db: Database, actor: Actor, warehouse: string, itemCodes: readonly string[]): Promise<Record<string, string>> {
  requireScope(actor, 'stock:read');
  if (itemCodes.length === 0) return {};
  const rows = await db.sql<{ code: string; available: string | null }[]>`
    select i.code, sum(b.on_hand - b.reserved)::text as available
    from items i
    join warehouses w on w.company_id = i.company_id and w.code = ${warehouse}
    left join stock_balances b on b.item_id = i.id and b.warehouse_id = w.id
      and b.location_id in (select id from locations where warehouse_id = w.id and kind = 'storage')
      and (b.batch_id is null or not exists (
        select 1 from batches bt where bt.id = b.batch_id and bt.expiry_date < (now() at time zone ${actor.timezone})::date))
    where i.company_id = ${actor.companyId} and i.code = any(${[...itemCodes]}::text[])
    group by i.code`;
  return Object.fromEntries(itemCodes.map((c) => [c, formatMicro(parseMicro(rows.find((r) => r.code === c)?.available ?? '0') ?? 0n)]));
}
