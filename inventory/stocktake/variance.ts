import type { Micro } from '../decimal.ts';
import { slotKey, type SlotKey } from './count-entries.ts';

const MICRO = 1_000_000n;

export interface BookLine extends SlotKey {
  lineNo: number;
  book: Micro;
}

export interface VarianceLine extends SlotKey {
  /** book: on the book at the snapshot; found: not on the book, found by counting (盘盈). */
  source: 'book' | 'found';
  book: Micro;
  /** null: nobody counted it (yet). */
  counted: Micro | null;
  /** counted − book; null while uncounted (unless uncounted lines are taken as 0). */
  variance: Micro | null;
  /** variance × unit cost, rounded half away from zero to 6 decimals. */
  value: Micro | null;
  /** How much the book changed since the snapshot (now − snapshot). */
  movedSince: Micro;
}

export interface VarianceTotals {
  lines: number;
  counted: number;
  uncounted: number;
  withVariance: number;
  gainLines: number;
  lossLines: number;
  gainValue: Micro;
  lossValue: Micro;
  netValue: Micro;
  moved: number;
}

/** Rounds a product of two micro values (scale 10^12) back to micro, half away from zero. */
export function mulRound(a: Micro, b: Micro): Micro {
  const p = a * b;
  const half = MICRO / 2n;
  return p >= 0n ? (p + half) / MICRO : -((-p + half) / MICRO);
}

/**
 * The variance sheet. Variance is counted − book at the snapshot, not the book
 * at submit time: the counter matched the shelf against the moment the count
 * began, and the approved variance is posted as a delta, so a receipt booked
 * while counting must not turn into a fake 盘盈 (nor an issue into a 盘亏).
 * Lines whose book moved since the snapshot carry `movedSince` so the page can
 * warn and the approver can judge (or the slot be recounted with `set`).
 */
export function varianceLines(
  book: readonly BookLine[],
  counted: ReadonlyMap<string, { slot: SlotKey; qty: Micro }>,
  unitCost: ReadonlyMap<number, Micro>,
  bookNow: ReadonlyMap<string, Micro>,
  opts: { uncountedAsZero?: boolean } = {},
): VarianceLine[] {
  const line = (slot: SlotKey, source: 'book' | 'found', bookQty: Micro): VarianceLine => {
    const key = slotKey(slot);
    const c = counted.get(key)?.qty ?? (opts.uncountedAsZero ? 0n : null);
    const variance = c === null ? null : c - bookQty;
    return {
      itemId: slot.itemId,
      locationId: slot.locationId,
      batchId: slot.batchId,
      source,
      book: bookQty,
      counted: counted.get(key)?.qty ?? null,
      variance,
      value: variance === null ? null : mulRound(variance, unitCost.get(slot.itemId) ?? 0n),
      movedSince: (bookNow.get(key) ?? 0n) - bookQty,
    };
  };
  const onBook = new Set(book.map((b) => slotKey(b)));
  return [
    ...[...book].sort((a, b) => a.lineNo - b.lineNo).map((b) => line(b, 'book', b.book)),
    ...[...counted.values()].filter((c) => !onBook.has(slotKey(c.slot))).map((c) => line(c.slot, 'found', 0n)),
  ];
}

export function varianceTotals(lines: readonly VarianceLine[]): VarianceTotals {
  const t: VarianceTotals = { lines: lines.length, counted: 0, uncounted: 0, withVariance: 0, gainLines: 0, lossLines: 0, gainValue: 0n, lossValue: 0n, netValue: 0n, moved: 0 };
  for (const l of lines) {
    if (l.counted === null) t.uncounted++;
    else t.counted++;
    if (l.movedSince !== 0n) t.moved++;
    if (l.variance === null || l.variance === 0n) continue;
    t.withVariance++;
    if (l.variance > 0n) {
      t.gainLines++;
      t.gainValue += l.value ?? 0n;
    } else {
      t.lossLines++;
      t.lossValue += l.value ?? 0n;
    }
  }
  t.netValue = t.gainValue + t.lossValue;
  return t;
}
