import type { Locale } from '../errors.ts';

/**
 * One spreadsheet column of an import (or export): the key the rows use, the
 * header in both languages, and for the template what the column allows.
 * Each kind keeps its columns in one table, so a header word exists once.
 */
export interface Column<K extends string = string> {
  key: K;
  zh: string;
  en: string;
  required?: boolean;
  /** What the column allows, shown on the template's notes sheet. */
  note?: Record<Locale, string>;
  /** The template's example row. */
  example?: string;
}

export const headerOf = (column: Pick<Column, 'zh' | 'en'>, locale: Locale): string => (locale === 'en' ? column.en : column.zh);

/** Headers compare without case, spaces, underscores or a trailing "*" (the template marks required columns so). */
const fold = (header: string): string => header.normalize('NFKC').toLowerCase().replace(/[\s_*＊()（）-]/g, '');

export interface HeaderMap {
  /** Column key per cell index of the header row (null: a column we do not know, ignored). */
  keys: (string | null)[];
  /** The header as the user wrote it, per key: errors name the column the way the user sees it. */
  written: Map<string, string>;
  missing: Column[];
  unknown: string[];
}

/** Reads a header row in Chinese, English or a mix of both. */
export function matchHeaders(columns: readonly Column[], cells: readonly string[]): HeaderMap {
  const byWord = new Map<string, Column>();
  for (const c of columns) {
    byWord.set(fold(c.zh), c);
    byWord.set(fold(c.en), c);
    byWord.set(fold(c.key), c);
  }
  const written = new Map<string, string>();
  const unknown: string[] = [];
  const keys = cells.map((cell) => {
    const text = cell.trim();
    if (!text) return null;
    const column = byWord.get(fold(text));
    if (!column || written.has(column.key)) {
      unknown.push(text);
      return null;
    }
    written.set(column.key, text);
    return column.key;
  });
  const missing = columns.filter((c) => c.required && !written.has(c.key));
  return { keys, written, missing, unknown };
}
