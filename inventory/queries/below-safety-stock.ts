import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';

export interface ShortItem {
  code: string;
  name: string;
  unit: string;
  safetyStock: string;
  available: string;
  shortBy: string;
}

/** Items whose available stock (all storage locations, expired batches left out) is below their safety stock, worst first. */
export async function itemsBelowSafetyStock(db: Database, actor: Actor, limit = 100): Promise<ShortItem[]> {
  requireScope(actor, 'stock:read');
  const rows = await db.sql<{ code: string; name: string; unit: string; safety_stock: string; available: string }[]>`
    select i.code, i.name, i.unit, i.safety_stock, coalesce(s.available, 0)::text as available
    from items i
    left join lateral (
      select sum(b.on_hand - b.reserved) as available
      from stock_balances b join locations l on l.id = b.location_id and l.kind = 'storage'
      left join batches bt on bt.id = b.batch_id
      where b.item_id = i.id and (bt.expiry_date is null or bt.expiry_date >= (now() at time zone ${actor.timezone})::date)
    ) s on true
    where i.company_id = ${actor.companyId} and i.active and i.safety_stock > 0
      and coalesce(s.available, 0) < i.safety_stock
    order by (i.safety_stock - coalesce(s.available, 0)) / i.safety_stock desc, i.code
    limit ${limit}`;
  return rows.map((r) => {
    const safety = parseMicro(r.safety_stock) ?? 0n;
    const available = parseMicro(r.available) ?? 0n;
    return { code: r.code, name: r.name, unit: r.unit, safetyStock: formatMicro(safety), available: formatMicro(available), shortBy: formatMicro(safety - available) };
  });
}
