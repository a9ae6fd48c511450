import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { DomainError, IdempotencyConflictError, InsufficientStockError, NotFoundError, ValidationError } from '../inventory/errors.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { loadPostedDocument } from '../inventory/posted-document.ts';
import { receiveTransfer } from '../inventory/receive-transfer.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

let db: Database;
let actor: Actor;

beforeAll(async () => {
  db = await freshDatabase();
  actor = await companyWithWarehouses(db);
  await item(db, actor, { code: 'M6', name: '螺丝M6', unitCost: '0.05', units: [{ unit: '盒', factor: '100' }] });
  await item(db, actor, { code: 'GLUE', name: '胶水', unit: '瓶', tracking: 'batch', shelfLifeDays: 365 });
  await item(db, actor, { code: 'AVG', name: '均价测试件', unit: '个' });
  await item(db, actor, { code: 'WIRE', name: '电线', unit: 'm', unitPrecision: 1 });
  await item(db, actor, { code: 'TR', name: '调拨件', unit: '个', unitCost: '2' });
  await item(db, actor, { code: 'ADJ', name: '盘点件', unit: '个', unitCost: '3' });
  await item(db, actor, { code: 'SCAN', name: '扫码枪', unit: '台', tracking: 'serial', unitCost: '300' });
});

const post = (input: Record<string, unknown>) => postMovement(db, actor, { idempotencyKey: idem(), ...input });
const ledgerCount = async () => Number((await db.sql<{ n: number }[]>`select count(*)::int as n from stock_ledger`)[0]?.n);
const rejection = async (p: Promise<unknown>): Promise<DomainError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
};

describe('receipts', () => {
  it('converts alternate units to the base unit and writes ledger and balance together', async () => {
    const res = await post({ type: 'receipt', reason: 'purchase', warehouse: 'SH', lines: [{ item: 'M6', qty: 3, unit: '盒', unitCost: '4' }] });
    expect(res.document.docNo).toMatch(/^RK\d{8}-\d{6}$/);
    expect(res.movements).toEqual([
      expect.objectContaining({ item: 'M6', warehouse: 'SH', location: 'DEFAULT', qty: '300', unit: '个', unitCost: '0.04', value: '12' }),
    ]);
    const stock = await stockOfItem(db, actor, 'M6');
    expect(stock.totals).toEqual({ onHand: '300', reserved: '0', available: '300', expired: '0', inTransit: '0' });
  });

  it('values a receipt without a cost at the item reference cost', async () => {
    const res = await post({ type: 'receipt', warehouse: 'SZ', lines: [{ item: 'M6', qty: 10 }] });
    expect(res.movements[0]).toMatchObject({ unitCost: '0.05', value: '0.5' });
  });
});

describe('FIFO issues', () => {
  beforeAll(async () => {
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 5, batch: 'G-LATE', expiryDate: '2027-06-30' }] });
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 5, batch: 'G-SOON', expiryDate: '2027-01-31' }] });
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 4, batch: 'G-EXPIRED', expiryDate: '2025-01-01' }] });
  });

  it('takes the earliest expiry first, splits across batches and skips expired batches', async () => {
    const res = await post({ type: 'issue', reason: 'requisition', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 7 }] });
    expect(res.movements.map((m) => [m.batch, m.qty])).toEqual([
      ['G-SOON', '-5'],
      ['G-LATE', '-2'],
    ]);
  });

  it('refuses rather than touching an expired batch, and says how much is usable', async () => {
    const err = await rejection(post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 4 }] }));
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect(err.details).toMatchObject({ item: 'GLUE', warehouse: 'SH', requested: '4', available: '3' });
    // and the stock answer agrees: the expired batch is on hand but not available
    const stock = await stockOfItem(db, actor, 'GLUE');
    expect(stock.totals).toMatchObject({ onHand: '7', available: '3', expired: '4' });
    expect(stock.warehouses[0]?.slots.find((s) => s.batch === 'G-EXPIRED')).toMatchObject({ expired: true, available: '0' });
  });

  it('honours a named batch exactly, even an expired one when it is named', async () => {
    const res = await post({ type: 'issue', reason: 'scrap', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 4, batch: 'G-EXPIRED' }] });
    expect(res.movements.map((m) => [m.batch, m.qty])).toEqual([['G-EXPIRED', '-4']]);
  });
});

describe('moving weighted average cost (移动加权平均)', () => {
  it('values issues at the average before them, on a worked example', async () => {
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'AVG', qty: 100, unitCost: 10 }] });
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'AVG', qty: 50, unitCost: 13 }] }); // 1650 / 150 = 11
    const issue = await post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'AVG', qty: 30 }] });
    expect(issue.movements[0]).toMatchObject({ unitCost: '11', value: '-330' }); // 1320 / 120 left
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'AVG', qty: 30, unitCost: '12.5' }] }); // 1695 / 150 = 11.3
    const last = await post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'AVG', qty: 150 }] });
    expect(last.movements[0]).toMatchObject({ unitCost: '11.3', value: '-1695' });
    const [v] = await db.sql<{ qty: string; value: string }[]>`
      select qty::float8::text as qty, value::float8::text as value from item_valuations v join items i on i.id = v.item_id where i.code = 'AVG'`;
    expect(v).toEqual({ qty: '0', value: '0' });
  });
});

describe('transfers', () => {
  beforeAll(async () => {
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'TR', qty: 20 }] });
  });

  it('moves stock between warehouses at once, keeping its value', async () => {
    const res = await post({ type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', lines: [{ item: 'TR', qty: 5 }] });
    expect(res.movements.map((m) => [m.warehouse, m.qty, m.value])).toEqual([
      ['SH', '-5', '-10'],
      ['SZ', '5', '10'],
    ]);
  });

  it('keeps shipped goods in transit until received, in parts', async () => {
    const shipped = await post({ type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', inTransit: true, lines: [{ item: 'TR', qty: 6 }] });
    let sz = (await stockOfItem(db, actor, 'TR')).warehouses.find((w) => w.warehouse === 'SZ');
    expect(sz).toMatchObject({ onHand: '5', inTransit: '6' });

    await receiveTransfer(db, actor, shipped.document.docNo, { lines: [{ item: 'TR', qty: 4 }], idempotencyKey: idem() });
    sz = (await stockOfItem(db, actor, 'TR')).warehouses.find((w) => w.warehouse === 'SZ');
    expect(sz).toMatchObject({ onHand: '9', inTransit: '2' });

    const tooMuch = await rejection(receiveTransfer(db, actor, shipped.document.docNo, { lines: [{ item: 'TR', qty: 3 }], idempotencyKey: idem() }));
    expect(tooMuch.code).toBe('TRANSFER_NOT_IN_TRANSIT');

    await receiveTransfer(db, actor, shipped.document.docNo, { idempotencyKey: idem() });
    sz = (await stockOfItem(db, actor, 'TR')).warehouses.find((w) => w.warehouse === 'SZ');
    expect(sz).toMatchObject({ onHand: '11', inTransit: '0' });
  });

  it('receives a shipment once when two keepers receive all of it at the same time', async () => {
    const shipped = await post({ type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', inTransit: true, lines: [{ item: 'TR', qty: 3 }] });
    const before = (await stockOfItem(db, actor, 'TR')).warehouses.find((w) => w.warehouse === 'SZ');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 4 }, () => receiveTransfer(db, actor, shipped.document.docNo, { idempotencyKey: idem() })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as { code?: string }).code).toBe('TRANSFER_NOT_IN_TRANSIT');
    const after = (await stockOfItem(db, actor, 'TR')).warehouses.find((w) => w.warehouse === 'SZ');
    expect(Number(after?.onHand)).toBe(Number(before?.onHand) + 3);
    expect(after?.inTransit).toBe('0');
  });
});

describe('adjustments (盘盈盘亏)', () => {
  it('books gains at the given or average cost and losses from stock', async () => {
    const gain = await post({ type: 'adjustment', reason: 'stocktake', warehouse: 'SH', lines: [{ item: 'ADJ', qty: 8 }] });
    expect(gain.movements[0]).toMatchObject({ qty: '8', unitCost: '3' }); // no stock yet: reference cost
    const loss = await post({ type: 'adjustment', reason: 'stocktake', warehouse: 'SH', lines: [{ item: 'ADJ', qty: -3, location: 'DEFAULT' }] });
    expect(loss.movements[0]).toMatchObject({ qty: '-3', value: '-9' });
    expect((await stockOfItem(db, actor, 'ADJ')).totals.onHand).toBe('5');
  });
});

describe('serial numbers', () => {
  const serialsOf = (status: string) =>
    db.sql<{ serial_no: string; location: string | null }[]>`
      select s.serial_no, w.code || '/' || l.code as location from serials s
      left join locations l on l.id = s.location_id left join warehouses w on w.id = l.warehouse_id
      where s.status = ${status} and s.company_id = ${actor.companyId} order by s.serial_no`;

  it('needs one serial number per unit received, none of them already in stock', async () => {
    const err = await rejection(post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 2 }, { item: 'SCAN', qty: 2, serials: ['S1'] }] }));
    expect((err as ValidationError).issues.map((i) => i.path)).toEqual(['lines[0].serials', 'lines[1].serials']);
    await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 3, serials: ['SN-001', 'SN-002', 'SN-003'] }] });
    const again = await rejection(post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 1, serials: ['SN-002'] }] }));
    expect((again as ValidationError).issues).toEqual([{ path: 'lines[0].serials[0]', message: 'serial SN-002 of SCAN is already in stock', zh: 'SCAN 的序列号 SN-002 已在库' }]);
  });

  it('ships exactly the named unit, or the one in stock longest', async () => {
    const named = await post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 1, serials: ['SN-003'] }] });
    expect(named.movements[0]).toMatchObject({ qty: '-1', value: '-300' });
    await post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 1 }] });
    expect((await serialsOf('issued')).map((s) => s.serial_no)).toEqual(['SN-001', 'SN-003']);
    const gone = await rejection(post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 1, serials: ['SN-001'] }] }));
    expect((gone as ValidationError).issues[0]?.message).toBe('serial SN-001 of SCAN is not in stock in SH');
  });

  it('moves units through transit with a transfer and takes a returned unit back', async () => {
    const shipped = await post({ type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', inTransit: true, lines: [{ item: 'SCAN', qty: 1 }] });
    expect(await serialsOf('in_stock')).toEqual([{ serial_no: 'SN-002', location: 'SZ/TRANSIT' }]);
    await receiveTransfer(db, actor, shipped.document.docNo, { idempotencyKey: idem() });
    expect(await serialsOf('in_stock')).toEqual([{ serial_no: 'SN-002', location: 'SZ/DEFAULT' }]);
    await post({ type: 'receipt', reason: 'return', warehouse: 'SH', lines: [{ item: 'SCAN', qty: 1, serials: ['SN-001'] }] });
    expect((await serialsOf('in_stock')).map((s) => s.serial_no)).toEqual(['SN-001', 'SN-002']);
    expect((await stockOfItem(db, actor, 'SCAN')).totals.onHand).toBe('2');
  });
});

describe('idempotency', () => {
  it('answers a retried post with the first result and writes nothing new', async () => {
    const key = idem('retry');
    const input = { type: 'receipt', warehouse: 'SH', lines: [{ item: 'M6', qty: 1 }], idempotencyKey: key };
    const first = await postMovement(db, actor, input);
    const before = await ledgerCount();
    const again = await postMovement(db, actor, { ...input, lines: [{ qty: 1, item: 'M6' }] });
    expect(again).toEqual(first);
    expect(await ledgerCount()).toBe(before);
  });

  it('answers from the write exactly what a retry reads back from the ledger', async () => {
    // Every kind of document and movement: units, new and existing batches, FIFO over batches, transit, locations, averages.
    const inputs: Record<string, unknown>[] = [
      { type: 'receipt', reason: 'purchase', warehouse: 'SH', lines: [{ item: 'M6', qty: 2, unit: '盒', unitCost: '3.333333' }, { item: 'AVG', qty: 3, unitCost: '7' }], reference: 'PO-9' },
      { type: 'receipt', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 2, batch: 'G-NEW', expiryDate: '2028-02-02' }, { item: 'GLUE', qty: 1, batch: 'G-LATE' }] },
      { type: 'issue', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 3 }, { item: 'M6', qty: 7 }], reference: 'SO-9' },
      { type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', inTransit: true, lines: [{ item: 'GLUE', qty: 1 }, { item: 'TR', qty: 2 }] },
      { type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', lines: [{ item: 'M6', qty: 1, location: 'DEFAULT' }] },
      { type: 'adjustment', reason: 'stocktake', warehouse: 'SH', lines: [{ item: 'ADJ', qty: '2' }, { item: 'AVG', qty: -1 }] },
      { type: 'receipt', warehouse: 'SH', lines: [{ item: 'WIRE', qty: '2.5', unitCost: '0.333333' }] },
    ];
    for (const raw of inputs) {
      const input = { ...raw, idempotencyKey: idem('answer') };
      const first = await postMovement(db, actor, input);
      expect(first.movements.length).toBeGreaterThan(0);
      expect(await loadPostedDocument(db.sql, actor.companyId, first.document.id)).toEqual(first);
      expect(await postMovement(db, actor, input)).toEqual(first);
    }
  });

  it('answers concurrent postings, written together, as each reads back alone', async () => {
    const docs = await Promise.all(
      ['M6', 'TR', 'ADJ', 'AVG', 'M6', 'TR'].map((code, i) =>
        postMovement(db, actor, { type: i % 2 ? 'issue' : 'receipt', warehouse: 'SH', lines: [{ item: code, qty: 1 }], idempotencyKey: idem('together') }),
      ),
    );
    for (const d of docs) expect(await loadPostedDocument(db.sql, actor.companyId, d.document.id)).toEqual(d);
  });

  it('refuses the same key for a different request', async () => {
    const key = idem('conflict');
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'M6', qty: 1 }], idempotencyKey: key });
    await expect(postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'M6', qty: 2 }], idempotencyKey: key })).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
  });
});

describe('bad input changes nothing', () => {
  it('lists every problem with its path and writes nothing', async () => {
    const before = await ledgerCount();
    const err = await rejection(
      post({
        type: 'receipt',
        warehouse: 'SH',
        lines: [
          { item: 'M6', qty: 1 },
          { item: 'M6', qty: 2, unit: '箱' },
          { item: 'M6', qty: 1.5 },
          { item: 'GLUE', qty: 1 },
          { item: 'WIRE', qty: '2.25' },
          { item: 'M6', qty: -1 },
        ],
      }),
    );
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(['lines[1].unit', 'lines[2].qty', 'lines[3].batch', 'lines[4].qty', 'lines[5].qty']);
    expect((err as ValidationError).issues[0]?.message).toContain('allowed: 个, 盒');
    expect(await ledgerCount()).toBe(before);
  });

  it('rejects a malformed request before looking anything up', async () => {
    const err = await rejection(postMovement(db, actor, { type: 'teleport', warehouse: '', lines: [] }));
    expect((err as ValidationError).issues.map((i) => i.path).sort()).toEqual(['idempotencyKey', 'lines', 'type', 'warehouse']);
  });

  it('names the unknown item', async () => {
    const err = await rejection(post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'NOPE', qty: 1 }] }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.localized('zh-CN')).toBe('找不到物料：NOPE');
  });

  it('posts no line of a document whose later line lacks stock', async () => {
    const before = await ledgerCount();
    const onHand = (await stockOfItem(db, actor, 'M6')).totals.onHand;
    const err = await rejection(
      post({ type: 'issue', warehouse: 'SH', lines: [{ item: 'M6', qty: 1 }, { item: 'TR', qty: 1000 }] }),
    );
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect(await ledgerCount()).toBe(before);
    expect((await stockOfItem(db, actor, 'M6')).totals.onHand).toBe(onHand);
  });
});

describe('the ledger is append-only', () => {
  it.each([
    ['update', 'update stock_ledger set qty_delta = 0'],
    ['delete', 'delete from stock_ledger'],
    ['truncate', 'truncate stock_ledger cascade'],
  ])('the database refuses %s', async (_op, statement) => {
    const before = await ledgerCount();
    await expect(db.sql.unsafe(statement)).rejects.toMatchObject({ code: 'SP001' });
    expect(await ledgerCount()).toBe(before);
  });

  it('still balances after everything above', async () => {
    expect(await checkLedger(db)).toEqual([]);
  });
});

describe('document numbers', () => {
  it('keeps every digit of ids beyond six digits, so numbers stay unique', async () => {
    await db.sql`select setval(pg_get_serial_sequence('stock_documents', 'id'), 1234560)`;
    const a = await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'M6', qty: 1 }] });
    const b = await post({ type: 'receipt', warehouse: 'SH', lines: [{ item: 'M6', qty: 1 }] });
    expect(a.document.docNo).toMatch(/^RK\d{8}-1234561$/);
    expect(b.document.docNo).toMatch(/^RK\d{8}-1234562$/);
  });
});

describe('companies are isolated', () => {
  it("does not show one company's stock to another", async () => {
    const other = await companyWithWarehouses(db);
    await expect(stockOfItem(db, other, 'M6')).rejects.toBeInstanceOf(NotFoundError);
    await expect(postMovement(db, other, { type: 'issue', warehouse: 'SH', lines: [{ item: 'M6', qty: 1 }], idempotencyKey: idem() })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});
