import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { ValidationError } from '../errors.ts';
import { abcClasses, ageBuckets, averageInventory, daysOfSupply, inventoryTurnover, isDead, stockoutRate, stockToSales, AGE_BUCKETS, type AbcClass, type AgeBucket } from '../kpis.ts';
import { DEFAULT_STALE_DAYS } from './snapshot.ts';
import { parseInput } from '../validate.ts';
import { addDays } from '../today.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

export const kpiQuerySchema = z.object({
  from: isoDay.describe('First day of the period (company time zone)'),
  to: isoDay.describe('Last day of the period; at most yesterday (a closed day)'),
  groupBy: z.enum(['company', 'warehouse', 'category', 'item']).default('company'),
  warehouse: z.string().trim().min(1).max(32).optional().describe('Only this warehouse (code)'),
  category: z.string().trim().min(1).max(64).optional().describe('Only items of this category'),
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
  /** Closing quantity ÷ average daily outbound quantity in the period (item grouping only: quantities of different items do not add up). */
  daysOfSupply: number | null;
  /** Value at the close with no outbound for more than 60 days (stock never issued counts from its arrival) ÷ closing value. */
  deadStockRatio: number | null;
  /** Closing value by age since receipt, FIFO layers (the last 365 days of receipts; older stock falls in >180). */
  ageBuckets: Record<AgeBucket, string>;
  /** Reservation lines refused for lack of stock ÷ all reservation lines in the period (a refusal that could take from any warehouse counts for no single warehouse). */
  stockoutRate: number | null;
  /** By share of outbound value among the rows (item grouping only). */
  abc: AbcClass | null;
}

/** How far back receipts are read to age the stock (anything older is > 180 days anyway). */
const AGE_HORIZON_DAYS = 365;

/**
 * The KPIs for a chosen closed period, per company, warehouse, category or
 * item, from the daily roll-up: opening value (the close of the day before),
 * closing value, average inventory, inbound, COGS, turnover, stock-to-sales,
 * and ABC class by outbound value for items. Highest COGS first.
 */
export async function kpiReport(
  db: Database,
  actor: Actor,
  raw: unknown,
  /** Callers that show only some warehouses (an employee's scope) pass their ids: null = all. */
  visible: { warehouseIds: readonly number[] | null } = { warehouseIds: null },
): Promise<{ from: string; to: string; groupBy: string; rows: KpiRow[] }> {
  requireScope(actor, 'stock:read');
  const q = parseInput(kpiQuerySchema, raw);
  const [{ yesterday } = { yesterday: '' }] = await db.sql<{ yesterday: string }[]>`
    select ((now() at time zone ${actor.timezone})::date - 1)::text as yesterday`;
  const issues = [
    ...(q.from > q.to ? [{ path: 'from', message: 'must not be after to' }] : []),
    ...(q.to > yesterday ? [{ path: 'to', message: `must be a closed day: ${yesterday} or earlier` }] : []),
  ];
  if (issues.length) throw new ValidationError(issues);
  const before = addDays(q.from, -1);
  const wh = q.warehouse ?? null;
  const cat = q.category ?? null;
  const ids = visible.warehouseIds === null ? null : [...visible.warehouseIds];

  // Per item × warehouse: flows in the period, and the close on the day before it and on its last day (latest row at or before).
  const pairRows = await db.sql<{ key: string; name: string | null; opening: string; closing: string; closing_qty: string; inbound: string; cogs: string; out_qty: string; last_out: string | null; first_in: string | null; receipts: string }[]>`
    with scope as (
      select w.id from warehouses w where w.company_id = ${actor.companyId} and (${wh}::text is null or w.code = ${wh})
        and (${ids}::bigint[] is null or w.id = any(${ids}::bigint[]))
    ),
    pairs as (
      select distinct d.item_id, d.warehouse_id from stock_daily d
      where d.company_id = ${actor.companyId} and d.day <= ${q.to}::date and d.warehouse_id in (select id from scope)
        and (${cat}::text is null or exists (select 1 from items i where i.id = d.item_id and i.category = ${cat}))
    ),
    per_pair as (
      select p.item_id, p.warehouse_id,
        coalesce((select d.closing_value from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${before}::date order by d.day desc limit 1), 0) as opening,
        coalesce((select d.closing_value from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${q.to}::date order by d.day desc limit 1), 0) as closing,
        coalesce((select d.closing_qty from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${q.to}::date order by d.day desc limit 1), 0) as closing_qty,
        coalesce(f.inbound, 0) as inbound, coalesce(f.cogs, 0) as cogs, coalesce(f.out_qty, 0) as out_qty,
        (select max(d.day) from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${q.to}::date and d.outbound_qty > 0)::text as last_out,
        (select min(d.day) from stock_daily d where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day <= ${q.to}::date and d.inbound_qty > 0)::text as first_in,
        (select coalesce(json_agg(json_build_object('day', d.day, 'qty', d.inbound_qty)), '[]')::text from stock_daily d
          where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.inbound_qty > 0
            and d.day > ${q.to}::date - ${AGE_HORIZON_DAYS}::int and d.day <= ${q.to}::date) as receipts
      from pairs p
      left join lateral (
        select sum(d.inbound_value) as inbound, sum(d.outbound_value) as cogs, sum(d.outbound_qty) as out_qty from stock_daily d
        where d.item_id = p.item_id and d.warehouse_id = p.warehouse_id and d.day between ${q.from}::date and ${q.to}::date
      ) f on true
    )
    select
      case ${q.groupBy} when 'company' then c.code when 'warehouse' then w.code when 'category' then coalesce(i.category, '') else i.code end as key,
      case ${q.groupBy} when 'company' then c.name when 'warehouse' then w.name when 'category' then null else i.name end as name,
      pp.opening::text, pp.closing::text, pp.closing_qty::text, pp.inbound::text, pp.cogs::text, pp.out_qty::text, pp.last_out, pp.first_in, pp.receipts
    from per_pair pp
    join items i on i.id = pp.item_id
    join warehouses w on w.id = pp.warehouse_id
    join companies c on c.id = i.company_id
    `;

  // Order lines of the period: reserved, and refused for lack of stock.
  const lines = await db.sql<{ key: string | null; name: string | null; granted: number; refused: number }[]>`
    with bounds as (
      select (${q.from}::date)::timestamp at time zone ${actor.timezone} as lo, (${q.to}::date + 1)::timestamp at time zone ${actor.timezone} as hi
    ),
    counted as (
      select rl.item_id, rl.warehouse_id, 1 as granted, 0 as refused
      from reservations r join reservation_lines rl on rl.reservation_id = r.id, bounds b
      where r.company_id = ${actor.companyId} and r.created_at >= b.lo and r.created_at < b.hi
      union all
      select e.item_id, e.warehouse_id, 0, 1 from stockout_events e, bounds b
      where e.company_id = ${actor.companyId} and e.source = 'reservation' and e.created_at >= b.lo and e.created_at < b.hi
    )
    select
      case ${q.groupBy} when 'company' then c.code when 'warehouse' then w.code when 'category' then coalesce(i.category, '') else i.code end as key,
      case ${q.groupBy} when 'company' then c.name when 'warehouse' then w.name when 'category' then null else i.name end as name,
      sum(x.granted)::int as granted, sum(x.refused)::int as refused
    from counted x
    join items i on i.id = x.item_id
    join companies c on c.id = i.company_id
    left join warehouses w on w.id = x.warehouse_id
    where (${wh}::text is null or w.code = ${wh}) and (${cat}::text is null or i.category = ${cat})
      and (${ids}::bigint[] is null or w.id = any(${ids}::bigint[]))
    group by 1, 2`;

  // Per item × warehouse the figures that need the pair (age layers, staleness), summed per group here.
  const days = Math.round((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000) + 1;
  interface Group { key: string; name: string | null; opening: number; closing: number; closingQty: number; inbound: number; cogs: number; outQty: number; dead: number; ages: Record<AgeBucket, number> }
  const groups = new Map<string, Group>();
  for (const r of pairRows) {
    const g = groups.get(r.key) ?? { key: r.key, name: r.name, opening: 0, closing: 0, closingQty: 0, inbound: 0, cogs: 0, outQty: 0, dead: 0, ages: { '0-30': 0, '31-90': 0, '91-180': 0, '>180': 0 } };
    const closing = Number(r.closing);
    const closingQty = Number(r.closing_qty);
    g.opening += Number(r.opening);
    g.closing += closing;
    g.closingQty += closingQty;
    g.inbound += Number(r.inbound);
    g.cogs += Number(r.cogs);
    g.outQty += Number(r.out_qty);
    if (isDead({ value: closing, lastOutboundOn: r.last_out, stockedSince: r.first_in }, q.to, DEFAULT_STALE_DAYS)) g.dead += closing;
    const layers = (JSON.parse(r.receipts) as { day: string; qty: string | number }[]).map((x) => ({ day: x.day, qty: Number(x.qty) }));
    const aged = ageBuckets(closingQty, closing, layers, q.to);
    for (const b of AGE_BUCKETS) g.ages[b] += aged[b];
    groups.set(r.key, g);
  }
  const orderLines = new Map(lines.filter((l) => l.key !== null).map((l) => [l.key as string, l]));
  for (const l of orderLines.values()) {
    if (!groups.has(l.key as string)) groups.set(l.key as string, { key: l.key as string, name: l.name, opening: 0, closing: 0, closingQty: 0, inbound: 0, cogs: 0, outQty: 0, dead: 0, ages: { '0-30': 0, '31-90': 0, '91-180': 0, '>180': 0 } });
  }
  const ordered = [...groups.values()].sort((a, b) => b.cogs - a.cogs || a.key.localeCompare(b.key)).slice(0, q.limit);
  const abc = q.groupBy === 'item' ? abcClasses(ordered.map((g) => ({ key: g.key, outboundValue: g.cogs }))) : null;
  const money = (v: number) => v.toFixed(2);
  const ratio = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return {
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    rows: ordered.map((g) => ({
      key: g.key,
      name: g.name,
      openingValue: money(g.opening),
      closingValue: money(g.closing),
      averageInventory: money(averageInventory(g.opening, g.closing)),
      inboundValue: money(g.inbound),
      cogs: money(g.cogs),
      turnover: ratio(inventoryTurnover(g.cogs, g.opening, g.closing)),
      stockToSales: ratio(stockToSales(g.closing, g.cogs)),
      daysOfSupply: q.groupBy === 'item' ? ratio(daysOfSupply(g.closingQty, g.outQty, days)) : null,
      deadStockRatio: ratio(g.closing > 0 ? g.dead / g.closing : null),
      ageBuckets: Object.fromEntries(AGE_BUCKETS.map((b) => [b, money(g.ages[b])])) as Record<AgeBucket, string>,
      stockoutRate: ratio(stockoutRate(orderLines.get(g.key)?.refused ?? 0, (orderLines.get(g.key)?.granted ?? 0) + (orderLines.get(g.key)?.refused ?? 0))),
      abc: abc?.get(g.key) ?? null,
    })),
  };
}
