/**
 * Spreadsheet cells → text. exceljs hands back strings, numbers, booleans,
 * dates, rich text, formulas (with their cached result), hyperlinks and error
 * values; CSV hands back strings. Rows are validated as text, the way the
 * user typed them, so both formats follow the same rules.
 */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if (typeof v.error === 'string') return v.error;
  }
  return String(value).trim();
}

/** Binary floating point shows through in sums (0.30000000000000004); six decimals is all the ledger keeps. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toFixed(6)));
}

/** A list cell: "A, B；C" → [A, B, C]; commas, semicolons and 、 in either width, or new lines. */
export const splitList = (text: string): string[] =>
  text
    .split(/[,，;；、\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×']);

/** 是/否, yes/no, true/false, 1/0; the text itself otherwise, for the schema to refuse. */
export function yesNo(text: string): boolean | string {
  const t = text.trim().toLowerCase();
  if (YES.has(t)) return true;
  if (NO.has(t)) return false;
  return text;
}

/** A whole number when the text is one; the text otherwise, for the schema to refuse in words. */
export function integer(text: string): number | string {
  return /^[+-]?\d+$/.test(text.trim()) ? Number(text) : text;
}

/** Blank cells are absent fields, so optional columns may be left empty. */
export const optional = (text: string | undefined): string | undefined => (text === undefined || text === '' ? undefined : text);
