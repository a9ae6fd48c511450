import { describe, expect, it } from 'vitest';
import { parseMicro } from './decimal.ts';
import { suggestPurchaseQty } from './replenishment.ts';

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
