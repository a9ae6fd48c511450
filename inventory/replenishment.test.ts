import { describe, expect, it } from 'vitest';
import { parseMicro } from './decimal.ts';
import { suggestPurchaseQty, suggestSafetyStock } from './replenishment.ts';

const m = (v: string | number) => parseMicro(v)!;
const base = { available: m(30), incoming: 0n, safetyStock: m(100), reorderPoint: null, moq: null, packSize: null };

describe('suggested purchase quantity', () => {
  it('fills up to the safety stock when no reorder point is set', () => {
    expect(suggestPurchaseQty(base)).toBe(m(70));
  });
  it('fills up to the reorder point when it is above the safety stock, counting what is on the way', () => {
    expect(suggestPurchaseQty({ ...base, reorderPoint: m(250), incoming: m(20) })).toBe(m(200));
  });
  it('orders at least the MOQ, rounded up to whole packs of 24', () => {
    expect(suggestPurchaseQty({ ...base, moq: m(100) })).toBe(m(100));
    expect(suggestPurchaseQty({ ...base, packSize: m(24) })).toBe(m(72));
    expect(suggestPurchaseQty({ ...base, moq: m(100), packSize: m(24) })).toBe(m(120));
  });
  it('handles fractional units (kg) exactly', () => {
    expect(suggestPurchaseQty({ ...base, available: m('12.5'), safetyStock: m('20'), packSize: m('2.5') })).toBe(m('7.5'));
  });
  it('suggests nothing when stock is back at the level', () => {
    expect(suggestPurchaseQty({ ...base, available: m(100) })).toBe(0n);
    expect(suggestPurchaseQty({ ...base, available: m(80), incoming: m(30) })).toBe(0n);
  });
});

describe('suggested safety stock', () => {
  it('is z × σ of daily outbound × √ lead time, computed from the window’s sums', () => {
    // 28 days: 10 out on 14 of them, 30 out on the other 14 → mean 20, sample σ = √(14·100·2 / 27) ≈ 10.18.
    const sum = 14 * 10 + 14 * 30;
    const sumSquares = 14 * 100 + 14 * 900;
    // 1.65 × 10.18 × √9 = 50.4 → 51.
    expect(suggestSafetyStock({ days: 28, sum, sumSquares, leadTimeDays: 9 })).toBe(51);
    // Steady demand needs no buffer against variation.
    expect(suggestSafetyStock({ days: 28, sum: 28 * 5, sumSquares: 28 * 25, leadTimeDays: 9 })).toBe(0);
  });
  it('says nothing on too short a history or without a lead time', () => {
    expect(suggestSafetyStock({ days: 7, sum: 70, sumSquares: 900, leadTimeDays: 5 })).toBeNull();
    expect(suggestSafetyStock({ days: 90, sum: 70, sumSquares: 900, leadTimeDays: 0 })).toBeNull();
  });
});
