import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { systemActor, type Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { listWarehouses } from '../inventory/master/warehouses.ts';
import { itemsBelowSafetyStock } from '../inventory/queries/below-safety-stock.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { seedDemo } from '../app/seed/seed-demo.ts';
import { freshDatabase } from './support/db.ts';

/** 10:00 in Shanghai: the morning's postings are in, the afternoon's are not. */
const TODAY = new Date('2026-11-24T02:00:00Z');
const TODAY_DATE = '2026-11-24';
const SCREW = 'A-1001';
const SH = 'SH';
const DAY_MS = 86_400_000;

let db: Database;
let actor: Actor;

const count = async (table: 'stock_ledger' | 'items') =>
  Number((await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql(table)}`)[0]?.n);

/** On hand per (item, warehouse), storage and transit alike: what a second seed must reproduce. */
const onHandList = (d: Database) => d.sql<{ item: string; warehouse: string; on_hand: string }[]>`
  select i.code as item, w.code as warehouse, sum(b.on_hand)::text as on_hand
  from stock_balances b join items i on i.id = b.item_id join warehouses w on w.id = b.warehouse_id
  group by i.code, w.code
  order by i.code, w.code`;

beforeAll(async () => {
  db = await freshDatabase();
  const result = await seedDemo(db, { today: TODAY });
  expect(result.seeded).toBe(true);
  actor = systemActor(result.companyId, 'test');
});

describe('demo seed', () => {
  it('creates the three warehouses and about 200 items', async () => {
    const warehouses = await listWarehouses(db, actor);
    expect(warehouses.map((w) => w.code)).toEqual([SH, 'SZ', 'SZN']);
    expect(warehouses.find((w) => w.code === 'SZN')?.aliases).toContain('深圳');
    expect(await count('items')).toBeGreaterThanOrEqual(190);
  });

  it('has 螺丝M6 in 上海仓 with some of it reserved', async () => {
    const stock = await stockOfItem(db, actor, SCREW);
    expect(stock.item).toMatchObject({ name: '螺丝M6', spec: 'M6×20 不锈钢304', unit: '个' });
    const sh = stock.warehouses.find((w) => w.warehouse === SH);
    expect(Number(sh?.available)).toBeGreaterThan(0);
    expect(Number(sh?.reserved)).toBeGreaterThan(0);
  });

  it('shows items below safety stock', async () => {
    expect((await itemsBelowSafetyStock(db, actor)).length).toBeGreaterThan(0);
  });

  it('holds batches expiring within 30 days and an expired one', async () => {
    const [row] = await db.sql<{ soon: number; expired: number }[]>`
      select count(*) filter (where bt.expiry_date >= ${TODAY_DATE}::date and bt.expiry_date <= ${TODAY_DATE}::date + 30)::int as soon,
             count(*) filter (where bt.expiry_date < ${TODAY_DATE}::date)::int as expired
      from stock_balances b join batches bt on bt.id = b.batch_id join locations l on l.id = b.location_id and l.kind = 'storage'
      where b.on_hand > 0`;
    expect(row?.soon).toBeGreaterThan(0);
    expect(row?.expired).toBeGreaterThan(0);
  });

  it('spans about 90 days of history, none of it after today', async () => {
    const [span] = await db.sql<{ first: string; last: string }[]>`select min(posted_at) as first, max(posted_at) as last from stock_ledger`;
    const first = Date.parse(span?.first ?? '');
    const last = Date.parse(span?.last ?? '');
    expect((last - first) / DAY_MS).toBeGreaterThanOrEqual(85);
    expect(last).toBeLessThanOrEqual(TODAY.getTime());
  });

  it('has goods in transit', async () => {
    const [row] = await db.sql<{ qty: string }[]>`
      select coalesce(sum(b.on_hand), 0)::text as qty from stock_balances b join locations l on l.id = b.location_id and l.kind = 'transit'`;
    expect(Number(row?.qty)).toBeGreaterThan(0);
  });

  it('keeps the ledger invariant', async () => {
    expect(await checkLedger(db)).toEqual([]);
  });

  it('does nothing the second time', async () => {
    const before = await count('stock_ledger');
    const again = await seedDemo(db, { today: TODAY });
    expect(again).toEqual({ companyId: actor.companyId, seeded: false });
    expect(await count('stock_ledger')).toBe(before);
  });

  it('is deterministic: the same today gives the same stock', { timeout: 120_000 }, async () => {
    const other = await freshDatabase();
    await seedDemo(other, { today: TODAY });
    const expected = await onHandList(db);
    expect(expected.length).toBeGreaterThan(190);
    expect(await onHandList(other)).toEqual(expected);
  });
});
