import type { Database } from '../../db/client.ts';
import type { Locale } from '../errors.ts';
import type { Person } from '../people.ts';
import { cellText } from './cells.ts';
import { headerOf, matchHeaders, type HeaderMap } from './columns.ts';
import { breathe, BREATHE_EVERY, type ImportKind, type ParsedRow, type RowProblem } from './kind.ts';
import { say } from './messages.ts';

/** A spreadsheet row as a reader hands it over: its number and its cells from column A on. */
export interface SheetRow {
  row: number;
  cells: readonly unknown[];
}

/** A problem as the user sees it: the spreadsheet row and the column header as written in the file. */
export interface RowError {
  row: number;
  column: string;
  message: string;
}

export interface PreviewResult<T> {
  total: number;
  valid: number;
  errors: RowError[];
  /** The columns found, in the kind's order: `header` as written in the file. */
  columns: { key: string; header: string }[];
  /** The first rows as read (text by column key), for the user to see that the columns were understood. */
  sample: { row: number; values: Record<string, string> }[];
  /** Every row that parsed; a commit writes these (only when there are no errors). */
  rows: ParsedRow<T>[];
}

/** Beyond this a file is refused: the preview holds every row in memory until it is committed. */
export const MAX_ROWS = 100_000;
const SAMPLE = 20;

/**
 * Reads a sheet row by row and checks every row the way the master verbs
 * would, then across rows and against the database. Writes nothing. Hands the
 * event loop back every few thousand rows.
 */
export async function previewRows<T>(
  kind: ImportKind<T>,
  source: AsyncIterable<SheetRow> | Iterable<SheetRow>,
  ctx: { db: Database; user: Person; locale: Locale },
): Promise<PreviewResult<T>> {
  const { locale } = ctx;
  let header: HeaderMap | null = null;
  let headerRow = 1;
  const problems: RowProblem[] = [];
  const rows: ParsedRow<T>[] = [];
  const sample: PreviewResult<T>['sample'] = [];
  let total = 0;
  let seen = 0;
  for await (const { row, cells } of source) {
    if (++seen % BREATHE_EVERY === 0) await breathe();
    const texts = cells.map(cellText);
    if (texts.every((t) => t === '')) continue;
    if (header === null) {
      header = matchHeaders(kind.columns, texts);
      headerRow = row;
      for (const c of header.missing) problems.push({ row, key: c.key, message: say(locale, 'missingColumn') });
      if (header.missing.length > 0) break;
      continue;
    }
    if (++total > MAX_ROWS) {
      problems.push({ row, key: '', message: say(locale, 'tooManyRows', { max: MAX_ROWS }) });
      total = MAX_ROWS;
      break;
    }
    const values: Record<string, string> = {};
    header.keys.forEach((key, i) => {
      if (key !== null) values[key] = texts[i] ?? '';
    });
    if (sample.length < SAMPLE) sample.push({ row, values });
    const parsed = kind.parseRow(values, locale);
    if ('value' in parsed) rows.push({ row, value: parsed.value });
    else for (const p of parsed.problems) problems.push({ row, ...p });
  }
  if (header === null) {
    return { total: 0, valid: 0, errors: [{ row: 1, column: '', message: say(locale, 'noHeader') }], columns: [], sample: [], rows: [] };
  }
  if (header.missing.length === 0 && rows.length > 0) problems.push(...(await kind.check(ctx.db, ctx.user, rows, locale)));

  const map = header;
  const order = new Map(kind.columns.map((c, i) => [c.key, i]));
  const headerFor = (key: string) => {
    const column = kind.columns.find((c) => c.key === key);
    return map.written.get(key) ?? (column ? headerOf(column, locale) : key);
  };
  problems.sort((a, b) => a.row - b.row || (order.get(a.key) ?? 99) - (order.get(b.key) ?? 99));
  const badRows = new Set(problems.filter((p) => p.row !== headerRow).map((p) => p.row));
  return {
    total,
    valid: header.missing.length > 0 ? 0 : total - badRows.size,
    errors: problems.map((p) => ({ row: p.row, column: p.key ? headerFor(p.key) : '', message: p.message })),
    columns: kind.columns.filter((c) => map.written.has(c.key)).map((c) => ({ key: c.key, header: headerFor(c.key) })),
    sample,
    rows,
  };
}
