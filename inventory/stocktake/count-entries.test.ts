import { describe, expect, it } from 'vitest';
import { resolveEntry, tally, type CountContext, type CountEntry, type ItemRef } from './count-entries.ts';

const SCREW: ItemRef = { id: 1, code: 'SCREW', tracking: 'none' };
const GLUE: ItemRef = { id: 2, code: 'GLUE', tracking: 'batch' };
const ctx = (over: Partial<CountContext> = {}): CountContext => ({
  itemsByCode: new Map<string, ItemRef>([['SCREW', SCREW], ['GLUE', GLUE]]),
  itemsByBarcode: new Map<string, ItemRef[]>([['690', [SCREW]], ['111', [SCREW, GLUE]]]),
  locations: new Map([['DEFAULT', 10], ['A-01', 11], ['B-01', 12]]),
  locationCodes: new Map([[10, 'DEFAULT'], [11, 'A-01'], [12, 'B-01']]),
  defaultLocationId: 10,
  scope: null,
  batches: new Map([['2:B1', 100]]),
  bookedAt: new Map([[1, [11]], [2, [10, 12]]]),
  ...over,
});
const e = (item: string, location: string | null = null, batch: string | null = null) => ({ item, location, batch });

describe('resolveEntry', () => {
  it.each([
    ['a barcode to its item, at the one place the book has it', e('690'), ctx(), { itemId: 1, locationId: 11, batchId: null }],
    ['an item not on the book to the default location of a whole-warehouse count', e('SCREW'), ctx({ bookedAt: new Map() }), { itemId: 1, locationId: 10, batchId: null }],
    ['anything to the only location counted', e('GLUE', null, 'B1'), ctx({ scope: [12] }), { itemId: 2, locationId: 12, batchId: 100 }],
  ])('resolves %s', (_name, entry, c, slot) => {
    expect(resolveEntry(entry, c)).toMatchObject({ ok: true, slot });
  });

  it.each([
    ['an unknown code', e('NOPE'), ctx(), ['item']],
    ['a barcode shared by two items', e('111', 'A-01'), ctx(), ['item']],
    ['a location outside the count', e('SCREW', 'B-01'), ctx({ scope: [11] }), ['location']],
    ['an item booked in two places, location not said', e('GLUE', null, 'B1'), ctx(), ['location']],
    ['a batch item without batch, at an unknown location', e('GLUE', 'Z-9'), ctx(), ['location', 'batch']],
    ['a batch on an item without batches', e('SCREW', 'A-01', 'B1'), ctx(), ['batch']],
  ])('refuses %s', (_name, entry, c, fields) => {
    const r = resolveEntry(entry, c);
    expect(r.ok ? [] : r.problems.map((p) => p.field)).toEqual(fields);
  });
});

describe('tally', () => {
  const slot = { itemId: 1, locationId: 11, batchId: null };
  const entry = (qty: bigint, mode: 'add' | 'set', voided = false): CountEntry => ({ entryId: 'x', item: 'SCREW', location: null, batch: null, qty, mode, voided });
  const run = (entries: CountEntry[]) => [...tally(entries.map((en) => ({ entry: en, resolution: { ok: true as const, slot, item: SCREW } }))).values()].map((v) => v.qty);

  it('adds scans, lets a set replace them, and ignores voided entries', () => {
    expect(run([entry(1_000000n, 'add'), entry(1_000000n, 'add')])).toEqual([2_000000n]);
    expect(run([entry(5_000000n, 'add'), entry(3_000000n, 'set'), entry(1_000000n, 'add')])).toEqual([4_000000n]);
    expect(run([entry(5_000000n, 'add'), entry(9_000000n, 'set', true)])).toEqual([5_000000n]);
    expect(run([entry(-1_000000n, 'add')])).toEqual([-1_000000n]);
  });
});
