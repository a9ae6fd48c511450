import { describe, expect, it } from 'vitest';
import { slotKey } from './count-entries.ts';
import { mulRound, varianceLines, varianceTotals } from './variance.ts';
import { submissionIssues, submissionLines } from './submission.ts';

const M = 1_000_000n;
const s = (itemId: number, locationId: number, batchId: number | null = null) => ({ itemId, locationId, batchId });
const book = [
  { lineNo: 1, ...s(1, 11), book: 100n * M },
  { lineNo: 2, ...s(2, 10, 7), book: 20n * M },
  { lineNo: 3, ...s(3, 10), book: 4n * M },
];
const counted = new Map(
  [
    [s(1, 11), 97n * M],
    [s(2, 10, 7), 20n * M],
    [s(4, 11), 5n * M],
  ].map(([k, q]) => [slotKey(k as ReturnType<typeof s>), { slot: k as ReturnType<typeof s>, qty: q as bigint }]),
);
const cost = new Map([[1, 500_000n], [2, 10n * M], [3, 1n * M], [4, 2n * M]]);
const items = new Map([1, 2, 3, 4].map((id) => [id, { code: `I${id}`, unit: '个', unitPrecision: 0, tracking: 'none' as const }]));

describe('variance against the snapshot', () => {
  it('prices gains and losses, leaves uncounted lines open and adds found stock as 盘盈', () => {
    const lines = varianceLines(book, counted, cost, new Map([[slotKey(s(1, 11)), 90n * M]]));
    expect(lines.map((l) => [l.source, l.variance, l.value, l.movedSince])).toEqual([
      ['book', -3n * M, -1_500000n, -10n * M],
      ['book', 0n, 0n, -20n * M],
      ['book', null, null, -4n * M],
      ['found', 5n * M, 10n * M, 0n],
    ]);
    expect(varianceTotals(lines)).toMatchObject({ counted: 3, uncounted: 1, withVariance: 2, gainValue: 10n * M, lossValue: -1_500000n, netValue: 8_500000n });
  });

  it('takes uncounted lines as 0 only when asked', () => {
    const lines = varianceLines(book, counted, cost, new Map(), { uncountedAsZero: true });
    expect(lines[2]).toMatchObject({ counted: null, variance: -4n * M, value: -4n * M });
  });

  it('rounds values half away from zero', () => {
    expect(mulRound(1n, 500_000n)).toBe(1n);
    expect(mulRound(-1n, 500_000n)).toBe(-1n);
    expect(mulRound(-3n * M, 333_333n)).toBe(-999_999n);
  });
});

describe('submission', () => {
  const where = () => 'here';
  it('lists uncounted and negative lines and unplaced entries together', () => {
    const neg = new Map(counted);
    neg.set(slotKey(s(1, 11)), { slot: s(1, 11), qty: -1n * M });
    const lines = varianceLines(book, neg, cost, new Map());
    const issues = submissionIssues({ lines, items, entryProblems: [{ index: 4, field: 'item', message: 'unknown', zh: '未知' }], uncountedAsZero: false, where });
    expect(issues.map((i) => i.path)).toEqual(['counts[4].item', 'lines[0].qty', 'lines[2].qty']);
  });

  it('says so when nothing differs', () => {
    const lines = varianceLines([book[1]!], counted, cost, new Map()).filter((l) => l.source === 'book');
    expect(submissionIssues({ lines, items, entryProblems: [], uncountedAsZero: false, where }).map((i) => i.path)).toEqual(['lines']);
  });

  it('keeps a slot short here and over there as two lines, each at its location', () => {
    const lines = varianceLines(
      [{ lineNo: 1, ...s(1, 11), book: 10n * M }],
      new Map([[slotKey(s(1, 11)), { slot: s(1, 11), qty: 7n * M }], [slotKey(s(1, 12)), { slot: s(1, 12), qty: 3n * M }]]),
      cost,
      new Map(),
    );
    const codes = new Map([[11, 'A-01'], [12, 'B-02']]);
    expect(submissionLines(lines, items, cost, () => undefined, (l) => codes.get(l))).toEqual([
      { item: 'I1', qty: '-3', unitPrice: '0.5', location: 'A-01' },
      { item: 'I1', qty: '3', unitPrice: '0.5', location: 'B-02' },
    ]);
  });

  it('counts the request lines per item, location and batch against the limit of 200', () => {
    const many = Array.from({ length: 201 }, (_, i) => ({ lineNo: i + 1, ...s(1, 100 + i), book: 1n * M }));
    const lines = varianceLines(many, new Map(), cost, new Map(), { uncountedAsZero: true });
    const issues = submissionIssues({ lines, items, entryProblems: [], uncountedAsZero: true, where });
    expect(issues).toEqual([
      { path: 'lines', message: expect.stringContaining('201 lines (item × location × batch) differ; one request takes at most 200'), zh: expect.stringContaining('有 201 行') },
    ]);
  });
});
