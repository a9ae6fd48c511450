import type { z } from 'zod';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import type { Locale } from '../errors.ts';
import type { Person } from '../people.ts';
import type { Role } from '../roles.ts';
import type { Column } from './columns.ts';
import { localizeMessage, zodErrorMap } from './messages.ts';

export const IMPORT_KINDS = ['items', 'opening-stock', 'employees'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

/** A row's text by column key ('' for a blank cell). */
export type Cells = Readonly<Record<string, string>>;

/** A problem with one row, naming the column by key; the header as written is filled in at the end. */
export interface RowProblem {
  row: number;
  key: string;
  message: string;
}

export interface ParsedRow<T> {
  /** The spreadsheet row number (the header is row 1 in a template). */
  row: number;
  value: T;
}

export type RowResult<T> = { value: T } | { problems: Omit<RowProblem, 'row'>[] };

/** Reports how many rows a writer has written so far. */
export type Progress = (done: number) => void;

/**
 * One kind of import: its column table, who may run it, how a row becomes the
 * master verb's input (the verb's own schema, so the rules exist once), the
 * checks across rows and against the database, and the writer.
 */
export interface ImportKind<T> {
  name: ImportKindName;
  columns: readonly Column[];
  sheet: Record<Locale, string>;
  /** Besides admin, who may import this kind. */
  roles: readonly Role[];
  parseRow(cells: Cells, locale: Locale): RowResult<T>;
  /** Duplicates within the file, against the database, unknown codes, scope. Reads, never writes. */
  check(db: Database, user: Person, rows: readonly ParsedRow<T>[], locale: Locale): Promise<RowProblem[]>;
  /** Writes every row in one transaction, or nothing. `key` is unique per commit (idempotency). */
  write(db: Database, actor: Actor, rows: readonly T[], progress: Progress, key: string): Promise<void>;
}

/** Parses with a master schema; its issues become problems of the columns they name. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, locale: Locale, columnOf: (field: string) => string): RowResult<z.infer<S>> {
  const result = schema.safeParse(input, { error: zodErrorMap(locale) });
  if (result.success) return { value: result.data };
  return {
    problems: result.error.issues.map((i) => ({ key: columnOf(String(i.path[0] ?? '')), message: localizeMessage(i.message, locale) })),
  };
}

/** Rows repeating a value of an earlier row: the first occurrence wins, the repeats are problems. */
export function repeats<T>(rows: readonly ParsedRow<T>[], valueOf: (v: T) => string | undefined | null): { row: number; value: string; first: number }[] {
  const seen = new Map<string, number>();
  const out: { row: number; value: string; first: number }[] = [];
  for (const r of rows) {
    const v = valueOf(r.value);
    if (v === undefined || v === null || v === '') continue;
    const first = seen.get(v);
    if (first === undefined) seen.set(v, r.row);
    else out.push({ row: r.row, value: v, first });
  }
  return out;
}

/** Hands the event loop back now and then, so that a long import never stalls other requests. */
export const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export const BREATHE_EVERY = 2000;
