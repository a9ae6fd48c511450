import ExcelJS from 'exceljs';
import type { Locale } from '../errors.ts';
import { headerOf } from './columns.ts';
import type { ImportKind } from './kind.ts';

const WORDS = {
  'zh-CN': { notes: '说明', column: '列', required: '必填', allows: '填写说明', yes: '是', no: '否' },
  en: { notes: 'Notes', column: 'Column', required: 'Required', allows: 'What it allows', yes: 'yes', no: 'no' },
} as const;

/**
 * The template of an import: the data sheet (header row and one example row)
 * first, so it is the sheet an import reads, then a notes sheet saying what
 * each column allows.
 */
export async function importTemplate(kind: ImportKind<unknown>, locale: Locale): Promise<Uint8Array> {
  const w = WORDS[locale];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'StockPilot';
  const data = wb.addWorksheet(kind.sheet[locale]);
  data.columns = kind.columns.map((c) => ({ header: headerOf(c, locale), key: c.key, width: Math.max(12, headerOf(c, locale).length * 2 + 2) }));
  data.getRow(1).font = { bold: true };
  data.views = [{ state: 'frozen', ySplit: 1 }];
  data.addRow(Object.fromEntries(kind.columns.map((c) => [c.key, c.example ?? ''])));
  // Codes such as 00123 must stay text, not become the number 123.
  for (const c of data.columns) c.numFmt = '@';

  const notes = wb.addWorksheet(w.notes);
  notes.columns = [
    { header: w.column, key: 'column', width: 22 },
    { header: w.required, key: 'required', width: 8 },
    { header: w.allows, key: 'allows', width: 80 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of kind.columns) notes.addRow({ column: headerOf(c, locale), required: c.required ? w.yes : w.no, allows: c.note?.[locale] ?? '' });
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
