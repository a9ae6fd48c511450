import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { ValidationError } from '../errors.ts';
import { abcClasses, averageInventory, inventoryTurnover, stockToSales, type AbcClass } from '../kpis.ts';
import { parseInput } from '../validate.ts';
import { shiftDay } from './digest.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const kpiQuerySchema = z.object({
  from: isoDay.describe('First day of the period (company time zone)'),
  to: isoDay.describe('Last day of the period; at most yesterday (a closed day)'),
  groupBy: z.enum(['company', 'warehouse', 'category', 'item']).default('company'),
  warehouse: z.string().trim().min(1).max(32).optional().describe('Only this warehouse (code)'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export interface KpiRow {
  /** Company code, warehouse code, category, or item code. */
  key: string;
  name: string | null;
  openingValue: string;
  closingValue: string;
  averageInventory: string;
  inboundValue: string;
  /** Cost of goods issued in the period. */
  cogs: string;
  turnover: number | null;
  stockToSales: number | null;
  /** By share of outbound value among the rows (item grouping only). */
  abc: AbcClass | null;
}

/**
 * The KPIs for a chosen closed period, per company, warehouse, category or
 * item, from the daily roll-up: opening value (the close of the day before),
 * closing value, average inventory, inbound, COGS, turnover, stock-to-sales,
 * and ABC class by outbound value for items. Highest COGS first.
 */
export async function kpiReport(db: Database, actor: Actor, raw: unknown): Promise<{ from: string; to: string; groupBy: string; rows: KpiRow[] }> {
  requireScope(actor, 'stock:read');
  const q = parseInput(kpiQuerySchema, raw);
  const [{ yesterday } = { yesterday: '' }] = await db.sql<{ yesterday: string }[]>`
    select ((now() at time zone ${actor.timezone})::date - 1)::text as yesterday`;
  const issues = [
    ...(q.from > q.to ? [{ path: 'from', message: 'must not be after to' }] : []),
    ...(q.to > yesterday ? [{ path: 'to', message: `must be a closed day: ${yesterday} or earlier` }] : []),
  ];
  if (issues.length) throw new ValidationError(issues);
  const before = shiftDay(q.from, -1);
  const wh = q.warehouse ?? null;

  // Per item × warehouse: flows in the period, and the close on the day before it and on its last day (latest row at or before).
  const rows = await db.sql<{ key: string; name: string | null; opening: string; closing: string; inbound: string; cogs: string }[]>`
    with scope as (
      select w.id from warehouses w where w.company_id = ${actor.companyId} and (${wh}::text is null or w.code = ${wh})
    ),
    pairs as (
      select distinct d.item_id, d.warehouse_id from stock_daily d
      where d.company_id = ${actor.companyId} and d.day <= ${q.to}::date and d.warehouse_id in (select id from scope)
    ),
    per_pair as (
      select p.item_id, p.warehouse_id,
        coalesce((select d.closing_value from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${before}::date order by d.day desc limit 1), 0) as opening,
        coalesce((select d.closing_value from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${q.to}::date order by d.day desc limit 1), 0) as closing,
        coalesce(f.inbound, 0) as inbound, coalesce(f.cogs, 0) as cogs
      from pairs p
      left join lateral (
        select sum(d.inbound_value) as inbound, sum(d.outbound_value) as cogs from stock_daily d
        where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day between ${q.from}::date and ${q.to}::date
      ) f on true
    )
    select
      case ${q.groupBy} when 'company' then c.code when 'warehouse' then w.code when 'category' then coalesce(i.category, '') else i.code end as key,
      case ${q.groupBy} when 'company' then c.name when 'warehouse' then w.name when 'category' then null else i.name end as name,
      sum(pp.opening)::text as opening, sum(pp.closing)::text as closing, sum(pp.inbound)::text as inbound, sum(pp.cogs)::text as cogs
    from per_pair pp
    join items i on i.id = pp.item_id
    join warehouses w on w.id = pp.warehouse_id
    join companies c on c.id = i.company_id
    group by 1, 2
    order by sum(pp.cogs) desc, 1
    limit ${q.limit}`;

  const abc = q.groupBy === 'item' ? abcClasses(rows.map((r) => ({ key: r.key, outboundValue: Number(r.cogs) }))) : null;
  const money = (v: number) => v.toFixed(2);
  const ratio = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    rows: rows.map((r) => {
      const opening = Number(r.opening);
      const closing = Number(r.closing);
      const cogs = Number(r.cogs);
      return {
        key: r.key,
        name: r.name,
        openingValue: money(opening),
        closingValue: money(closing),
        averageInventory: money(averageInventory(opening, closing)),
        inboundValue: money(Number(r.inbound)),
        cogs: money(cogs),
        turnover: ratio(inventoryTurnover(cogs, opening, closing)),
        stockToSales: ratio(stockToSales(closing, cogs)),
        abc: abc?.get(r.key) ?? null,
      };
    }),
  };
}
