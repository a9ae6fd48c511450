import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { staleCandidates } from '../inventory/reports/alert-conditions.ts';
import { reconcileAlerts, thresholdsFor, type AlertDetails } from '../inventory/reports/alerts.ts';
import { buildDigest } from '../inventory/reports/digest.ts';
import { addDays } from '../inventory/today.ts';
import { reviewSafetyStock } from '../inventory/reports/safety-review.ts';
import { kpiReport } from '../inventory/reports/kpi-report.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { InsufficientStockError } from '../inventory/errors.ts';
import { ValidationError } from '../inventory/errors.ts';
import { companyDay, rebuildSnapshots, rollUpThrough } from '../inventory/reports/snapshot.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

let db: Database;
const codeOf = (d: AlertDetails) => ('code' in d ? d.code : null);
let co: Actor;
let today: string;
let yesterday: string;

/** Noon, Shanghai time, `n` days before today: inside that calendar day whatever the UTC offset. */
const daysAgo = (n: number) => new Date(`${addDays(today, -n)}T12:00:00+08:00`);

async function post(type: 'receipt' | 'issue', warehouse: string, code: string, qty: number, n: number, unitCost?: string) {
  await postMovement(db, co, { type, warehouse, lines: [{ item: code, qty, ...(unitCost ? { unitCost } : {}) }], idempotencyKey: idem() }, { postedAt: daysAgo(n) });
}

beforeAll(async () => {
  db = await freshDatabase();
  co = await companyWithWarehouses(db);
  today = await companyDay(db, co.companyId);
  yesterday = addDays(today, -1);
  await item(db, co, { code: 'P', name: '螺丝', unitCost: '10', safetyStock: '100' });
  await item(db, co, { code: 'D', name: '旧型号支架', unitCost: '50' });
  // The month by hand (¥, cost 10 per P, 50 per D):
  await post('receipt', 'SH', 'P', 100, 100, '10'); //  day −100: P 100 → ¥1000
  await post('receipt', 'SZ', 'D', 10, 90, '50'); //   day −90:  D 10 → ¥500, never issued
  await post('issue', 'SH', 'P', 30, 40); //           day −40:  P −30 → ¥−300 (COGS)
  await post('receipt', 'SH', 'P', 20, 10, '10'); //   day −10:  P +20 → ¥+200
  await post('issue', 'SH', 'P', 10, 1); //            yesterday: P −10 → ¥−100 (COGS)
  await post('issue', 'SH', 'P', 5, 0); //             today: not rolled up until tomorrow
}, 120_000);

describe('the daily roll-up (日结)', () => {
  it('rolls each day up once, from the first posting through the day asked for', async () => {
    const first = await rollUpThrough(db, co.companyId, yesterday);
    expect(first.days[0]).toBe(addDays(today, -100));
    expect(first.days.at(-1)).toBe(yesterday);
    expect(first.days).toHaveLength(100);
    expect(first.ledgerRows).toBe(5);
    const again = await rollUpThrough(db, co.companyId, yesterday);
    expect(again.days).toEqual([]);
  });

  it('keeps positions equal to the ledger at the close, with the dates stale-stock questions need', async () => {
    const positions = await db.sql<{ code: string; on_hand: string; value: string; stocked_since: string; last_receipt_on: string; last_outbound_on: string | null }[]>`
      select i.code, p.on_hand::text, p.value::text, p.stocked_since::text, p.last_receipt_on::text, p.last_outbound_on::text
      from stock_positions p join items i on i.id = p.item_id where p.company_id = ${co.companyId} order by i.code`;
    expect(positions.map((p) => ({ ...p, on_hand: Number(p.on_hand), value: Number(p.value) }))).toEqual([
      { code: 'D', on_hand: 10, value: 500, stocked_since: addDays(today, -90), last_receipt_on: addDays(today, -90), last_outbound_on: null },
      { code: 'P', on_hand: 80, value: 800, stocked_since: addDays(today, -100), last_receipt_on: addDays(today, -10), last_outbound_on: yesterday },
    ]);
    // The ledger through yesterday says the same (today's issue of 5 is not in the roll-up).
    const [ledger] = await db.sql<{ qty: string }[]>`
      select sum(qty_delta)::text as qty from stock_ledger l join items i on i.id = l.item_id
      where l.company_id = ${co.companyId} and i.code = 'P' and l.posted_at < ${daysAgo(0).toISOString()}::timestamptz - interval '12 hours'`;
    expect(Number(ledger?.qty)).toBe(80);
  });

  it('writes per-warehouse totals every day, moving or not', async () => {
    const rows = await db.sql<{ day: string; closing: string; outbound: string; dead: string }[]>`
      select day::text, sum(closing_value)::text as closing, sum(outbound_value)::text as outbound, sum(dead_value)::text as dead
      from stock_daily_totals where company_id = ${co.companyId} and day in (${addDays(today, -40)}, ${addDays(today, -35)}, ${yesterday})
      group by day order by day`;
    expect(rows.map((r) => [r.day, Number(r.closing), Number(r.outbound), Number(r.dead)])).toEqual([
      [addDays(today, -40), 1200, 300, 0],
      [addDays(today, -35), 1200, 0, 0],
      // D has sat 89 days without going out: ¥500 of dead stock.
      [yesterday, 1300, 100, 500],
    ]);
  });

  it('rebuilds to the same figures from the ledger', async () => {
    const read = () => db.sql`select day::text, item_id, warehouse_id, closing_qty::text, closing_value::text from stock_daily where company_id = ${co.companyId} order by 1, 2, 3`;
    const before = await read();
    const rebuilt = await rebuildSnapshots(db, co.companyId, yesterday);
    expect(rebuilt.days).toHaveLength(100);
    expect(await read()).toEqual(before);
  });
});

describe('the digest figures', () => {
  it('match the month computed by hand', async () => {
    const d = await buildDigest(db, { companyId: co.companyId, warehouseIds: null, day: yesterday });
    expect(d.rolledUp).toBe(true);
    expect(d.value).toEqual({ closing: '1300.00', change: '-100.00' });
    expect(d.outboundValue).toBe('100.00');
    expect(d.inboundValue).toBe('0.00');
    // ITO: COGS 100 over the last 30 days / average of ¥1200 (30 days before) and ¥1300 = 0.08;
    // the 30 days before that: 300 / avg(1500, 1200) = 0.222.
    expect(d.turnover).toEqual({ current: 0.08, previous: 0.222 });
    expect(d.deadRatio).toEqual({ current: 0.385, weekAgo: Number((500 / 1400).toFixed(3)) });
    // P: 75 available now (80 − today's 5) under safety stock 100; 10 went out in 30 days → 225 days of supply.
    expect(d.shortages).toEqual({ total: 1, top: [{ code: 'P', name: '螺丝', unit: '个', available: '75', safetyStock: '100', daysOfSupply: 225 }] });
    expect(d.stale).toEqual({ total: 1, value: '500.00', top: [{ code: 'D', name: '旧型号支架', warehouse: '苏州仓', onHand: '10', unit: '个', value: '500.00', idleDays: 89 }] });
  });

  it('keeps to the warehouses asked for', async () => {
    const [sz] = await db.sql<{ id: number }[]>`select id from warehouses where company_id = ${co.companyId} and code = 'SZ'`;
    const d = await buildDigest(db, { companyId: co.companyId, warehouseIds: [sz!.id], day: yesterday });
    expect(d.scope).toEqual({ code: 'SZ', name: '苏州仓' });
    expect(d.value.closing).toBe('500.00');
    expect(d.shortages.total).toBe(0);
    expect(d.stale.total).toBe(1);
  });
});

describe('stale-stock alerts', () => {
  it('open once for stock idle past 60 days, stay quiet on the next scan, and clear when the stock is gone', async () => {
    const scan = async () => {
      const found = await staleCandidates(db, co.companyId, yesterday, await thresholdsFor(db, co.companyId));
      return { found, result: await reconcileAlerts(db, co.companyId, 'stale', found.candidates, found.checked) };
    };
    const first = await scan();
    expect(first.found.candidates.map((c) => [codeOf(c.details), c.details.kind === 'stale' ? c.details.idleDays : null])).toEqual([['D', 89]]);
    expect(first.result.send.map((a) => codeOf(a.details))).toEqual(['D']);
    await db.sql`update stock_alerts set sends = 1, last_sent_at = now(), sent_severity = severity where company_id = ${co.companyId}`;
    expect((await scan()).result).toEqual({ send: [], resolved: [] });

    // All of D goes out (booked yesterday, so the roll-up is rebuilt to include it).
    await post('issue', 'SZ', 'D', 10, 1);
    await rebuildSnapshots(db, co.companyId, yesterday);
    const cleared = await scan();
    expect(cleared.result.send).toEqual([]);
    expect(cleared.result.resolved.map((a) => codeOf(a.details))).toEqual(['D']);
  });
});

describe('the weekly safety-stock review', () => {
  it('suggests z × σ × √lead time from 90 days of outbound, where it differs from the current figure', async () => {
    await db.sql`update items set lead_time_days = 9 where company_id = ${co.companyId} and code = 'P'`;
    // P went out 30 (day −40) and 10 (yesterday) in 90 days: σ = √((900 + 100 − 90 · (40/90)²) / 89) = 3.322;
    // 1.65 × 3.322 × √9 = 16.4 → 17, far from its safety stock of 100. D has no lead time: not reviewed.
    expect(await reviewSafetyStock(db, co.companyId, yesterday)).toEqual([{ code: 'P', name: '螺丝', unit: '个', current: 100, suggested: 17, leadTimeDays: 9 }]);
    await db.sql`update items set safety_stock = 18 where company_id = ${co.companyId} and code = 'P'`;
    expect(await reviewSafetyStock(db, co.companyId, yesterday)).toEqual([]);
  });
});

describe('KPIs for a chosen period', () => {
  it('match the hand computation per company, warehouse and item', async () => {
    // By now (the tests above): D went out entirely yesterday. Period: day −40 … yesterday.
    // Opening (close of day −41): P ¥1000 + D ¥500; closing: P ¥800; COGS: P 300 + 100, D 500; inbound: P ¥200.
    const period = { from: addDays(today, -40), to: yesterday };
    const company = await kpiReport(db, co, { ...period, groupBy: 'company' });
    expect(company.rows).toEqual([
      expect.objectContaining({ openingValue: '1500.00', closingValue: '800.00', averageInventory: '1150.00', inboundValue: '200.00', cogs: '900.00', turnover: 0.783, stockToSales: 0.889 }),
    ]);
    // P's 80 on hand: the 20 received on day −10 (9 days old at the period's end) and 60 of the 100 from day −100 (99 days).
    expect(company.rows[0]?.ageBuckets).toEqual({ '0-30': '200.00', '31-90': '0.00', '91-180': '600.00', '>180': '0.00' });
    expect(company.rows[0]?.deadStockRatio).toBe(0);
    const items = await kpiReport(db, co, { ...period, groupBy: 'item' });
    // Days of supply: P closes with 80 after 40 went out in the period's 40 days (1 a day) → 80.
    expect(items.rows.map((r) => [r.key, r.cogs, r.turnover, r.abc, r.daysOfSupply])).toEqual([
      ['D', '500.00', 2, 'A', 0],
      ['P', '400.00', 0.444, 'A', 80],
    ]);
    const warehouses = await kpiReport(db, co, { ...period, groupBy: 'warehouse', warehouse: 'SH' });
    expect(warehouses.rows.map((r) => [r.key, r.openingValue, r.closingValue])).toEqual([['SH', '1000.00', '800.00']]);
  });

  it('count order lines refused for lack of stock against all order lines: the stockout rate', async () => {
    const reservations = new ReservationService(db);
    await reservations.reserve(co, { orderRef: 'SO-1', lines: [{ item: 'P', qty: 10, warehouse: 'SH' }], idempotencyKey: idem() });
    await reservations.reserve(co, { orderRef: 'SO-2', lines: [{ item: 'P', qty: 5, warehouse: 'SH' }], idempotencyKey: idem() });
    await expect(reservations.reserve(co, { orderRef: 'SO-3', lines: [{ item: 'P', qty: 1000, warehouse: 'SH' }], idempotencyKey: idem() })).rejects.toThrow(InsufficientStockError);
    // Today is not a closed day: move the three order lines into yesterday.
    await db.sql`update reservations set created_at = created_at - interval '1 day' where company_id = ${co.companyId}`;
    await db.sql`update stockout_events set created_at = created_at - interval '1 day' where company_id = ${co.companyId}`;
    const period = { from: addDays(today, -40), to: yesterday };
    expect((await kpiReport(db, co, { ...period, groupBy: 'item' })).rows.find((r) => r.key === 'P')?.stockoutRate).toBe(0.333);
    expect((await kpiReport(db, co, { ...period, groupBy: 'warehouse' })).rows.find((r) => r.key === 'SH')?.stockoutRate).toBe(0.333);
    expect((await kpiReport(db, co, { from: addDays(today, -40), to: addDays(today, -2) })).rows[0]?.stockoutRate).toBeNull();
  });

  it('refuses a period that is not closed yet or runs backwards, saying which field', async () => {
    await expect(kpiReport(db, co, { from: yesterday, to: today })).rejects.toThrow(ValidationError);
    await expect(kpiReport(db, co, { from: yesterday, to: addDays(today, -2) })).rejects.toMatchObject({ issues: [{ path: 'from' }] });
  });
});
