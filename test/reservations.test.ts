import { beforeAll, describe, expect, it } from 'vitest';
import type { Database, Sql } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { IdempotencyConflictError, InsufficientStockError, NotFoundError, ReservationNotActiveError } from '../inventory/errors.ts';
import { updateItem } from '../inventory/master/items.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { consumeReservation } from '../inventory/reservations/consume.ts';
import { expireReservations } from '../inventory/reservations/expire.ts';
import { releaseReservation, releaseWhere } from '../inventory/reservations/release.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { loadReservations } from '../inventory/reservations/view.ts';
import type { PostedDocument } from '../inventory/posted-document.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

let db: Database;
let actor: Actor;
let service: ReservationService;

beforeAll(async () => {
  db = await freshDatabase();
  actor = await companyWithWarehouses(db);
  service = new ReservationService(db);
  await item(db, actor, { code: 'PCB', name: '电路板', unitCost: '12.5' });
  await item(db, actor, { code: 'OIL', name: '润滑油', unit: '瓶', tracking: 'batch' });
  await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'PCB', qty: 10 }], idempotencyKey: idem() });
  await postMovement(db, actor, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'PCB', qty: 4 }], idempotencyKey: idem() });
  await postMovement(db, actor, {
    type: 'receipt',
    warehouse: 'SH',
    lines: [
      { item: 'OIL', qty: 3, batch: 'O-2', expiryDate: '2027-09-01' },
      { item: 'OIL', qty: 3, batch: 'O-1', expiryDate: '2027-03-01' },
    ],
    idempotencyKey: idem(),
  });
});

const sh = async (code: string) => (await stockOfItem(db, actor, code)).warehouses.find((w) => w.warehouse === 'SH');

/**
 * Consumes reservation `id` while a release of it is written but not yet
 * committed: the consume still reads the reservation as active, its write then
 * waits for the row, and the release commits first.
 */
async function consumeWhileReleased(id: number): Promise<PostedDocument> {
  let consuming: Promise<PostedDocument> | undefined;
  await db.sql.begin(async (tx) => {
    await releaseWhere(tx as unknown as Sql, actor.companyId, [id], 'released');
    consuming = consumeReservation(db, actor, id);
    consuming.catch(() => undefined);
    await expect
      .poll(async () => (await db.sql`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`).length)
      .toBeGreaterThan(0);
  });
  if (!consuming) throw new Error('the consume never started');
  return consuming;
}

describe('reserving stock (预占)', () => {
  it('holds stock so that available drops while on hand stays', async () => {
    const r = await service.reserve(actor, { orderRef: 'SO-1', channel: 'tmall', lines: [{ item: 'PCB', warehouse: 'SH', qty: 3 }], idempotencyKey: idem() });
    expect(r).toMatchObject({ orderRef: 'SO-1', status: 'active', lines: [{ item: 'PCB', warehouse: 'SH', qty: '3' }] });
    expect(await sh('PCB')).toMatchObject({ onHand: '10', reserved: '3', available: '7' });
  });

  it('refuses more than is available and says how much is', async () => {
    const err = await service
      .reserve(actor, { orderRef: 'SO-2', lines: [{ item: 'PCB', warehouse: 'SH', qty: 8 }], idempotencyKey: idem() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect((err as InsufficientStockError).details).toMatchObject({ requested: '8', available: '7' });
  });

  it('holds the earliest-expiring batch first', async () => {
    const r = await service.reserve(actor, { orderRef: 'SO-3', lines: [{ item: 'OIL', warehouse: 'SH', qty: 4 }], idempotencyKey: idem() });
    expect(r.lines.map((l) => [l.batch, l.qty])).toEqual([
      ['O-1', '3'],
      ['O-2', '1'],
    ]);
  });

  it('takes from any warehouse when none is named', async () => {
    const r = await service.reserve(actor, { orderRef: 'SO-4', lines: [{ item: 'PCB', qty: 9 }], idempotencyKey: idem() });
    expect(r.lines.reduce((s, l) => s + Number(l.qty), 0)).toBe(9);
    expect((await stockOfItem(db, actor, 'PCB')).totals.available).toBe('2');
    await releaseReservation(db, actor, r.id);
  });

  it('is all or nothing across lines', async () => {
    const before = (await stockOfItem(db, actor, 'PCB')).totals;
    const err = await service
      .reserve(actor, {
        orderRef: 'SO-5',
        lines: [
          { item: 'PCB', warehouse: 'SH', qty: 1 },
          { item: 'OIL', warehouse: 'SH', qty: 100 },
        ],
        idempotencyKey: idem(),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientStockError);
    expect((await stockOfItem(db, actor, 'PCB')).totals).toEqual(before);
  });

  it('answers a retry with the same reservation and refuses a changed one', async () => {
    const key = idem('res');
    const input = { orderRef: 'SO-6', lines: [{ item: 'PCB', warehouse: 'SZ', qty: 1 }], idempotencyKey: key };
    const [a, b] = await Promise.all([service.reserve(actor, input), service.reserve(actor, input)]);
    expect(b).toEqual(a);
    expect((await stockOfItem(db, actor, 'PCB')).warehouses.find((w) => w.warehouse === 'SZ')?.reserved).toBe('1');
    await expect(service.reserve(actor, { ...input, lines: [{ item: 'PCB', warehouse: 'SZ', qty: 2 }] })).rejects.toBeInstanceOf(
      IdempotencyConflictError,
    );
  });
});

describe('answers', () => {
  it('answers a new reservation exactly as it reads back', async () => {
    await postMovement(db, actor, {
      type: 'receipt',
      warehouse: 'SZ',
      lines: [{ item: 'OIL', qty: 2, batch: 'O-0', expiryDate: '2027-01-01' }, { item: 'PCB', qty: 3 }],
      idempotencyKey: idem(),
    });
    const inputs = [
      { orderRef: 'SO-A1', channel: 'jd', lines: [{ item: 'OIL', qty: 3 }, { item: 'PCB', warehouse: 'SZ', qty: 1 }], expiresAt: new Date(Date.now() + 3_600_123).toISOString() },
      { orderRef: 'SO-A2', lines: [{ item: 'PCB', qty: 4 }] },
      { orderRef: 'SO-A3', lines: [{ item: 'OIL', warehouse: 'SH', qty: 1 }] },
    ];
    for (const raw of inputs) {
      const input = { ...raw, idempotencyKey: idem('answer') };
      const first = await service.reserve(actor, input);
      expect(first.lines.length).toBeGreaterThan(0);
      expect(await loadReservations(db.sql, actor.companyId, { ids: [first.id] })).toEqual([first]);
      expect(await service.reserve(actor, input)).toEqual(first);
      await releaseReservation(db, actor, first.id);
    }
  });
});

describe('releasing, consuming and expiring', () => {
  it('release gives the stock back, once', async () => {
    const r = await service.reserve(actor, { orderRef: 'SO-7', lines: [{ item: 'PCB', warehouse: 'SZ', qty: 2 }], idempotencyKey: idem() });
    const reserved = Number((await stockOfItem(db, actor, 'PCB')).totals.reserved);
    await releaseReservation(db, actor, r.id);
    const again = await releaseReservation(db, actor, r.id);
    expect(again.status).toBe('released');
    expect(Number((await stockOfItem(db, actor, 'PCB')).totals.reserved)).toBe(reserved - 2);
  });

  it('gives the stock back once when several release the same reservation at the same time', async () => {
    const r = await service.reserve(actor, { orderRef: 'SO-7B', lines: [{ item: 'PCB', warehouse: 'SH', qty: 3 }], idempotencyKey: idem() });
    const reserved = Number((await sh('PCB'))?.reserved);
    const answers = await Promise.all(Array.from({ length: 5 }, () => releaseReservation(db, actor, r.id)));
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill('released'));
    expect(Number((await sh('PCB'))?.reserved)).toBe(reserved - 3);
  });

  it('consume ships exactly what was held, once', async () => {
    const r = await service.reserve(actor, { orderRef: 'SO-8', lines: [{ item: 'OIL', warehouse: 'SH', qty: 2 }], idempotencyKey: idem() });
    const before = await sh('OIL');
    const doc = await consumeReservation(db, actor, r.id);
    expect(doc.document).toMatchObject({ type: 'issue', reference: 'SO-8' });
    expect(doc.movements.map((m) => [m.batch, m.qty])).toEqual([['O-2', '-2']]);
    const after = await sh('OIL');
    expect(Number(after?.onHand)).toBe(Number(before?.onHand) - 2);
    expect(Number(after?.reserved)).toBe(Number(before?.reserved) - 2);
    expect(after?.available).toBe(before?.available);
    expect(await consumeReservation(db, actor, r.id)).toEqual(doc);
    await expect(releaseReservation(db, actor, r.id)).rejects.toBeInstanceOf(ReservationNotActiveError);
  });

  it('an expired reservation gives its stock back', async () => {
    const r = await service.reserve(actor, {
      orderRef: 'SO-9',
      lines: [{ item: 'PCB', warehouse: 'SH', qty: 1 }],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      idempotencyKey: idem(),
    });
    const held = Number((await sh('PCB'))?.reserved);
    expect(await expireReservations(db, new Date(Date.now() + 120_000))).toBeGreaterThanOrEqual(1);
    expect(Number((await sh('PCB'))?.reserved)).toBe(held - 1);
    await expect(consumeReservation(db, actor, r.id)).rejects.toBeInstanceOf(ReservationNotActiveError);
  });

  it('a release that commits while a consume is on its way wins, and the consume ships nothing', async () => {
    // Another order keeps holding stock of the row, so that only the reservation's own status can refuse the consume.
    await service.reserve(actor, { orderRef: 'SO-10', lines: [{ item: 'PCB', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() });
    const r = await service.reserve(actor, { orderRef: 'SO-11', lines: [{ item: 'PCB', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() });
    const before = await sh('PCB');
    await expect(consumeWhileReleased(r.id)).rejects.toBeInstanceOf(ReservationNotActiveError);
    const after = await sh('PCB');
    expect(after?.onHand).toBe(before?.onHand);
    expect(Number(after?.reserved)).toBe(Number(before?.reserved) - 1);
    const [view] = await loadReservations(db.sql, actor.companyId, { ids: [r.id] });
    expect(view?.status).toBe('released');
  });

  it('says the reservation is no longer active when a release beat the consume to its only hold on the stock', async () => {
    await item(db, actor, { code: 'SOLO', name: '独占件' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'SOLO', qty: 5 }], idempotencyKey: idem() });
    const r = await service.reserve(actor, { orderRef: 'SO-12', lines: [{ item: 'SOLO', warehouse: 'SZ', qty: 2 }], idempotencyKey: idem() });
    const refusal = await consumeWhileReleased(r.id).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(ReservationNotActiveError);
    expect((await stockOfItem(db, actor, 'SOLO')).totals).toMatchObject({ onHand: '5', reserved: '0', available: '5' });
  });

  it('keeps the books balanced', async () => {
    expect(await checkLedger(db)).toEqual([]);
  });
});

describe('a hot item: each batch plans on what the one before left (its carry), and the write checks it', () => {
  // A long carry lifetime, so that a slow machine cannot turn these into fresh lookups.
  const hot = () => new ReservationService(db, { carryMs: 60_000 });
  const one = (svc: ReservationService, code: string, qty = 1) => svc.reserve(actor, { orderRef: `SO-${code}`, lines: [{ item: code, warehouse: 'SH', qty }], idempotencyKey: idem() });
  /** A batch-tracked item with 1 in `<code>-EARLY` and 10 in `<code>-LATE` (later expiry), in SH. */
  const earlyAndLate = async (code: string) => {
    await item(db, actor, { code, unit: '瓶', tracking: 'batch' });
    await postMovement(db, actor, {
      type: 'receipt',
      warehouse: 'SH',
      lines: [
        { item: code, qty: 1, batch: `${code}-EARLY`, expiryDate: '2027-01-01' },
        { item: code, qty: 10, batch: `${code}-LATE`, expiryDate: '2027-12-01' },
      ],
      idempotencyKey: idem(),
    });
  };

  it('still holds the earliest-expiring batch first when stock comes back to it between two reservations', async () => {
    const svc = hot();
    await earlyAndLate('GLUE');
    expect((await one(svc, 'GLUE')).lines.map((l) => l.batch)).toEqual(['GLUE-EARLY']);
    expect((await one(svc, 'GLUE')).lines.map((l) => l.batch)).toEqual(['GLUE-LATE']);
    expect(svc.stats).toMatchObject({ lookups: 1, carried: 1, carriesRefused: 0 });

    // A customer return puts two back into the early batch; the carry still says it is empty.
    await postMovement(db, actor, { type: 'receipt', reason: 'return', warehouse: 'SH', lines: [{ item: 'GLUE', qty: 2, batch: 'GLUE-EARLY' }], idempotencyKey: idem() });
    expect((await one(svc, 'GLUE')).lines.map((l) => l.batch)).toEqual(['GLUE-EARLY']);
    expect(svc.stats).toMatchObject({ lookups: 2, carried: 2, carriesRefused: 1 });
  });

  it('holds the early batch again when a release frees it between two reservations', async () => {
    const svc = hot();
    await earlyAndLate('INK');
    const early = await one(svc, 'INK');
    expect(early.lines.map((l) => l.batch)).toEqual(['INK-EARLY']);
    await releaseReservation(db, actor, early.id);
    expect((await one(svc, 'INK')).lines.map((l) => l.batch)).toEqual(['INK-EARLY']);
    expect(svc.stats.carriesRefused).toBe(1);
  });

  it('refuses with the true available quantity when stock was issued between two reservations', async () => {
    const svc = hot();
    await item(db, actor, { code: 'TAPE', unit: '卷' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'TAPE', qty: 10 }], idempotencyKey: idem() });
    await one(svc, 'TAPE', 3);
    await postMovement(db, actor, { type: 'issue', warehouse: 'SH', lines: [{ item: 'TAPE', qty: 6 }], idempotencyKey: idem() });
    const refused = await one(svc, 'TAPE', 2).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InsufficientStockError);
    expect((refused as InsufficientStockError).details).toMatchObject({ requested: '2', available: '1' });
  });

  it('refuses an item deactivated between two reservations', async () => {
    const svc = hot();
    await item(db, actor, { code: 'BOLT', unit: '个' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 10 }], idempotencyKey: idem() });
    await one(svc, 'BOLT');
    await updateItem(db, actor, 'BOLT', { active: false });
    await expect(one(svc, 'BOLT')).rejects.toBeInstanceOf(NotFoundError);
    expect(svc.stats.carriesRefused).toBe(1);
  });

  it('grants exactly the stock to a burst, batch after batch, and keeps the books balanced', async () => {
    const svc = hot();
    await item(db, actor, { code: 'CHIP', unit: '个' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'CHIP', qty: 500 }], idempotencyKey: idem() });
    // 20 callers, each reserving one after the other until refused.
    const granted = await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let n = 0; ; n++) {
          const refused = await one(svc, 'CHIP').then(() => null, (e: unknown) => e);
          if (refused) {
            expect(refused).toBeInstanceOf(InsufficientStockError);
            return n;
          }
        }
      }),
    );
    expect(granted.reduce((a, b) => a + b, 0)).toBe(500);
    expect(svc.stats.carried).toBeGreaterThan(svc.stats.lookups);
    expect(await checkLedger(db)).toEqual([]);
  });
});
