import type { Database, Sql } from '../../db/client.ts';

/** Default for 呆滞 in the roll-up's dead-stock totals (the alert rules may say otherwise per item). */
export const DEFAULT_STALE_DAYS = 60;

export interface RolledUp {
  /** Days rolled up by this call, oldest first. */
  days: string[];
  ledgerRows: number;
}

/** The company's calendar day `offset` days from now, in its time zone (ISO date). */
export async function companyDay(db: Database, companyId: number, offset = 0): Promise<string> {
  const [row] = await db.sql<{ day: string }[]>`
    select ((now() at time zone c.timezone)::date + ${offset}::int)::text as day from companies c where c.id = ${companyId}`;
  if (!row) throw new Error(`no company ${companyId}`);
  return row.day;
}

/**
 * 日结: rolls the ledger up, day by day in order, from the day after the last
 * one rolled up to `through` (inclusive; normally yesterday). Each day reads
 * only that day's ledger rows (a BRIN range on posted_at), writes its
 * stock_daily rows, moves stock_positions on, and writes the per-warehouse
 * totals. One transaction per day under a per-company lock, so a schedule
 * that fires twice, or two processes, roll each day up exactly once.
 *
 * Postings back-dated into a day already rolled up are not picked up by
 * later runs; `rebuildSnapshots` recomputes everything from the ledger.
 */
export async function rollUpThrough(
  db: Database,
  companyId: number,
  through: string,
  opts: { staleDays?: number; onDay?: (day: string) => void } = {},
): Promise<RolledUp> {
  const staleDays = opts.staleDays ?? DEFAULT_STALE_DAYS;
  const out: RolledUp = { days: [], ledgerRows: 0 };
  for (;;) {
    const day = await db.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('stock-snapshot'), ${companyId}::int)`;
      const [next] = await tx<{ day: string | null }[]>`
        select coalesce(
          (select (max(day) + 1)::text from snapshot_days where company_id = ${companyId}),
          (select (min(l.posted_at) at time zone (select timezone from companies where id = ${companyId}))::date::text
             from stock_ledger l where l.company_id = ${companyId})
        ) as day`;
      if (!next?.day || next.day > through) return null;
      const rows = await rollUpDay(tx as unknown as Sql, companyId, next.day, staleDays);
      out.ledgerRows += rows;
      return next.day;
    });
    if (day === null) return out;
    out.days.push(day);
    opts.onDay?.(day);
  }
}

/** Forgets every roll-up of the company and rolls the ledger up again through `through`. */
export async function rebuildSnapshots(db: Database, companyId: number, through: string, opts: { staleDays?: number; onDay?: (day: string) => void } = {}): Promise<RolledUp> {
  await db.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('stock-snapshot'), ${companyId}::int)`;
    await tx`delete from stock_daily where company_id = ${companyId}`;
    await tx`delete from stock_positions where company_id = ${companyId}`;
    await tx`delete from stock_daily_totals where company_id = ${companyId}`;
    await tx`delete from snapshot_days where company_id = ${companyId}`;
  });
  return rollUpThrough(db, companyId, through, opts);
}

async function rollUpDay(sql: Sql, companyId: number, day: string, staleDays: number): Promise<number> {
  const [moved] = await sql<{ rows: string }[]>`
    with bounds as (
      select (${day}::date)::timestamp at time zone c.timezone as lo, (${day}::date + 1)::timestamp at time zone c.timezone as hi
      from companies c where c.id = ${companyId}
    ),
    moves as (
      select l.item_id, l.warehouse_id, count(*) as n,
        coalesce(sum(l.qty_delta) filter (where l.doc_type = 'receipt'), 0) as in_q,
        coalesce(sum(l.value_delta) filter (where l.doc_type = 'receipt'), 0) as in_v,
        coalesce(-sum(l.qty_delta) filter (where l.doc_type = 'issue'), 0) as out_q,
        coalesce(-sum(l.value_delta) filter (where l.doc_type = 'issue'), 0) as out_v,
        coalesce(sum(l.qty_delta) filter (where l.doc_type not in ('receipt', 'issue')), 0) as other_q,
        coalesce(sum(l.value_delta) filter (where l.doc_type not in ('receipt', 'issue')), 0) as other_v
      from stock_ledger l, bounds b
      where l.company_id = ${companyId} and l.posted_at >= b.lo and l.posted_at < b.hi
      group by l.item_id, l.warehouse_id
    ),
    daily as (
      insert into stock_daily (company_id, day, item_id, warehouse_id, inbound_qty, inbound_value, outbound_qty, outbound_value,
                               other_qty, other_value, closing_qty, closing_value)
      select ${companyId}, ${day}::date, m.item_id, m.warehouse_id, m.in_q, m.in_v, m.out_q, m.out_v, m.other_q, m.other_v,
             coalesce(p.on_hand, 0) + m.in_q - m.out_q + m.other_q, coalesce(p.value, 0) + m.in_v - m.out_v + m.other_v
      from moves m left join stock_positions p on p.item_id = m.item_id and p.warehouse_id = m.warehouse_id
      returning item_id, warehouse_id, inbound_qty, outbound_qty, closing_qty, closing_value
    ),
    positions as (
      insert into stock_positions as p (company_id, item_id, warehouse_id, on_hand, value, stocked_since, last_receipt_on, last_outbound_on, as_of)
      select ${companyId}, d.item_id, d.warehouse_id, d.closing_qty, d.closing_value,
             case when d.closing_qty > 0 then ${day}::date end,
             case when d.inbound_qty > 0 then ${day}::date end,
             case when d.outbound_qty > 0 then ${day}::date end,
             ${day}::date
      from daily d
      on conflict (item_id, warehouse_id) do update set
        on_hand = excluded.on_hand,
        value = excluded.value,
        stocked_since = case when excluded.on_hand <= 0 then null
                             when p.on_hand <= 0 or p.stocked_since is null then excluded.as_of
                             else p.stocked_since end,
        last_receipt_on = coalesce(excluded.last_receipt_on, p.last_receipt_on),
        last_outbound_on = coalesce(excluded.last_outbound_on, p.last_outbound_on),
        as_of = excluded.as_of
      returning 1
    )
    select coalesce(sum(n), 0)::text as rows from moves, (select count(*) from positions) _`;
  const rows = Number(moved?.rows ?? 0);
  // Totals read the positions as this day left them (a new statement sees the writes above).
  await sql`
    insert into stock_daily_totals (company_id, warehouse_id, day, closing_value, inbound_value, outbound_value, dead_value, dead_count, moved_items)
    select ${companyId}, w.id, ${day}::date,
      coalesce(p.value, 0), coalesce(d.in_v, 0), coalesce(d.out_v, 0), coalesce(p.dead, 0), coalesce(p.dead_n, 0), coalesce(d.n, 0)
    from warehouses w
    left join (
      select warehouse_id, sum(value) as value,
        sum(value) filter (where value > 0 and coalesce(last_outbound_on, stocked_since) < ${day}::date - ${staleDays}::int) as dead,
        count(*) filter (where value > 0 and coalesce(last_outbound_on, stocked_since) < ${day}::date - ${staleDays}::int) as dead_n
      from stock_positions where company_id = ${companyId} group by warehouse_id
    ) p on p.warehouse_id = w.id
    left join (
      select warehouse_id, sum(inbound_value) as in_v, sum(outbound_value) as out_v, count(*) as n
      from stock_daily where company_id = ${companyId} and day = ${day}::date group by warehouse_id
    ) d on d.warehouse_id = w.id
    where w.company_id = ${companyId}`;
  await sql`insert into snapshot_days (company_id, day, ledger_rows) values (${companyId}, ${day}::date, ${rows})`;
  return rows;
}
