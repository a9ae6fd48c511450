import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';

export interface ItemHit {
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  barcode: string | null;
  category: string | null;
  /** Why it matched: code, barcode, prefix, name (prefix or pinyin initials) or substring — in ranking order. */
  match: 'code' | 'barcode' | 'prefix' | 'name' | 'substring';
  available: string;
}

const MATCHES = ['code', 'barcode', 'prefix', 'name', 'substring'] as const;
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Finds items by code, barcode, a fragment of the (Chinese) name or the
 * name's pinyin initials (`lsm6` → 螺丝M6), best matches first: exact code,
 * exact barcode, code prefix, name prefix or initials, then any substring of
 * code, name or spec, then all of the query's words in any order.
 */
export async function searchItems(db: Database, actor: Actor, q: string, limit = 20): Promise<ItemHit[]> {
  requireScope(actor, 'stock:read');
  const text = q.trim();
  if (!text) return [];
  const sql = db.sql;
  const like = `%${escapeLike(text)}%`;
  const prefix = `${escapeLike(text)}%`;
  const initials = `${escapeLike(text.toLowerCase())}%`;
  // 「M6螺丝」 finds 螺丝M6: every word (Chinese and Latin runs apart) somewhere in code, name or spec.
  const words = text.match(/[\u3400-\u9fff]+|[^\u3400-\u9fff\s]+/g) ?? [];
  const allWords =
    words.length > 1
      ? words.reduce(
          (acc, w) => sql`${acc} and (i.code ilike ${`%${escapeLike(w)}%`} or i.name ilike ${`%${escapeLike(w)}%`} or i.spec ilike ${`%${escapeLike(w)}%`})`,
          sql`true`,
        )
      : sql`false`;
  const rows = await sql<(Omit<ItemHit, 'match' | 'available'> & { rank: number; available: string | null })[]>`
    select i.code, i.name, i.spec, i.unit, i.barcode, i.category,
           case when lower(i.code) = lower(${text}) then 0
                when i.barcode = ${text} then 1
                when i.code ilike ${prefix} then 2
                when i.name ilike ${prefix} or i.name_initials like ${initials} then 3
                else 4 end as rank,
           (select sum(b.on_hand - b.reserved) from stock_balances b join locations l on l.id = b.location_id and l.kind = 'storage'
      left join batches bt on bt.id = b.batch_id
             where b.item_id = i.id and (bt.expiry_date is null or bt.expiry_date >= (now() at time zone ${actor.timezone})::date))::text as available
    from items i
    where i.company_id = ${actor.companyId} and i.active
      and (i.code ilike ${like} or i.name ilike ${like} or i.barcode = ${text} or i.spec ilike ${like} or i.name_initials like ${initials} or (${allWords}))
    order by rank, length(i.code), i.code
    limit ${Math.min(Math.max(limit, 1), 100)}`;
  return rows.map(({ rank, available, ...r }) => ({
    ...r,
    match: MATCHES[rank] ?? 'substring',
    available: formatMicro(parseMicro(available ?? '0') ?? 0n),
  }));
}

/**
 * The item whose code or barcode is exactly `q`, from the unique indexes
 * alone: most chat questions name a code or scan a barcode, and need no search.
 */
export async function itemByCodeOrBarcode(db: Database, actor: Actor, q: string): Promise<string | null> {
  requireScope(actor, 'stock:read');
  const [row] = await db.sql<{ code: string }[]>`
    select code from items where company_id = ${actor.companyId} and active and code = ${q.trim()}
    union all
    select code from items where company_id = ${actor.companyId} and active and barcode = ${q.trim()}
    limit 1`;
  return row?.code ?? null;
}
