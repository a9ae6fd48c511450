import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { Coalescer } from '../inventory/coalescer.ts';
import { DomainError, IdempotencyConflictError, InsufficientStockError } from '../inventory/errors.ts';
import { postMovement } from '../inventory/post-movement.ts';
import type { PostedDocument } from '../inventory/posted-document.ts';
import { lookupForPosting } from '../inventory/lookup.ts';
import { postingStats } from '../inventory/posting-batcher.ts';
import { writePlans, type DocumentToWrite } from '../inventory/write-plan.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { consumeReservation } from '../inventory/reservations/consume.ts';
import { releaseReservation } from '../inventory/reservations/release.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

let db: Database;

beforeAll(async () => {
  db = await freshDatabase({ max: 20 });
});

const stats = () => ({ ...(postingStats(db) ?? { multiDocumentWrites: 0, fallbacks: 0, largestWrite: 0, writtenDocuments: 0, chained: 0, requeued: 0 }) });

/** A posting's answer without what differs between two companies (ids, numbers, times). */
const comparable = (r: PromiseSettledResult<PostedDocument>) =>
  r.status === 'fulfilled'
    ? { ok: { ...r.value.document, id: 0, docNo: '', postedAt: '' }, movements: r.value.movements }
    : { error: (r.reason as Error).constructor.name, details: (r.reason as DomainError).details ?? String(r.reason) };

async function companyWithItems(): Promise<Actor> {
  const actor = await companyWithWarehouses(db);
  await item(db, actor, { code: 'P', unitCost: '2' });
  await item(db, actor, { code: 'B', unit: '瓶', tracking: 'batch' });
  await item(db, actor, { code: 'N', allowNegative: true, unitCost: '1' });
  await item(db, actor, { code: 'Q', units: [{ unit: '盒', factor: '10' }] });
  return actor;
}

/** Documents that depend on each other: costs, FIFO, shortages, new batches, negative stock, a repeated key. */
const script = (): Record<string, unknown>[] => [
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'P', qty: 10, unitCost: '2' }], idempotencyKey: 's-1' },
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'P', qty: 5, unitCost: '4' }], idempotencyKey: 's-2' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'P', qty: 3 }], idempotencyKey: 's-3' },
  { type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', lines: [{ item: 'P', qty: 4 }], idempotencyKey: 's-4' },
  { type: 'adjustment', warehouse: 'SH', lines: [{ item: 'P', qty: -2 }], idempotencyKey: 's-5' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'P', qty: 20 }], idempotencyKey: 's-6' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'P', qty: 5 }], idempotencyKey: 's-7' },
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'B', qty: 5, batch: 'B1', expiryDate: '2030-01-01' }], idempotencyKey: 's-8' },
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'B', qty: 5, batch: 'B0', expiryDate: '2029-01-01' }], idempotencyKey: 's-9' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'B', qty: 7 }], idempotencyKey: 's-10' },
  { type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', inTransit: true, lines: [{ item: 'B', qty: 2 }], idempotencyKey: 's-11' },
  { type: 'adjustment', warehouse: 'SH', lines: [{ item: 'N', qty: -5 }], idempotencyKey: 's-12' },
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'N', qty: 3, unitCost: '1' }], idempotencyKey: 's-13' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'Q', qty: 1, unit: '盒' }], idempotencyKey: 's-14' },
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'Q', qty: 2, unit: '盒', unitCost: '10' }], idempotencyKey: 's-15' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'Q', qty: 15 }], idempotencyKey: 's-16' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'P', qty: 1 }, { item: 'Q', qty: 1 }], idempotencyKey: 's-17' },
  { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'P', qty: 1, unitCost: '3' }], idempotencyKey: 's-18' },
  { type: 'transfer', warehouse: 'SZ', toWarehouse: 'SH', lines: [{ item: 'P', qty: 5, toLocation: 'A-01' }], idempotencyKey: 's-19' },
  { type: 'issue', warehouse: 'SH', lines: [{ item: 'P', qty: 5, location: 'A-01' }], idempotencyKey: 's-20' },
  { type: 'receipt', warehouse: 'SH', lines: [{ item: 'P', qty: 10, unitCost: '2' }], idempotencyKey: 's-1' },
];

describe('postings are batched', () => {
  it('writes concurrent postings of different items together, each answering for itself', async () => {
    const actor = await companyWithWarehouses(db);
    const codes = Array.from({ length: 12 }, (_, i) => `W-${i}`);
    for (const code of codes) await item(db, actor, { code, unitCost: '1' });
    const before = stats();
    const docs = await Promise.all(
      codes.map((code, i) => postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: code, qty: i + 1 }], idempotencyKey: idem() })),
    );
    const after = stats();
    expect(after.multiDocumentWrites).toBeGreaterThan(before.multiDocumentWrites);
    expect(after.largestWrite).toBeGreaterThan(1);
    expect(after.writtenDocuments - before.writtenDocuments).toBe(codes.length);
    docs.forEach((d, i) => expect(d.movements).toEqual([expect.objectContaining({ item: codes[i], qty: String(i + 1), unitCost: '1' })]));
    expect(new Set(docs.map((d) => d.document.docNo)).size).toBe(codes.length);
  });

  it('gives the same answers as posting one after the other, documents of one item chained in one batch', async () => {
    const together = await companyWithItems();
    const oneByOne = await companyWithItems();
    const before = stats();
    const concurrent = await Promise.allSettled(script().map((input) => postMovement(db, together, input)));
    const after = stats();
    const sequential: PromiseSettledResult<PostedDocument>[] = [];
    for (const input of script()) {
      sequential.push(
        await postMovement(db, oneByOne, input).then(
          (value) => ({ status: 'fulfilled', value }) as const,
          (reason: unknown) => ({ status: 'rejected', reason }) as const,
        ),
      );
    }
    expect(concurrent.map(comparable)).toEqual(sequential.map(comparable));
    // the shortages are the ones sequential posting meets
    expect(sequential.flatMap((r, i) => (r.status === 'rejected' ? [i + 1] : []))).toEqual([6, 14]);
    // documents of one item went in one statement, one after the other; a new batch number ends a chain
    expect(after.chained - before.chained).toBeGreaterThan(5);
    expect(after.requeued - before.requeued).toBeGreaterThan(0);
    expect(after.fallbacks).toBe(before.fallbacks);
    const stock = async (actor: Actor) => Promise.all(['P', 'B', 'N', 'Q'].map(async (code) => (await stockOfItem(db, actor, code)).warehouses));
    expect(await stock(together)).toEqual(await stock(oneByOne));
    const value = (actor: Actor) =>
      db.sql<{ code: string; qty: string; value: string }[]>`
        select i.code, v.qty::text, v.value::text from item_valuations v join items i on i.id = v.item_id
        where i.company_id = ${actor.companyId} order by i.code`;
    expect((await value(together)).map(({ qty, value: v, code }) => [code, qty, v])).toEqual(
      (await value(oneByOne)).map(({ qty, value: v, code }) => [code, qty, v]),
    );
    expect(await checkLedger(db)).toEqual([]);
  });

  it('gives the same answers as posting one after the other, for any sequence of documents', async () => {
    const code = fc.constantFrom('P', 'B', 'N', 'Q');
    const wh = fc.constantFrom('SH', 'SZ');
    const qty = fc.integer({ min: 1, max: 9 });
    const line = fc.record({
      item: code,
      qty,
      batch: fc.constantFrom('X1', 'X2', 'X3'),
      expiry: fc.constantFrom('2020-01-01', '2029-01-01', '2030-06-01', '2031-12-31'),
      allowExpired: fc.boolean(),
      location: fc.constantFrom(undefined, 'A-01'),
      cost: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
    });
    const doc = fc.record({
      type: fc.constantFrom('receipt', 'receipt', 'issue', 'transfer', 'adjustment'),
      wh,
      sign: fc.boolean(),
      transit: fc.boolean(),
      lines: fc.array(line, { minLength: 1, maxLength: 2 }),
    });
    const toInput = (d: typeof doc extends fc.Arbitrary<infer T> ? T : never, key: string): Record<string, unknown> => ({
      type: d.type,
      warehouse: d.wh,
      ...(d.type === 'transfer' ? { toWarehouse: d.wh === 'SH' ? 'SZ' : 'SH', inTransit: d.transit } : {}),
      lines: d.lines.map((l) => {
        const inbound = d.type === 'receipt' || (d.type === 'adjustment' && d.sign);
        return {
          item: l.item,
          qty: d.type === 'adjustment' && !d.sign ? -l.qty : l.qty,
          ...(l.item === 'B' && (inbound || l.qty % 3 === 0) ? { batch: l.batch } : {}),
          ...(l.item === 'B' && inbound ? { expiryDate: l.expiry } : {}),
          ...(l.location && d.wh === 'SH' ? { location: l.location } : {}),
          ...(l.location && d.type === 'transfer' && d.wh === 'SZ' && !d.transit ? { toLocation: l.location } : {}),
          ...(l.item === 'B' && !inbound && l.allowExpired ? { allowExpired: true } : {}),
          ...(d.type === 'receipt' && l.cost !== undefined ? { unitCost: l.cost } : {}),
        };
      }),
      idempotencyKey: key,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(doc, { minLength: 2, maxLength: 40 }), async (docs) => {
        const together = await companyWithItems();
        const oneByOne = await companyWithItems();
        const inputs = docs.map((d, i) => toInput(d, `p-${i}`));
        const concurrent = await Promise.allSettled(inputs.map((input) => postMovement(db, together, input)));
        const sequential: PromiseSettledResult<PostedDocument>[] = [];
        for (const input of inputs) {
          sequential.push(
            await postMovement(db, oneByOne, input).then(
              (value) => ({ status: 'fulfilled', value }) as const,
              (reason: unknown) => ({ status: 'rejected', reason }) as const,
            ),
          );
        }
        expect(concurrent.map(comparable)).toEqual(sequential.map(comparable));
        const stock = async (actor: Actor) => Promise.all(['P', 'B', 'N', 'Q'].map(async (c) => (await stockOfItem(db, actor, c)).warehouses));
        expect(await stock(together)).toEqual(await stock(oneByOne));
      }),
      { numRuns: 20 },
    );
    expect(await checkLedger(db)).toEqual([]);
  }, 120_000);

  it('answers a repeated key with the first result, and refuses the key for another request', async () => {
    const actor = await companyWithWarehouses(db);
    await item(db, actor, { code: 'DUP', unitCost: '1' });
    const key = idem('dup');
    const input = { type: 'receipt', warehouse: 'SH', lines: [{ item: 'DUP', qty: 2 }], idempotencyKey: key };
    const [a, b, c] = await Promise.allSettled([
      postMovement(db, actor, input),
      postMovement(db, actor, { ...input, lines: [{ qty: 2, item: 'DUP' }] }),
      postMovement(db, actor, { ...input, lines: [{ item: 'DUP', qty: 3 }] }),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(b).toEqual(a);
    expect(c.status === 'rejected' && c.reason).toBeInstanceOf(IdempotencyConflictError);
    const [{ n } = { n: -1 }] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from stock_documents where company_id = ${actor.companyId} and idempotency_key = ${key}`;
    expect(n).toBe(1);
    expect((await stockOfItem(db, actor, 'DUP')).totals.onHand).toBe('2');
  });

  it('posts the documents of a batch the database refused one by one: the bad one fails alone', async () => {
    const actor = await companyWithWarehouses(db);
    const codes = ['F-1', 'F-2', 'F-3', 'F-4', 'F-5'];
    for (const code of codes) {
      await item(db, actor, { code, unitCost: '1' });
      await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: code, qty: 10 }], idempotencyKey: idem() });
    }
    // F-3 loses its valuation row: any statement posting it is refused (VALUATION_MISSING), and so its whole batch
    const [saved] = await db.sql<{ item_id: number; company_id: number; qty: string; value: string; posted_unit_cost: string | null }[]>`
      delete from item_valuations where item_id = (select id from items where company_id = ${actor.companyId} and code = 'F-3')
      returning item_id, company_id, qty::text, value::text, posted_unit_cost::text`;
    const before = stats();
    const results = await Promise.allSettled(
      codes.map((code) => postMovement(db, actor, { type: 'issue', warehouse: 'SH', lines: [{ item: code, qty: 1 }], idempotencyKey: idem() })),
    );
    const after = stats();
    expect(after.fallbacks).toBeGreaterThan(before.fallbacks);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ code: 'SP409', message: 'VALUATION_MISSING' });
    for (const code of codes) expect((await stockOfItem(db, actor, code)).totals.onHand).toBe(code === 'F-3' ? '10' : '9');
    await db.sql`
      insert into item_valuations (item_id, company_id, qty, value, posted_unit_cost)
      values (${saved!.item_id}, ${saved!.company_id}, ${saved!.qty}, ${saved!.value}, ${saved!.posted_unit_cost})`;
  });

  it('keeps the books balanced under a concurrent mix of postings and reservations', async () => {
    const actor = await companyWithWarehouses(db);
    const items = ['M-1', 'M-2', 'M-3'];
    for (const code of items) await item(db, actor, { code, unitCost: '5' });
    const service = new ReservationService(db);
    const held: number[] = [];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const op = async (): Promise<void> => {
      const code = items[rand(items.length)] as string;
      const wh = rand(2) ? 'SH' : 'SZ';
      const qty = 1 + rand(6);
      try {
        switch (rand(7)) {
          case 0:
          case 1:
            await postMovement(db, actor, { type: 'receipt', warehouse: wh, lines: [{ item: code, qty, unitCost: 1 + rand(9) }], idempotencyKey: idem() });
            break;
          case 2:
            await postMovement(db, actor, { type: 'issue', warehouse: wh, lines: [{ item: code, qty }], idempotencyKey: idem() });
            break;
          case 3:
            await postMovement(db, actor, { type: 'transfer', warehouse: wh, toWarehouse: wh === 'SH' ? 'SZ' : 'SH', inTransit: rand(2) === 0, lines: [{ item: code, qty }], idempotencyKey: idem() });
            break;
          case 4:
            await postMovement(db, actor, { type: 'adjustment', warehouse: wh, lines: [{ item: code, qty: rand(2) ? qty : -qty }], idempotencyKey: idem() });
            break;
          case 5:
            held.push((await service.reserve(actor, { orderRef: 'MIX', lines: [{ item: code, warehouse: wh, qty }], idempotencyKey: idem() })).id);
            break;
          default: {
            const id = held[rand(Math.max(1, held.length))];
            if (id !== undefined) await (rand(2) ? consumeReservation(db, actor, id) : releaseReservation(db, actor, id));
          }
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
    };
    for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: 40 }, op));
    expect(await checkLedger(db)).toEqual([]);
    for (const code of items) {
      for (const w of (await stockOfItem(db, actor, code)).warehouses) {
        expect(Number(w.onHand)).toBeGreaterThanOrEqual(0);
        expect(Number(w.available)).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('never oversells when concurrent issues of one item are chained in batches', async () => {
    const actor = await companyWithWarehouses(db);
    await item(db, actor, { code: 'CHAIN' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'CHAIN', qty: 25 }], idempotencyKey: idem() });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, () => postMovement(db, actor, { type: 'issue', warehouse: 'SH', lines: [{ item: 'CHAIN', qty: 1 }], idempotencyKey: idem() })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof InsufficientStockError)).toBe(true);
    // in submission order: the first 25 got the stock
    expect(results.map((r) => r.status === 'fulfilled')).toEqual(Array.from({ length: 40 }, (_, i) => i < 25));
    expect((await stockOfItem(db, actor, 'CHAIN')).totals.onHand).toBe('0');
  });
});

describe('the database has the last word on a batch', () => {
  it('refuses documents that take a balance below zero in between, even when the batch ends above zero', async () => {
    const actor = await companyWithWarehouses(db);
    await item(db, actor, { code: 'GUARD', unitCost: '1' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'GUARD', qty: 3 }], idempotencyKey: idem() });
    const master = await lookupForPosting(db.sql, actor.companyId, { items: ['GUARD'], warehouses: ['SH'], batches: [], slots: [] });
    const itemId = master.items.get('GUARD')!.id;
    const sh = master.warehouses.get('SH')!;
    const units = (n: number) => BigInt(n) * 1_000_000n;
    const doc = (type: 'issue' | 'receipt', qty: number): DocumentToWrite => ({
      header: {
        companyId: actor.companyId, type, reason: null, warehouseId: sh.id, toWarehouseId: null, inTransit: false, sourceDocumentId: null,
        reservationId: null, reference: null, note: null, idempotencyKey: idem(), requestHash: 'h', createdBy: null, channel: 'test',
      },
      plan: {
        moves: [{ seq: 1, lineNo: 1, itemId, warehouseId: sh.id, locationId: sh.defaultLocationId, batchId: null, newBatchNo: null, qty: units(qty),
                  unitCost: qty > 0 ? units(1) : null, reservedDelta: 0n, referenceCost: units(1), allowNegative: false }],
        lines: [{ lineNo: 1, itemId, qty: units(Math.abs(qty)), unit: '个', qtyBase: units(Math.abs(qty)), batchNo: null, unitCost: qty > 0 ? units(1) : null }],
        newBatches: [],
        serialMoves: [],
      },
    });
    // issue 5 of 3, then receive 10: 8 in the end, but -2 in between
    await expect(writePlans(db.sql, actor.companyId, [doc('issue', -5), doc('receipt', 10)])).rejects.toMatchObject({ code: 'SP409', message: 'STOCK_CHANGED' });
    expect((await stockOfItem(db, actor, 'GUARD')).totals.onHand).toBe('3');
    // the other way round is fine
    const written = await writePlans(db.sql, actor.companyId, [doc('receipt', 10), doc('issue', -5)]);
    expect(written.map((w) => w.status)).toEqual(['posted', 'posted']);
    expect((await stockOfItem(db, actor, 'GUARD')).totals.onHand).toBe('8');
    // a batch of several documents refuses a key that is taken (the documents after it were planned on its effects)
    const taken = doc('receipt', 1);
    await writePlans(db.sql, actor.companyId, [taken]);
    await expect(writePlans(db.sql, actor.companyId, [doc('receipt', 1), taken])).rejects.toMatchObject({ code: 'SP409', message: 'KEY_TAKEN' });
    expect(await writePlans(db.sql, actor.companyId, [taken])).toEqual([{ status: 'duplicate' }]);
    expect(await checkLedger(db)).toEqual([]);
  });
});

describe('Coalescer with two batches in flight', () => {
  it('shares what waits between two batches and starts the next as soon as one settles', async () => {
    const batches: number[][] = [];
    let inFlight = 0;
    let most = 0;
    const c = new Coalescer<string, number, number>(
      async (_k, reqs) => {
        batches.push(reqs);
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return reqs.map((n) => ({ ok: true, value: n }));
      },
      512,
      2,
    );
    const all = await Promise.all(Array.from({ length: 10 }, (_, n) => c.submit('hot', n)));
    expect(all).toEqual(Array.from({ length: 10 }, (_, n) => n));
    expect(batches).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    expect(most).toBe(2);
  });
});
