import { decimalPlaces, formatMicro, type Micro } from '../decimal.ts';
import type { Issue } from '../errors.ts';
import type { VarianceLine } from './variance.ts';

/** What submit needs to know about each line's item. */
export interface LineItem {
  code: string;
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'batch' | 'serial';
}

export interface SubmissionLine {
  item: string;
  qty: string;
  unitPrice: string;
  batch?: string;
}

/** A request holds at most this many lines (requestInputSchema). */
export const MAX_REQUEST_LINES = 200;

/**
 * Everything that stands between the count and its request, all at once.
 * Paths point into the sheet the page shows: `lines[i]` (the variance lines in
 * order) and `counts[i]` (the entries as recorded).
 */
export function submissionIssues(input: {
  lines: readonly VarianceLine[];
  items: ReadonlyMap<number, LineItem>;
  entryProblems: readonly { index: number; field: string; message: string }[];
  uncountedAsZero: boolean;
  where: (l: VarianceLine) => string;
}): Issue[] {
  const issues: Issue[] = input.entryProblems.map((p) => ({ path: `counts[${p.index}].${p.field}`, message: p.message }));
  input.lines.forEach((l, i) => {
    const item = input.items.get(l.itemId);
    const path = `lines[${i}]`;
    if (!item) return;
    if (l.counted === null) {
      if (!input.uncountedAsZero) issues.push({ path: `${path}.qty`, message: `${item.code} at ${input.where(l)} was not counted; count it, or submit with uncountedAsZero to take it as 0` });
      return;
    }
    if (l.counted < 0n) issues.push({ path: `${path}.qty`, message: `${item.code} at ${input.where(l)} is counted ${formatMicro(l.counted)} ${item.unit}; a count cannot be below 0` });
    else if (decimalPlaces(l.counted) > item.unitPrecision) {
      issues.push({ path: `${path}.qty`, message: `${item.code} is counted ${formatMicro(l.counted)} ${item.unit}; it allows ${item.unitPrecision} decimal place(s)` });
    }
    if (item.tracking === 'batch' && l.batchId === null && l.variance !== null && l.variance !== 0n) {
      issues.push({ path: `${path}.batch`, message: `${item.code} is batch-tracked: its stock without a batch cannot be adjusted; count it by batch` });
    }
    if (item.tracking === 'serial' && l.variance !== null && l.variance !== 0n) {
      issues.push({ path: `${path}.item`, message: `${item.code} is serial-tracked: a variance needs the serial numbers; adjust it with a serial movement instead` });
    }
  });
  if (issues.length === 0) {
    const net = netVariance(input.lines, input.items);
    if (net.length === 0) issues.push({ path: 'lines', message: 'every counted quantity matches the book: there is no variance to submit (cancel the stocktake to close it)' });
    if (net.length > MAX_REQUEST_LINES) {
      issues.push({ path: 'lines', message: `${net.length} items/batches differ; one request takes at most ${MAX_REQUEST_LINES}: split the count by location or category` });
    }
  }
  return issues;
}

/**
 * The request lines: variance netted per item and batch. The request and the
 * adjustment it posts carry no location, so a slot short here and over there
 * (goods put on the wrong shelf) nets out instead of posting both ways.
 */
export function netVariance(lines: readonly VarianceLine[], items: ReadonlyMap<number, LineItem>, batchNo?: (batchId: number) => string | undefined): { itemId: number; batchId: number | null; qty: Micro; item: string; batch?: string }[] {
  const net = new Map<string, { itemId: number; batchId: number | null; qty: Micro }>();
  for (const l of lines) {
    if (l.variance === null || l.variance === 0n) continue;
    const key = `${l.itemId}:${l.batchId ?? ''}`;
    const prev = net.get(key);
    net.set(key, { itemId: l.itemId, batchId: l.batchId, qty: (prev?.qty ?? 0n) + l.variance });
  }
  return [...net.values()]
    .filter((n) => n.qty !== 0n)
    .map((n) => {
      const batch = n.batchId === null ? undefined : batchNo?.(n.batchId);
      return { ...n, item: items.get(n.itemId)?.code ?? String(n.itemId), ...(batch ? { batch } : {}) };
    });
}

/** Request lines priced at the unit cost the variance report used, so the request amount is the report's value. */
export function submissionLines(
  lines: readonly VarianceLine[],
  items: ReadonlyMap<number, LineItem>,
  unitCost: ReadonlyMap<number, Micro>,
  batchNo: (batchId: number) => string | undefined,
): SubmissionLine[] {
  return netVariance(lines, items, batchNo).map((n) => ({
    item: n.item,
    qty: formatMicro(n.qty),
    unitPrice: formatMicro(unitCost.get(n.itemId) ?? 0n),
    ...(n.batch ? { batch: n.batch } : {}),
  }));
}
