import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { DomainError } from '../inventory/errors.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { consumeReservation } from '../inventory/reservations/consume.ts';
import { releaseReservation } from '../inventory/reservations/release.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

const ITEMS = ['P1', 'P2'] as const;
const WAREHOUSES = ['SH', 'SZ'] as const;

const itemArb = fc.constantFrom(...ITEMS);
const whArb = fc.constantFrom(...WAREHOUSES);
const qtyArb = fc.integer({ min: 1, max: 12 });

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('receipt' as const), item: itemArb, wh: whArb, qty: qtyArb, cost: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ kind: fc.constant('issue' as const), item: itemArb, wh: whArb, qty: qtyArb }),
  fc.record({ kind: fc.constant('transfer' as const), item: itemArb, wh: whArb, qty: qtyArb, transit: fc.boolean() }),
  fc.record({ kind: fc.constant('adjust' as const), item: itemArb, wh: whArb, qty: fc.integer({ min: -6, max: 6 }).filter((n) => n !== 0) }),
  fc.record({ kind: fc.constant('reserve' as const), item: itemArb, wh: whArb, qty: qtyArb }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('consume' as const), pick: fc.nat() }),
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

let db: Database;

beforeAll(async () => {
  db = await freshDatabase({ max: 20 });
});

/** Runs one operation; business refusals (no stock, not active) are expected outcomes. */
async function apply(actor: Actor, service: ReservationService, held: number[], op: Op): Promise<void> {
  const other = (wh: string) => (wh === 'SH' ? 'SZ' : 'SH');
  try {
    switch (op.kind) {
      case 'receipt':
        await postMovement(db, actor, { type: 'receipt', warehouse: op.wh, lines: [{ item: op.item, qty: op.qty, unitCost: op.cost }], idempotencyKey: idem() });
        return;
      case 'issue':
        await postMovement(db, actor, { type: 'issue', warehouse: op.wh, lines: [{ item: op.item, qty: op.qty }], idempotencyKey: idem() });
        return;
      case 'transfer':
        await postMovement(db, actor, {
          type: 'transfer',
          warehouse: op.wh,
          toWarehouse: other(op.wh),
          inTransit: op.transit,
          lines: [{ item: op.item, qty: op.qty }],
          idempotencyKey: idem(),
        });
        return;
      case 'adjust':
        await postMovement(db, actor, { type: 'adjustment', warehouse: op.wh, lines: [{ item: op.item, qty: op.qty }], idempotencyKey: idem() });
        return;
      case 'reserve':
        held.push((await service.reserve(actor, { orderRef: 'P', lines: [{ item: op.item, warehouse: op.wh, qty: op.qty }], idempotencyKey: idem() })).id);
        return;
      case 'release':
      case 'consume': {
        const id = held[op.pick % Math.max(held.length, 1)];
        if (id === undefined) return;
        await (op.kind === 'release' ? releaseReservation(db, actor, id) : consumeReservation(db, actor, id));
        return;
      }
    }
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
}

describe('ledger invariant under random operations', () => {
  it('holds after any sequence of postings and reservations, run partly concurrently', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), async (rounds) => {
        const actor = await companyWithWarehouses(db);
        for (const code of ITEMS) await item(db, actor, { code, unitCost: '5' });
        const service = new ReservationService(db);
        const held: number[] = [];
        // Operations within a round race each other; rounds run one after another.
        for (const round of rounds) await Promise.all(round.map((op) => apply(actor, service, held, op)));

        expect(await checkLedger(db)).toEqual([]);
        for (const code of ITEMS) {
          for (const w of (await stockOfItem(db, actor, code)).warehouses) {
            expect(Number(w.onHand)).toBeGreaterThanOrEqual(0);
            expect(Number(w.available)).toBeGreaterThanOrEqual(0);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
