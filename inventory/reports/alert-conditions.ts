import { withCustomPlans, type Database } from '../../db/client.ts';
import { formatMicro, parseMicro, plainQuantity } from '../decimal.ts';
import { suggestPurchaseQty } from '../replenishment.ts';
import { alertKey, type AlertRules, type Candidate, type ItemRef } from './alerts.ts';

/**
 * The conditions alerts are raised for, each read from the database as
 * candidates (what should be open now) plus, where a check looks at only part
 * of the stock, the keys it looked at (so alerts elsewhere are not resolved).
 * alerts.ts keeps the store: one open alert per key, re-sends, resolution.
 */

/** Days of outbound the days-of-supply rule averages over. */
const SUPPLY_WINDOW = 90;


interface ItemRow {
  item_id: number;
  warehouse_id: number;
  code: string;
  name: string;
  unit: string;
  wh_code: string;
  wh_name: string;
}

const itemRef = (r: ItemRow): ItemRef => ({
  itemId: r.item_id,
  code: r.code,
  name: r.name,
  unit: r.unit,
  warehouseId: r.warehouse_id,
  warehouse: r.wh_name,
  warehouseCode: r.wh_code,
});

/**
 * Shortage (缺货): available in a warehouse (storage, unexpired) below the
 * item's safety stock, for the item × warehouse pairs given (those a posting
 * just touched) or all stocked pairs. Answers the candidates and every pair
 * it looked at, so alerts of pairs that recovered can be resolved.
 */
export async function shortageCandidates(
  db: Database,
  companyId: number,
  pairs: readonly { itemId: number; warehouseId: number }[] | null,
  /** With no pairs: only this warehouse (the hourly scan goes warehouse by warehouse). */
  warehouseId: number | null = null,
): Promise<{ candidates: Candidate[]; checked: Set<string> }> {
  const items = pairs?.map((p) => p.itemId) ?? [];
  const whs = pairs?.map((p) => p.warehouseId) ?? [];
  const rows = await db.sql<
    { item_id: number; warehouse_id: number; code: string; name: string; unit: string; safety_stock: string; reorder_point: string | null; moq: string | null; pack_size: string | null; wh_code: string; wh_name: string; available: string; incoming: string }[]
  >`
    with pairs as (
      -- Only items with a safety stock can run short: start from them, not from every balance.
      select distinct b.item_id, b.warehouse_id from stock_balances b
      join items si on si.id = b.item_id and si.active and si.safety_stock > 0
      where b.company_id = ${companyId} and (${warehouseId}::bigint is null or b.warehouse_id = ${warehouseId})
        and (${pairs === null} or (b.item_id, b.warehouse_id) in (select * from unnest(${items}::bigint[], ${whs}::bigint[])))
    )
    select p.item_id, p.warehouse_id, i.code, i.name, i.unit, i.safety_stock::text, i.reorder_point::text, i.moq::text, i.pack_size::text,
      w.code as wh_code, w.name as wh_name,
      coalesce(sum(b.on_hand - b.reserved) filter (where l.kind = 'storage' and (bt.expiry_date is null or bt.expiry_date >= (now() at time zone c.timezone)::date)), 0)::text as available,
      coalesce(sum(b.on_hand) filter (where l.kind = 'transit'), 0)::text as incoming
    from pairs p
    join items i on i.id = p.item_id and i.active and i.safety_stock > 0
    join warehouses w on w.id = p.warehouse_id
    join companies c on c.id = i.company_id
    join stock_balances b on b.item_id = p.item_id and b.warehouse_id = p.warehouse_id
    join locations l on l.id = b.location_id
    left join batches bt on bt.id = b.batch_id
    group by p.item_id, p.warehouse_id, i.id, w.id, c.timezone`;
  const checked = new Set(rows.map((r) => alertKey({ kind: 'shortage', itemId: r.item_id, warehouseId: r.warehouse_id, batchId: null })));
  const m = (s: string | null) => (s === null ? null : (parseMicro(s) ?? 0n));
  const short = rows.filter((r) => m(r.available)! < m(r.safety_stock)!);
  if (short.length === 0) return { candidates: [], checked };

  // Where the item is plentiful: another warehouse holding more than its own safety stock plus what is missing here.
  const elsewhere = await db.sql<{ item_id: number; warehouse_id: number; code: string; name: string; available: string }[]>`
    select b.item_id, b.warehouse_id, w.code, w.name, sum(b.on_hand - b.reserved)::text as available
    from stock_balances b join locations l on l.id = b.location_id and l.kind = 'storage' join warehouses w on w.id = b.warehouse_id
    where b.company_id = ${companyId} and b.item_id = any(${short.map((r) => r.item_id)}::bigint[])
    group by b.item_id, b.warehouse_id, w.code, w.name`;

  const candidates = short.map((r): Candidate => {
    const available = m(r.available)!;
    const safety = m(r.safety_stock)!;
    const need = safety - available;
    const spare = elsewhere
      .filter((e) => e.item_id === r.item_id && e.warehouse_id !== r.warehouse_id)
      .map((e) => ({ ...e, spare: m(e.available)! - safety }))
      .filter((e) => e.spare >= need)
      .sort((a, b) => (b.spare > a.spare ? 1 : b.spare < a.spare ? -1 : 0))[0];
    const suggested = suggestPurchaseQty({ available, incoming: m(r.incoming)!, safetyStock: safety, reorderPoint: m(r.reorder_point), moq: m(r.moq), packSize: m(r.pack_size) });
    return {
      kind: 'shortage',
      itemId: r.item_id,
      warehouseId: r.warehouse_id,
      batchId: null,
      severity: Number(formatMicro(need)),
      details: {
        kind: 'shortage',
        ...itemRef(r),
        available: formatMicro(available),
        safetyStock: formatMicro(safety),
        suggestedQty: formatMicro(suggested),
        surplus: spare ? { warehouseCode: spare.code, warehouse: spare.name, qty: formatMicro(need) } : null,
      },
    };
  });
  return { candidates, checked };
}

/** Stale alerts kept per warehouse: the most valuable; the rest is counted in the digest's dead-stock figures. */
const STALE_ALERTS_PER_WAREHOUSE = 50;

/**
 * Stale stock (呆滞), from the daily roll-up: positions with no outbound for
 * more than N days (stock that never went out counts from its arrival), or
 * more than M days of supply at the outbound rate of the last 90 days. Only
 * the most valuable per warehouse become alerts — a warehouse with 10 000
 * dead positions needs a clearance plan, not 10 000 messages — and every
 * position with an open alert is looked at again, so alerts clear when
 * their position recovers (or empties) and stay open while it does not.
 */
export async function staleCandidates(
  db: Database,
  companyId: number,
  asOf: string,
  rules: AlertRules,
  warehouseId: number | null = null,
): Promise<{ candidates: Candidate[]; checked: Set<string> }> {
  const rows = await withCustomPlans(db, (sql) => sql<
    { item_id: number; warehouse_id: number; code: string; name: string; unit: string; category: string | null; wh_code: string; wh_name: string; on_hand: string; value: string; idle: number; out_window: string | null }[]
  >`
    with recent as (
      select item_id, warehouse_id, sum(outbound_qty) as out_window
      from stock_daily where company_id = ${companyId} and day > ${asOf}::date - ${SUPPLY_WINDOW}::int and day <= ${asOf}::date
        and outbound_qty > 0
      group by item_id, warehouse_id
    ),
    alerted as (
      select item_id, warehouse_id from stock_alerts where company_id = ${companyId} and kind = 'stale' and status <> 'resolved'
    ),
    evaluated as (
      select p.*, r.out_window, (${asOf}::date - coalesce(p.last_outbound_on, p.stocked_since)) as idle,
        row_number() over (partition by p.warehouse_id order by p.value desc) as rank,
        a.item_id is not null as alerted
      from stock_positions p
      left join recent r on r.item_id = p.item_id and r.warehouse_id = p.warehouse_id
      left join alerted a on a.item_id = p.item_id and a.warehouse_id = p.warehouse_id
      where p.company_id = ${companyId} ${warehouseId === null ? sql`` : sql`and p.warehouse_id = ${warehouseId}`}
        and ((p.on_hand > 0 and p.value > 0
              and (coalesce(p.last_outbound_on, p.stocked_since) < ${asOf}::date - ${rules.loosest.staleDays}::int
                   or p.on_hand * ${SUPPLY_WINDOW} > ${rules.loosest.staleSupplyDays} * r.out_window))
             or a.item_id is not null)
    )
    select e.item_id, e.warehouse_id, i.code, i.name, i.unit, i.category, w.code as wh_code, w.name as wh_name,
      e.on_hand::text, round(e.value, 2)::text as value, e.idle, e.out_window::text
    from evaluated e
    join items i on i.id = e.item_id
    join warehouses w on w.id = e.warehouse_id
    where e.rank <= ${STALE_ALERTS_PER_WAREHOUSE} or e.alerted`);
  const checked = new Set<string>();
  const candidates: Candidate[] = [];
  for (const r of rows) {
    checked.add(alertKey({ kind: 'stale', itemId: r.item_id, warehouseId: r.warehouse_id, batchId: null }));
    if (!(Number(r.on_hand) > 0 && Number(r.value) > 0)) continue;
    const t = rules.forItem(r.item_id, r.category);
    const supply = r.out_window ? Math.floor((Number(r.on_hand) * SUPPLY_WINDOW) / Number(r.out_window)) : null;
    if (!(r.idle > t.staleDays || (supply !== null && supply > t.staleSupplyDays))) continue;
    candidates.push({
      kind: 'stale',
      itemId: r.item_id,
      warehouseId: r.warehouse_id,
      batchId: null,
      severity: Number(r.value),
      details: {
        kind: 'stale',
        ...itemRef(r),
        onHand: plainQuantity(r.on_hand),
        value: r.value,
        idleDays: r.idle,
        daysOfSupply: supply,
      },
    });
  }
  return { candidates, checked };
}

/**
 * 先进先出 ignored: in the last 24 hours an issue took a batch while an earlier
 * batch of the same item (earlier expiry; without expiry dates, earlier
 * receipt) still has stock in that warehouse — the batch left behind is the
 * one that will expire. Answers the left-behind batches, and the keys of open
 * FIFO alerts whose batch has since gone out (those resolve).
 */
export async function fifoCandidates(db: Database, companyId: number): Promise<{ candidates: Candidate[]; checked: Set<string> }> {
  const rows = await db.sql<
    { item_id: number; warehouse_id: number; code: string; name: string; unit: string; wh_code: string; wh_name: string; batch_id: number; batch_no: string; expiry_date: string | null; on_hand: string; issued_batch_no: string }[]
  >`
    with issued as (
      select distinct l.item_id, l.warehouse_id, l.batch_id
      from stock_ledger l
      where l.company_id = ${companyId} and l.doc_type = 'issue' and l.batch_id is not null and l.posted_at > now() - interval '24 hours'
    ),
    left_behind as (
      select i.item_id, i.warehouse_id, older.id as batch_id, older.batch_no, older.expiry_date, sum(b.on_hand) as on_hand,
             min(taken.batch_no) as issued_batch_no
      from issued i
      join batches taken on taken.id = i.batch_id
      join stock_balances b on b.item_id = i.item_id and b.warehouse_id = i.warehouse_id and b.on_hand > 0 and b.batch_id <> i.batch_id
      join locations loc on loc.id = b.location_id and loc.kind = 'storage'
      join batches older on older.id = b.batch_id
      where coalesce(older.expiry_date < taken.expiry_date, false)
         or (older.expiry_date is null and taken.expiry_date is null and older.received_at < taken.received_at)
      group by i.item_id, i.warehouse_id, older.id, older.batch_no, older.expiry_date
    )
    select lb.item_id, lb.warehouse_id, it.code, it.name, it.unit, w.code as wh_code, w.name as wh_name,
           lb.batch_id, lb.batch_no, lb.expiry_date::text, lb.on_hand::text, lb.issued_batch_no
    from left_behind lb join items it on it.id = lb.item_id join warehouses w on w.id = lb.warehouse_id`;
  const candidates = rows.map((r): Candidate => ({
    kind: 'fifo',
    itemId: r.item_id,
    warehouseId: r.warehouse_id,
    batchId: r.batch_id,
    severity: 1,
    details: { kind: 'fifo', ...itemRef(r), batchId: r.batch_id, batchNo: r.batch_no, expiryDate: r.expiry_date, onHand: plainQuantity(r.on_hand), issuedBatchNo: r.issued_batch_no },
  }));
  const gone = await db.sql<{ item_id: number; warehouse_id: number; batch_id: number }[]>`
    select a.item_id, a.warehouse_id, a.batch_id from stock_alerts a
    where a.company_id = ${companyId} and a.kind = 'fifo' and a.status <> 'resolved'
      and not exists (select 1 from stock_balances b where b.item_id = a.item_id and b.warehouse_id = a.warehouse_id and b.batch_id = a.batch_id and b.on_hand > 0)`;
  return { candidates, checked: new Set(gone.map((g) => alertKey({ kind: 'fifo', itemId: g.item_id, warehouseId: g.warehouse_id, batchId: g.batch_id }))) };
}

/** Batches with stock that expire within N days, or have expired: worse as the date nears (30 → 7 days → expired). */
export async function expiryCandidates(db: Database, companyId: number, rules: AlertRules): Promise<Candidate[]> {
  const rows = await db.sql<
    { item_id: number; warehouse_id: number; batch_id: number; code: string; name: string; unit: string; category: string | null; wh_code: string; wh_name: string; batch_no: string; expiry_date: string; days_left: number; on_hand: string }[]
  >`
    select b.item_id, b.warehouse_id, b.batch_id, i.code, i.name, i.unit, i.category, w.code as wh_code, w.name as wh_name,
      bt.batch_no, bt.expiry_date::text, (bt.expiry_date - (now() at time zone c.timezone)::date) as days_left, sum(b.on_hand)::text as on_hand
    from stock_balances b
    join batches bt on bt.id = b.batch_id
    join items i on i.id = b.item_id
    join warehouses w on w.id = b.warehouse_id
    join companies c on c.id = b.company_id
    where b.company_id = ${companyId} and b.on_hand > 0
      and bt.expiry_date <= (now() at time zone c.timezone)::date + ${rules.loosest.expiryDays}::int
    group by b.item_id, b.warehouse_id, b.batch_id, i.id, w.id, bt.id, c.timezone`;
  return rows
    .filter((r) => r.days_left <= rules.forItem(r.item_id, r.category).expiryDays)
    .map((r) => ({
      kind: 'expiry' as const,
      itemId: r.item_id,
      warehouseId: r.warehouse_id,
      batchId: r.batch_id,
      severity: r.days_left < 0 ? 3 : r.days_left <= 7 ? 2 : 1,
      details: {
        kind: 'expiry' as const,
        ...itemRef(r),
        batchId: r.batch_id,
        batchNo: r.batch_no,
        expiryDate: r.expiry_date,
        daysLeft: r.days_left,
        onHand: plainQuantity(r.on_hand),
      },
    }));
}

const INTEGRITY_SAMPLE = 5;

/**
 * 数据校验: the ledger check's findings for the company as one alert (how many
 * problems, a few of them), resolved when a later check finds none.
 */
export function integrityCandidates(problems: readonly { kind: string; itemId: number | null; detail: Record<string, unknown> }[]): Candidate[] {
  if (problems.length === 0) return [];
  return [
    {
      kind: 'integrity',
      itemId: null,
      warehouseId: null,
      batchId: null,
      ref: 'check',
      severity: problems.length,
      details: { kind: 'integrity', source: 'check', problems: problems.length, sample: problems.slice(0, INTEGRITY_SAMPLE).map((p) => `${p.kind}${p.itemId === null ? '' : ` item ${p.itemId}`} ${JSON.stringify(p.detail)}`) },
    },
  ];
}

/**
 * Postings refused for lack of stock in the last 24 hours, one alert per item
 * × warehouse (worse with every refusal); it clears after a day without one.
 */
export async function refusedPostings(db: Database, companyId: number): Promise<{ candidates: Candidate[]; checked: Set<string> }> {
  const rows = await db.sql<(ItemRow & { n: number; requested: string; available: string })[]>`
    select e.item_id, e.warehouse_id, i.code, i.name, i.unit, w.code as wh_code, w.name as wh_name, count(*)::int as n,
           ((array_agg(e.requested order by e.id desc))[1])::text as requested, ((array_agg(e.available order by e.id desc))[1])::text as available
    from stockout_events e join items i on i.id = e.item_id join warehouses w on w.id = e.warehouse_id
    where e.company_id = ${companyId} and e.source = 'posting' and e.created_at > now() - interval '24 hours'
    group by e.item_id, e.warehouse_id, i.code, i.name, i.unit, w.code, w.name`;
  const candidates = rows.map((r): Candidate => ({
    kind: 'integrity',
    itemId: r.item_id,
    warehouseId: r.warehouse_id,
    batchId: null,
    ref: 'refused',
    severity: r.n,
    details: { kind: 'integrity', source: 'refused', ...itemRef(r), refusals: r.n, requested: plainQuantity(r.requested), available: plainQuantity(r.available) },
  }));
  const open = await db.sql<{ key: string }[]>`
    select key from stock_alerts where company_id = ${companyId} and kind = 'integrity' and status <> 'resolved' and key like '%:refused'`;
  return { candidates, checked: new Set(open.map((o) => o.key)) };
}

/** Approved requests that could not be carried out in the last week, one alert each (they stay until someone takes them on). */
export async function fulfilmentFailures(db: Database, companyId: number): Promise<Candidate[]> {
  const rows = await db.sql<{ id: number; request_no: string; type: string; warehouse_id: number; warehouse: string; reason: string }[]>`
    select r.id, r.request_no, r.type, r.warehouse_id, w.name as warehouse, coalesce(r.failure->>'message', r.failure->>'code', '') as reason
    from requests r join warehouses w on w.id = r.warehouse_id
    where r.company_id = ${companyId} and r.status = 'failed' and r.updated_at > now() - interval '7 days'`;
  return rows.map((r) => ({
    kind: 'integrity' as const,
    itemId: null,
    warehouseId: r.warehouse_id,
    batchId: null,
    ref: `request-${r.id}`,
    severity: 1,
    details: { kind: 'integrity' as const, source: 'fulfilment' as const, requestId: r.id, requestNo: r.request_no, requestType: r.type, warehouse: r.warehouse, reason: r.reason },
  }));
}
