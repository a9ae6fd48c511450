import type { Database } from '../../db/client.ts';
import { plainQuantity } from '../decimal.ts';
import { daysOfSupply, inventoryTurnover } from '../kpis.ts';
import { addDays } from '../today.ts';
import { DEFAULT_STALE_DAYS } from './snapshot.ts';

export interface DigestOptions {
  companyId: number;
  /** Null: every warehouse of the company; else only these. */
  warehouseIds: readonly number[] | null;
  /** The day reported on (normally yesterday, already rolled up). */
  day: string;
  /** Rows listed per section; the rest are counted. */
  top?: number;
  expiryDays?: number;
}

export interface DigestShortage {
  code: string;
  name: string;
  unit: string;
  available: string;
  safetyStock: string;
  daysOfSupply: number | null;
}

export interface DigestStale {
  code: string;
  name: string;
  warehouse: string;
  onHand: string;
  unit: string;
  value: string;
  idleDays: number;
}

export interface DigestExpiry {
  code: string;
  name: string;
  batchNo: string;
  warehouse: string;
  expiryDate: string;
  daysLeft: number;
  onHand: string;
  unit: string;
}

export interface DigestApproval {
  requestNo: string;
  type: string;
  amount: string;
  waitingDays: number;
}

/** 每日库存日报, as figures: the card is drawn from this per platform and language. */
export interface Digest {
  day: string;
  scope: { code: string; name: string } | null;
  value: { closing: string; change: string | null };
  inboundValue: string;
  outboundValue: string;
  shortages: { total: number; top: DigestShortage[] };
  stale: { total: number; value: string; top: DigestStale[] };
  expiring: { total: number; top: DigestExpiry[] };
  approvals: { total: number; top: DigestApproval[] };
  /** 30-day turnover (ITO) ending on the day, and the 30 days before. */
  turnover: { current: number | null; previous: number | null };
  /** Dead-stock ratio at the day's close and a week earlier. */
  deadRatio: { current: number | null; weekAgo: number | null };
  /** False when the day has not been rolled up: value figures then read as missing, not as zero. */
  rolledUp: boolean;
}

const WINDOW = 30;
const num = (s: string | null | undefined): number => (s == null ? 0 : Number(s));

/**
 * Builds one group's digest from the daily roll-up (values, trends, stale
 * stock) and the live balances (shortages, expiry, approvals waiting): a
 * handful of indexed statements, never a ledger scan.
 */
export async function buildDigest(db: Database, o: DigestOptions): Promise<Digest> {
  const top = o.top ?? 5;
  const expiryDays = o.expiryDays ?? 30;
  const all = o.warehouseIds === null;
  const ids = o.warehouseIds ?? [];
  const sql = db.sql;

  const [scope] = ids.length === 1 ? await sql<{ code: string; name: string }[]>`select code, name from warehouses where id = ${ids[0]!} and company_id = ${o.companyId}` : [];

  // Trend lines: closing value per day for the last 61 days and the flows of the day.
  const totals = await sql<{ day: string; closing: string; inbound: string; outbound: string; dead: string; dead_count: number }[]>`
    select day::text, sum(closing_value)::text as closing, sum(inbound_value)::text as inbound,
           sum(outbound_value)::text as outbound, sum(dead_value)::text as dead, sum(dead_count)::int as dead_count
    from stock_daily_totals
    where company_id = ${o.companyId} and (${all} or warehouse_id = any(${ids}::bigint[]))
      and day between ${o.day}::date - ${2 * WINDOW}::int and ${o.day}::date
    group by day order by day`;
  const byDay = new Map(totals.map((t) => [t.day, t]));
  const at = (offset: number) => byDay.get(addDays(o.day, offset));
  const today = at(0);
  const cogs = (from: number, to: number) => totals.filter((t) => t.day > addDays(o.day, from) && t.day <= addDays(o.day, to)).reduce((s, t) => s + num(t.outbound), 0);

  const [shortages, stale, expiring, approvals] = await Promise.all([
    sql<{ code: string; name: string; unit: string; available: string; safety_stock: string; outbound: string | null; total: string }[]>`
      with short as (
        -- Per item with a safety stock, its available from the balance index: no pass over every balance.
        select i.id, i.code, i.name, i.unit, i.safety_stock, coalesce(a.available, 0) as available
        from items i
        cross join lateral (
          select sum(b.on_hand - b.reserved) as available, count(*) as stocked
          from stock_balances b
          join locations l on l.id = b.location_id and l.kind = 'storage'
          left join batches bt on bt.id = b.batch_id
          where b.item_id = i.id and (${all} or b.warehouse_id = any(${ids}::bigint[]))
            and (bt.expiry_date is null or bt.expiry_date > ${o.day}::date)
        ) a
        where i.company_id = ${o.companyId} and i.active and i.safety_stock > 0 and coalesce(a.available, 0) < i.safety_stock
          -- A warehouse is short only of what it stocks; the company is short of anything under its safety stock.
          and (${all} or a.stocked > 0)
      )
      select s.code, s.name, s.unit, s.available::text, s.safety_stock::text, (count(*) over ())::text as total,
        (select sum(d.outbound_qty) from stock_daily d
          where d.item_id = s.id and (${all} or d.warehouse_id = any(${ids}::bigint[]))
            and d.day > ${o.day}::date - ${WINDOW}::int and d.day <= ${o.day}::date)::text as outbound
      from short s
      order by (s.safety_stock - s.available) / s.safety_stock desc, s.code
      limit ${top}`,
    sql<{ code: string; name: string; warehouse: string; on_hand: string; unit: string; value: string; idle: number }[]>`
      select i.code, i.name, wh.name as warehouse, p.on_hand::text, i.unit, round(p.value, 2)::text as value,
             (${o.day}::date - coalesce(p.last_outbound_on, p.stocked_since)) as idle
      from stock_positions p
      join items i on i.id = p.item_id
      join warehouses wh on wh.id = p.warehouse_id
      where p.company_id = ${o.companyId} and (${all} or p.warehouse_id = any(${ids}::bigint[]))
        and p.value > 0 and coalesce(p.last_outbound_on, p.stocked_since) < ${o.day}::date - ${DEFAULT_STALE_DAYS}::int
      order by p.value desc, i.code
      limit ${top}`,
    sql<{ code: string; name: string; batch_no: string; warehouse: string; expiry_date: string; days_left: number; on_hand: string; unit: string; total: string }[]>`
      select i.code, i.name, bt.batch_no, wh.name as warehouse, bt.expiry_date::text, (bt.expiry_date - ${o.day}::date - 1) as days_left,
             sum(b.on_hand)::text as on_hand, i.unit, (count(*) over ())::text as total
      from stock_balances b
      join batches bt on bt.id = b.batch_id
      join items i on i.id = b.item_id
      join warehouses wh on wh.id = b.warehouse_id
      where b.company_id = ${o.companyId} and (${all} or b.warehouse_id = any(${ids}::bigint[]))
        and bt.company_id = ${o.companyId} and b.on_hand > 0 and bt.expiry_date <= ${o.day}::date + 1 + ${expiryDays}::int
      group by i.code, i.name, bt.batch_no, wh.name, bt.expiry_date, i.unit
      order by bt.expiry_date, i.code
      limit ${top}`,
    sql<{ request_no: string; type: string; amount: string; waiting: number; total: string }[]>`
      select r.request_no, r.type, round(r.amount, 2)::text as amount,
             extract(day from now() - r.created_at)::int as waiting, (count(*) over ())::text as total
      from requests r
      where r.company_id = ${o.companyId} and r.status = 'pending' and r.created_at < now() - interval '1 day'
        and (${all} or r.warehouse_id = any(${ids}::bigint[]) or r.to_warehouse_id = any(${ids}::bigint[]))
      order by r.created_at
      limit ${top}`,
  ]);

  const closing = today?.closing ?? null;
  const previous = at(-1)?.closing ?? null;
  const ratio = (t: typeof today) => (t && num(t.closing) > 0 ? num(t.dead) / num(t.closing) : null);
  return {
    day: o.day,
    scope: scope ?? null,
    value: { closing: money(closing), change: closing !== null && previous !== null ? money(String(num(closing) - num(previous))) : null },
    inboundValue: money(today?.inbound ?? '0'),
    outboundValue: money(today?.outbound ?? '0'),
    shortages: {
      total: Number(shortages[0]?.total ?? 0),
      top: shortages.map((s) => ({
        code: s.code,
        name: s.name,
        unit: s.unit,
        available: plainQuantity(s.available),
        safetyStock: plainQuantity(s.safety_stock),
        daysOfSupply: roundDays(daysOfSupply(Math.max(0, num(s.available)), num(s.outbound), WINDOW)),
      })),
    },
    // Count and value as the roll-up closed the day; the top rows live.
    stale: {
      total: today?.dead_count ?? stale.length,
      value: money(today?.dead ?? '0'),
      top: stale.map((s) => ({ code: s.code, name: s.name, warehouse: s.warehouse, onHand: plainQuantity(s.on_hand), unit: s.unit, value: s.value, idleDays: s.idle })),
    },
    expiring: {
      total: Number(expiring[0]?.total ?? 0),
      top: expiring.map((e) => ({ code: e.code, name: e.name, batchNo: e.batch_no, warehouse: e.warehouse, expiryDate: e.expiry_date, daysLeft: e.days_left, onHand: plainQuantity(e.on_hand), unit: e.unit })),
    },
    approvals: { total: Number(approvals[0]?.total ?? 0), top: approvals.map((a) => ({ requestNo: a.request_no, type: a.type, amount: a.amount, waitingDays: a.waiting })) },
    turnover: {
      current: roundRatio(inventoryTurnover(cogs(-WINDOW, 0), num(at(-WINDOW)?.closing), num(closing))),
      previous: at(-2 * WINDOW) ? roundRatio(inventoryTurnover(cogs(-2 * WINDOW, -WINDOW), num(at(-2 * WINDOW)?.closing), num(at(-WINDOW)?.closing))) : null,
    },
    deadRatio: { current: roundRatio(ratio(today)), weekAgo: roundRatio(ratio(at(-7))) },
    rolledUp: today !== undefined,
  };
}


/** Yuan with two decimals, from an exact numeric's text. */
function money(value: string | null): string {
  if (value === null) return '0.00';
  return Number(value).toFixed(2);
}

const roundRatio = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 1000);
const roundDays = (d: number | null) => (d === null ? null : Math.floor(d));
