import { formatMicro } from '../decimal.ts';
import type { Locale } from '../errors.ts';
import { canSeeCost, type Person } from '../people.ts';
import { seesBook } from './access.ts';
import type { Sheet, StocktakeHeader } from './sheet.ts';
import { submissionIssues } from './submission.ts';
import type { VarianceLine } from './variance.ts';

/** "A-01 / 批次 B1" — where a line is, for messages. */
export function describeSlot(sheet: Sheet, l: VarianceLine): string {
  const loc = sheet.locationCodes.get(l.locationId) ?? String(l.locationId);
  const batch = l.batchId === null ? null : sheet.batches.get(l.batchId)?.batchNo;
  return batch ? `${loc} batch ${batch}` : loc;
}

const f = (v: bigint | null): string | null => (v === null ? null : formatMicro(v));

export function headerView(h: StocktakeHeader) {
  return {
    id: h.id,
    stocktakeNo: h.stocktakeNo,
    warehouse: { code: h.warehouseCode, name: h.warehouseName },
    locations: h.locationCodes,
    category: h.category,
    blind: h.blind,
    note: h.note,
    status: h.status,
    request: h.requestId === null ? null : { id: h.requestId, requestNo: h.requestNo, status: h.requestStatus },
    createdBy: h.createdBy,
    snapshotAt: h.snapshotAt,
    submittedAt: h.submittedAt,
    cancelledAt: h.cancelledAt,
  };
}

function lineView(sheet: Sheet, l: VarianceLine, i: number, showBook: boolean, showValue: boolean) {
  const item = sheet.items.get(l.itemId);
  const batch = l.batchId === null ? null : sheet.batches.get(l.batchId);
  return {
    line: i,
    item: { code: item?.code ?? '', name: item?.name ?? '', spec: item?.spec ?? null, unit: item?.unit ?? '' },
    location: sheet.locationCodes.get(l.locationId) ?? '',
    batch: batch?.batchNo ?? null,
    expiryDate: batch?.expiryDate ?? null,
    source: l.source,
    counted: f(l.counted),
    uncounted: l.counted === null,
    book: showBook ? formatMicro(l.book) : null,
    variance: showBook ? f(l.variance) : null,
    unitCost: showValue ? formatMicro(sheet.unitCost.get(l.itemId) ?? 0n) : null,
    value: showValue ? f(l.value) : null,
    /** How much the book changed since the snapshot: the count may have caught stock in motion. */
    movedSinceSnapshot: showBook && l.movedSince !== 0n ? formatMicro(l.movedSince) : null,
  };
}

function countView(sheet: Sheet, i: number, locale: Locale) {
  const e = sheet.entries[i];
  if (!e) return null;
  return {
    index: i,
    entryId: e.entryId,
    /** As scanned or typed (a barcode, a code). */
    item: e.item,
    /** The item it was matched to, so the counter sees a name rather than a barcode. */
    matched: e.resolution.ok ? { code: e.resolution.item.code, name: sheet.items.get(e.resolution.item.id)?.name ?? e.resolution.item.code } : null,
    location: e.location,
    batch: e.batch,
    qty: formatMicro(e.qty),
    mode: e.mode,
    voided: e.voided,
    countedBy: e.countedBy,
    countedAt: e.countedAt,
    problem: e.voided || e.resolution.ok ? null : e.resolution.problems.map((p) => (locale === 'zh-CN' ? p.zh : p.message)).join(locale === 'zh-CN' ? '；' : '; '),
  };
}

/** The count sheet: what to count, what was counted, and (when the viewer may see it) the book. */
export function sheetView(user: Person, h: StocktakeHeader, sheet: Sheet, locale: Locale) {
  const showBook = seesBook(user, h);
  return {
    ...headerView(h),
    bookVisible: showBook,
    summary: { lines: sheet.totals.lines, counted: sheet.totals.counted, uncounted: sheet.totals.uncounted, problems: sheet.entryProblems.length, moved: showBook ? sheet.totals.moved : null },
    lines: sheet.lines.map((l, i) => lineView(sheet, l, i, showBook, false)),
    counts: sheet.entries.map((_, i) => countView(sheet, i, locale)),
  };
}

/**
 * 盘盈盘亏: per line book, counted, variance and value, with totals. Values only
 * for roles that see cost, and only when the book itself may be seen.
 * `problems` is what submit would refuse today; `warnings` the lines whose
 * book moved after the snapshot.
 */
export function varianceView(user: Person, h: StocktakeHeader, sheet: Sheet, uncountedAsZero: boolean, locale: Locale) {
  const showBook = seesBook(user, h);
  const showValue = showBook && canSeeCost(user);
  const t = sheet.totals;
  const problems =
    h.status === 'counting'
      ? submissionIssues({ lines: sheet.lines, items: sheet.items, entryProblems: sheet.entryProblems, uncountedAsZero, where: (l) => describeSlot(sheet, l) })
          // A blind counter must not learn the variance from the wording of a problem.
          .filter((p) => showBook || p.path.startsWith('counts[') || p.path.endsWith('.qty'))
          .map((p) => ({ path: p.path, message: locale === 'zh-CN' ? (p.zh ?? p.message) : p.message }))
      : [];
  const warnings = showBook
    ? sheet.lines.flatMap((l, i) =>
        l.movedSince === 0n
          ? []
          : [
              {
                path: `lines[${i}]`,
                message:
                  locale === 'zh-CN'
                    ? `${sheet.items.get(l.itemId)?.code}（${describeSlot(sheet, l)}）的账面在快照后变动了 ${formatMicro(l.movedSince)}，请核对实盘`
                    : `the book of ${sheet.items.get(l.itemId)?.code} at ${describeSlot(sheet, l)} changed by ${formatMicro(l.movedSince)} since the snapshot; check the count`,
              },
            ],
      )
    : [];
  return {
    ...headerView(h),
    bookVisible: showBook,
    valueVisible: showValue,
    uncountedAsZero,
    lines: sheet.lines.map((l, i) => lineView(sheet, l, i, showBook, showValue)),
    totals: {
      lines: t.lines,
      counted: t.counted,
      uncounted: t.uncounted,
      withVariance: showBook ? t.withVariance : null,
      gainLines: showBook ? t.gainLines : null,
      lossLines: showBook ? t.lossLines : null,
      gainValue: showValue ? formatMicro(t.gainValue) : null,
      lossValue: showValue ? formatMicro(t.lossValue) : null,
      netValue: showValue ? formatMicro(t.netValue) : null,
    },
    problems,
    warnings,
  };
}
