import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { InsufficientStockError } from '../inventory/errors.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

let db: Database;
let actor: Actor;

beforeAll(async () => {
  db = await freshDatabase({ max: 40 });
  actor = await companyWithWarehouses(db);
});

/** Settles all calls and counts successes and refusals for lack of stock; anything else fails the test. */
async function tally(calls: Promise<unknown>[]) {
  const results = await Promise.allSettled(calls);
  const other = results.filter((r) => r.status === 'rejected' && !(r.reason instanceof InsufficientStockError));
  if (other.length) throw (other[0] as PromiseRejectedResult).reason;
  return { ok: results.filter((r) => r.status === 'fulfilled').length, refused: results.length - results.filter((r) => r.status === 'fulfilled').length };
}

describe('never oversold under concurrency', () => {
  it('lets exactly 20 of 50 concurrent issues through when 20 are in stock', async () => {
    await item(db, actor, { code: 'HOT-ISSUE' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'HOT-ISSUE', qty: 20 }], idempotencyKey: idem() });
    const { ok, refused } = await tally(
      Array.from({ length: 50 }, () =>
        postMovement(db, actor, { type: 'issue', warehouse: 'SH', lines: [{ item: 'HOT-ISSUE', qty: 1 }], idempotencyKey: idem() }),
      ),
    );
    expect({ ok, refused }).toEqual({ ok: 20, refused: 30 });
    expect((await stockOfItem(db, actor, 'HOT-ISSUE')).totals.onHand).toBe('0');
  });

  it('spreads concurrent issues over batches without ever taking a batch below zero', async () => {
    await item(db, actor, { code: 'HOT-BATCH', tracking: 'batch' });
    await postMovement(db, actor, {
      type: 'receipt',
      warehouse: 'SH',
      lines: [
        { item: 'HOT-BATCH', qty: 7, batch: 'B1' },
        { item: 'HOT-BATCH', qty: 5, batch: 'B2' },
        { item: 'HOT-BATCH', qty: 3, batch: 'B3' },
      ],
      idempotencyKey: idem(),
    });
    const { ok } = await tally(
      Array.from({ length: 20 }, () =>
        postMovement(db, actor, { type: 'issue', warehouse: 'SH', lines: [{ item: 'HOT-BATCH', qty: 2 }], idempotencyKey: idem() }),
      ),
    );
    expect(ok).toBe(7); // 7 + 5 + 3 = 15 units, 2 at a time, whole units from any batches
    expect((await stockOfItem(db, actor, 'HOT-BATCH')).totals.onHand).toBe('1');
  });

  it('grants exactly the stock to concurrent reservations, even from two independent services', async () => {
    await item(db, actor, { code: 'HOT-RES' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'HOT-RES', qty: 37 }], idempotencyKey: idem() });
    // Two services stand for two app processes: their coalescers do not know each other.
    const services = [new ReservationService(db), new ReservationService(db)];
    const { ok, refused } = await tally(
      Array.from({ length: 100 }, (_, i) =>
        services[i % 2]!.reserve(actor, { orderRef: `O-${i}`, lines: [{ item: 'HOT-RES', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() }),
      ),
    );
    expect({ ok, refused }).toEqual({ ok: 37, refused: 63 });
    expect((await stockOfItem(db, actor, 'HOT-RES')).totals).toMatchObject({ onHand: '37', reserved: '37', available: '0' });
  });

  it('grants exactly the stock when two services keep reserving one item, each planning on its own carry', async () => {
    await item(db, actor, { code: 'HOT-LOOP' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'HOT-LOOP', qty: 300 }], idempotencyKey: idem() });
    // Each service's writes change the stock the other one's carry planned on.
    const services = [new ReservationService(db, { carryMs: 60_000 }), new ReservationService(db, { carryMs: 60_000 })];
    const granted = await Promise.all(
      Array.from({ length: 16 }, async (_, c) => {
        const service = services[c % 2]!;
        for (let n = 0; ; n++) {
          const refused = await service
            .reserve(actor, { orderRef: `L-${c}-${n}`, lines: [{ item: 'HOT-LOOP', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() })
            .then(() => null, (e: unknown) => e);
          if (refused) {
            expect(refused).toBeInstanceOf(InsufficientStockError);
            return n;
          }
        }
      }),
    );
    expect(granted.reduce((a, b) => a + b, 0)).toBe(300);
    expect((await stockOfItem(db, actor, 'HOT-LOOP')).totals).toMatchObject({ onHand: '300', reserved: '300', available: '0' });
    expect(services.every((s) => s.stats.lookups > 0)).toBe(true);
  });

  it('keeps issues and reservations on one item from overselling each other', async () => {
    await item(db, actor, { code: 'HOT-MIX' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'HOT-MIX', qty: 30 }], idempotencyKey: idem() });
    const service = new ReservationService(db);
    const calls = Array.from({ length: 60 }, (_, i) =>
      i % 2
        ? service.reserve(actor, { orderRef: `M-${i}`, lines: [{ item: 'HOT-MIX', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() })
        : postMovement(db, actor, { type: 'issue', warehouse: 'SH', lines: [{ item: 'HOT-MIX', qty: 1 }], idempotencyKey: idem() }),
    );
    const { ok } = await tally(calls);
    expect(ok).toBe(30);
    const totals = (await stockOfItem(db, actor, 'HOT-MIX')).totals;
    expect(Number(totals.available)).toBe(0);
    expect(Number(totals.reserved)).toBeLessThanOrEqual(Number(totals.onHand));
  });

  it('leaves the ledger consistent', async () => {
    expect(await checkLedger(db)).toEqual([]);
  });
});
