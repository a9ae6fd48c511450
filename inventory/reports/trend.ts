import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';
import { NotFoundError } from '../errors.ts';
import { addDays, todayIn } from '../today.ts';
import { parseInput } from '../validate.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const trendQuerySchema = z.object({
  from: isoDay,
  to: isoDay,
  bucket: z.enum(['day', 'month']).default('day'),
  warehouse: z.string().trim().min(1).max(32).optional(),
  category: z.string().trim().min(1).max(64).optional(),
});

const quantity = (text: string) => formatMicro(parseMicro(text) ?? 0n);

export interface TrendPoint {
  period: string;
  inboundQty: string;
  inboundValue: string;
  outboundQty: string;
  outboundValue: string;
}

/**
 * Inbound and outbound per day or month from the daily roll-up, every period
 * present (zeros included) so that a chart's axis has no gaps.
 */
export async function movementTrend(
  db: Database,
  actor: Actor,
  raw: unknown,
  visible: { warehouseIds: readonly number[] | null } = { warehouseIds: null },
): Promise<TrendPoint[]> {
  requireScope(actor, 'stock:read');
  const q = parseInput(trendQuerySchema, raw);
  const ids = visible.warehouseIds === null ? null : [...visible.warehouseIds];
  const unit = q.bucket === 'day' ? 'day' : 'month';
  const rows = await db.sql<{ period: string; in_qty: string; in_value: string; out_qty: string; out_value: string }[]>`
    with periods as (
      select generate_series(date_trunc(${unit}, ${q.from}::date), date_trunc(${unit}, ${q.to}::date), ('1 ' || ${unit})::interval)::date as period
    ),
    flows as (
      select date_trunc(${unit}, d.day)::date as period, sum(d.inbound_qty) as in_qty, sum(d.inbound_value) as in_value,
             sum(d.outbound_qty) as out_qty, sum(d.outbound_value) as out_value
      from stock_daily d
      join warehouses w on w.id = d.warehouse_id
      join items i on i.id = d.item_id
      where d.company_id = ${actor.companyId} and d.day between ${q.from}::date and ${q.to}::date
        and (${q.warehouse ?? null}::text is null or w.code = ${q.warehouse ?? null})
        and (${q.category ?? null}::text is null or i.category = ${q.category ?? null})
        and (${ids}::bigint[] is null or w.id = any(${ids}::bigint[]))
      group by 1
    )
    select p.period::text, coalesce(f.in_qty, 0)::text as in_qty, coalesce(f.in_value, 0)::text as in_value,
           coalesce(f.out_qty, 0)::text as out_qty, coalesce(f.out_value, 0)::text as out_value
    from periods p left join flows f using (period) order by p.period`;
  return rows.map((r) => ({
    period: unit === 'day' ? r.period : r.period.slice(0, 7),
    inboundQty: quantity(r.in_qty),
    inboundValue: r.in_value,
    outboundQty: quantity(r.out_qty),
    outboundValue: r.out_value,
  }));
}

/**
 * An item's stock at the close of each of the last `days` days, summed over
 * the given warehouses, then today's live figure: the roll-up holds only days
 * with movements, so each day carries the last close forward.
 */
export async function itemStockSeries(
  db: Database,
  actor: Actor,
  itemCode: string,
  days: number,
  visible: { warehouseIds: readonly number[] | null },
): Promise<{ day: string; qty: string }[]> {
  requireScope(actor, 'stock:read');
  const today = todayIn(actor.timezone);
  const first = addDays(today, -days);
  const ids = visible.warehouseIds === null ? null : [...visible.warehouseIds];
  const [item] = await db.sql<{ id: number }[]>`select id from items where company_id = ${actor.companyId} and code = ${itemCode}`;
  if (!item) throw new NotFoundError('item', itemCode);
  const rows = await db.sql<{ day: string; qty: string }[]>`
    with wh as (
      select id from warehouses where company_id = ${actor.companyId} and (${ids}::bigint[] is null or id = any(${ids}::bigint[]))
    ),
    days as (select generate_series(${first}::date, ${addDays(today, -1)}::date, '1 day')::date as day)
    select dd.day::text,
      coalesce((select sum(x.closing_qty) from wh, lateral (
        select d.closing_qty from stock_daily d
        where d.item_id = ${item.id} and d.warehouse_id = wh.id and d.day <= dd.day order by d.day desc limit 1) x), 0)::text as qty
    from days dd order by dd.day`;
  const [live] = await db.sql<{ qty: string }[]>`
    select coalesce(sum(b.on_hand), 0)::text as qty from stock_balances b
    join locations l on l.id = b.location_id
    where b.item_id = ${item.id} and l.kind = 'storage' and (${ids}::bigint[] is null or b.warehouse_id = any(${ids}::bigint[]))`;
  return [...rows.map((r) => ({ day: r.day, qty: quantity(r.qty) })), { day: today, qty: quantity(live?.qty ?? '0') }];
}
