import { describe, expect, it } from 'vitest';
import { abcClasses, ageBuckets, averageInventory, daysOfSupply, deadStockRatio, inventoryTurnover, isDead, stockoutRate, stockToSales } from './kpis.ts';

describe('KPIs on a hand-computed fixture', () => {
  // A month: opened with ¥12 000 of stock, closed with ¥8 000, issued ¥30 000 at cost.
  it('turnover is COGS over the average of opening and closing value', () => {
    expect(averageInventory(12_000, 8_000)).toBe(10_000);
    expect(inventoryTurnover(30_000, 12_000, 8_000)).toBe(3);
    expect(inventoryTurnover(500, 0, 0)).toBeNull();
  });

  it('stock-to-sales is ending value over the period’s sales', () => {
    expect(stockToSales(8_000, 32_000)).toBe(0.25);
    expect(stockToSales(8_000, 0)).toBeNull();
  });

  it('stockout rate counts order lines that could not be fully reserved', () => {
    expect(stockoutRate(3, 40)).toBe(0.075);
    expect(stockoutRate(0, 0)).toBeNull();
  });

  it('days of supply divides what is available by the trailing daily outbound', () => {
    // 90 out over 30 days = 3 a day; 42 available lasts 14 days.
    expect(daysOfSupply(42, 90, 30)).toBe(14);
    expect(daysOfSupply(42, 0, 30)).toBeNull();
  });

  it('dead stock is value with no outbound for N days, counting never-issued stock from its arrival', () => {
    const asOf = '2026-11-24';
    const positions = [
      { value: 600, lastOutboundOn: '2026-09-01', stockedSince: '2026-01-10' }, // 84 days since outbound: dead
      { value: 300, lastOutboundOn: '2026-11-20', stockedSince: '2026-01-10' }, // moving
      { value: 100, lastOutboundOn: null, stockedSince: '2026-11-01' }, // new arrival, 23 days: not dead
      { value: 1000, lastOutboundOn: null, stockedSince: '2026-05-01' }, // never went out, 207 days: dead
      { value: 0, lastOutboundOn: '2025-01-01', stockedSince: null }, // empty: ignored
    ];
    expect(isDead(positions[0]!, asOf, 60)).toBe(true);
    expect(isDead(positions[2]!, asOf, 60)).toBe(false);
    expect(deadStockRatio(positions, asOf, 60)).toBe(1600 / 2000);
    // Exactly 60 days is not yet "more than 60".
    expect(isDead({ value: 1, lastOutboundOn: '2026-09-25', stockedSince: null }, asOf, 60)).toBe(false);
    expect(deadStockRatio([], asOf, 60)).toBeNull();
  });

  it('ages stock by FIFO layers: what is on hand is what arrived last', () => {
    // 100 on hand worth ¥1 000 (¥10 each); receipts of 40 (10 days ago), 30 (60 days ago), 50 (120 days ago).
    const receipts = [
      { day: '2026-07-27', qty: 50 },
      { day: '2026-11-14', qty: 40 },
      { day: '2026-09-25', qty: 30 },
    ];
    expect(ageBuckets(100, 1000, receipts, '2026-11-24')).toEqual({ '0-30': 400, '31-90': 300, '91-180': 300, '>180': 0 });
    // More on hand than the receipts known: the rest is older than all of them.
    expect(ageBuckets(150, 1500, receipts.slice(1), '2026-11-24')).toEqual({ '0-30': 400, '31-90': 300, '91-180': 0, '>180': 800 });
    expect(ageBuckets(0, 0, receipts, '2026-11-24')).toEqual({ '0-30': 0, '31-90': 0, '91-180': 0, '>180': 0 });
  });

  it('classes items A/B/C by where their share of outbound value starts', () => {
    const classes = abcClasses([
      { key: 'bolt', outboundValue: 5_000 }, // 0 % → A
      { key: 'nut', outboundValue: 3_500 }, // starts at 50 % → A (crosses 80 %)
      { key: 'washer', outboundValue: 1_000 }, // starts at 85 % → B
      { key: 'pin', outboundValue: 400 }, // starts at 95 % → C
      { key: 'clip', outboundValue: 100 }, // 99 % → C
      { key: 'spare', outboundValue: 0 }, // never went out → C
    ]);
    expect(Object.fromEntries(classes)).toEqual({ bolt: 'A', nut: 'A', washer: 'B', pin: 'C', clip: 'C', spare: 'C' });
  });
});
