import { describe, expect, it } from 'vitest';
import { allocateFifo, allocateInOrder, fifoOrder, type StockSlot } from './allocation.ts';

const slot = (over: Partial<StockSlot> & { balanceId: number; available: bigint }): StockSlot => ({
  warehouseId: 1,
  locationId: 1,
  batchId: over.balanceId,
  expiryDate: null,
  receivedAt: null,
  ...over,
});
const opts = { today: '2026-11-24' };

describe('FIFO allocation', () => {
  it('takes the earliest expiry first, then the earliest receipt', () => {
    const slots = [
      slot({ balanceId: 1, available: 5n, expiryDate: '2027-03-01', receivedAt: '2026-01-01T00:00:00Z' }),
      slot({ balanceId: 2, available: 5n, expiryDate: '2026-12-31', receivedAt: '2026-06-01T00:00:00Z' }),
      slot({ balanceId: 3, available: 5n, expiryDate: null, receivedAt: '2025-01-01T00:00:00Z' }),
      slot({ balanceId: 4, available: 5n, expiryDate: '2026-12-31', receivedAt: '2026-02-01T00:00:00Z' }),
    ];
    expect(fifoOrder(slots, opts).map((s) => s.balanceId)).toEqual([4, 2, 1, 3]);
  });

  it('splits a quantity across batches and stops when covered', () => {
    const slots = [
      slot({ balanceId: 1, available: 3n, receivedAt: '2026-01-01T00:00:00Z' }),
      slot({ balanceId: 2, available: 10n, receivedAt: '2026-02-01T00:00:00Z' }),
      slot({ balanceId: 3, available: 10n, receivedAt: '2026-03-01T00:00:00Z' }),
    ];
    const got = allocateFifo(slots, 8n, opts);
    expect(got?.map((a) => [a.slot.balanceId, a.qty])).toEqual([
      [1, 3n],
      [2, 5n],
    ]);
  });

  it('never allocates an expired batch unless asked', () => {
    const slots = [slot({ balanceId: 1, available: 10n, expiryDate: '2026-11-23' }), slot({ balanceId: 2, available: 2n })];
    expect(allocateFifo(slots, 5n, opts)).toBeNull();
    expect(allocateFifo(slots, 5n, { ...opts, allowExpired: true })?.[0]?.slot.balanceId).toBe(1);
    // expiring today is still usable today
    expect(allocateFifo([slot({ balanceId: 3, available: 1n, expiryDate: '2026-11-24' })], 1n, opts)).not.toBeNull();
  });

  it('returns null rather than a partial allocation', () => {
    expect(allocateFifo([slot({ balanceId: 1, available: 4n })], 5n, opts)).toBeNull();
  });

  it('serves a burst in order, each all or nothing', () => {
    const slots = [slot({ balanceId: 1, available: 3n }), slot({ balanceId: 2, available: 2n })];
    const got = allocateInOrder(slots, [2n, 2n, 2n, 1n], opts);
    expect(got.map((g) => g?.map((a) => [a.slot.balanceId, a.qty]) ?? null)).toEqual([
      [[1, 2n]],
      [
        [1, 1n],
        [2, 1n],
      ],
      null,
      [[2, 1n]],
    ]);
    expect(slots[0]?.available).toBe(3n); // the caller's slots are not mutated
  });
});
