/**
 * CSV as spreadsheets write it (RFC 4180): quoted fields may hold commas,
 * quotes ("") and line breaks. Yields one record at a time with its record
 * number, which is the row number the user sees in Excel.
 */
export function* csvRecords(text: string): Generator<{ row: number; cells: string[] }> {
  let row = 0;
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  for (; i < n; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      cells.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(field);
      yield { row: ++row, cells };
      cells = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || cells.length > 0) {
    cells.push(field);
    yield { row: ++row, cells };
  }
}

/**
 * The file's text. Excel on a Chinese Windows saves "CSV" in GBK, not UTF-8:
 * bytes that are not valid UTF-8 are read as GB18030 (a superset of GBK).
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
