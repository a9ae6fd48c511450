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
  location: string;
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
  entryProblems: readonly { index: number; field: string; message: string; zh: string }[];
  uncountedAsZero: boolean;
  where: (l: VarianceLine) => string;
}): Issue[] {
  const issues: Issue[] = input.entryProblems.map((p) => ({ path: `counts[${p.index}].${p.field}`, message: p.message, zh: p.zh }));
  input.lines.forEach((l, i) => {
    const item = input.items.get(l.itemId);
    const path = `lines[${i}]`;
    if (!item) return;
    if (l.counted === null) {
      if (!input.uncountedAsZero) issues.push({ path: `${path}.qty`, message: `${item.code} at ${input.where(l)} was not counted; count it, or submit with uncountedAsZero to take it as 0`, zh: `${item.code}（${input.where(l)}）未盘点：请盘点，或选择「未盘按 0 计」后提交` });
      return;
    }
    if (l.counted < 0n) issues.push({ path: `${path}.qty`, message: `${item.code} at ${input.where(l)} is counted ${formatMicro(l.counted)} ${item.unit}; a count cannot be below 0`, zh: `${item.code}（${input.where(l)}）实盘 ${formatMicro(l.counted)} ${item.unit}，实盘数不能小于 0` });
    else if (decimalPlaces(l.counted) > item.unitPrecision) {
      issues.push({ path: `${path}.qty`, message: `${item.code} is counted ${formatMicro(l.counted)} ${item.unit}; it allows ${item.unitPrecision} decimal place(s)`, zh: `${item.code} 实盘 ${formatMicro(l.counted)} ${item.unit}，最多 ${item.unitPrecision} 位小数` });
    }
    if (item.tracking === 'batch' && l.batchId === null && l.variance !== null && l.variance !== 0n) {
      issues.push({ path: `${path}.batch`, message: `${item.code} is batch-tracked: its stock without a batch cannot be adjusted; count it by batch`, zh: `${item.code} 按批次管理：不能调整无批次的库存，请按批次盘点` });
    }
    if (item.tracking === 'serial' && l.variance !== null && l.variance !== 0n) {
      issues.push({ path: `${path}.item`, message: `${item.code} is serial-tracked: a variance needs the serial numbers; adjust it with a serial movement instead`, zh: `${item.code} 按序列号管理：差异需要逐个序列号处理，请改用序列号调整` });
    }
  });
  if (issues.length === 0) {
    const varied = variedLines(input.lines).length;
    if (varied === 0) issues.push({ path: 'lines', message: 'every counted quantity matches the book: there is no variance to submit (cancel the stocktake to close it)', zh: '实盘与账面全部相符，没有差异可提交（如需结束请取消盘点）' });
    if (varied > MAX_REQUEST_LINES) {
      issues.push({ path: 'lines', message: `${varied} lines (item × location × batch) differ; one request takes at most ${MAX_REQUEST_LINES}: split the count by location or category`, zh: `有 ${varied} 行（物料 × 库位 × 批次）存在差异，一张审批单最多 ${MAX_REQUEST_LINES} 行：请按库位或分类拆分盘点` });
    }
  }
  return issues;
}

/**
 * The lines the request carries: one per counted slot (item × location ×
 * batch) that differs from the book, in sheet order. Nothing is netted: the
 * adjustment posts each line at its own location, so goods on the wrong
 * shelf show as a loss here and a gain there, as the keeper counted them.
 */
export function variedLines(lines: readonly VarianceLine[]): (VarianceLine & { variance: Micro })[] {
  return lines.filter((l): l is VarianceLine & { variance: Micro } => l.variance !== null && l.variance !== 0n);
}

/** Request lines priced at the unit cost the variance report used, so the request amount is the report's value. */
export function submissionLines(
  lines: readonly VarianceLine[],
  items: ReadonlyMap<number, LineItem>,
  unitCost: ReadonlyMap<number, Micro>,
  batchNo: (batchId: number) => string | undefined,
  locationCode: (locationId: number) => string | undefined,
): SubmissionLine[] {
  return variedLines(lines).map((l) => {
    const location = locationCode(l.locationId);
    // The sheet reads every location of the warehouse; a slot without one is a data bug, not a user error.
    if (location === undefined) throw new Error(`stocktake line at unknown location ${l.locationId}`);
    const batch = l.batchId === null ? undefined : batchNo(l.batchId);
    return {
      item: items.get(l.itemId)?.code ?? String(l.itemId),
      qty: formatMicro(l.variance),
      unitPrice: formatMicro(unitCost.get(l.itemId) ?? 0n),
      location,
      ...(batch ? { batch } : {}),
    };
  });
}
