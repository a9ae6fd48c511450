import { describe, expect, it } from 'vitest';
import { csvRecords, decodeCsv } from './csv.ts';

const rows = (text: string) => [...csvRecords(text)].map((r) => [r.row, r.cells]);

describe('csvRecords', () => {
  it.each([
    ['plain lines, CRLF or LF', 'a,b\r\nc,d\n', [[1, ['a', 'b']], [2, ['c', 'd']]]],
    ['a BOM is not part of the first header', '\ufeffcode,name', [[1, ['code', 'name']]]],
    ['quoted commas and doubled quotes', '"x, y","say ""hi"""', [[1, ['x, y', 'say "hi"']]]],
    ['a line break inside quotes stays in the cell; the record keeps one row number', '"a\nb",c\nd,e', [[1, ['a\nb', 'c']], [2, ['d', 'e']]]],
    ['empty cells are kept', ',,x', [[1, ['', '', 'x']]]],
  ])('%s', (_name, text, expected) => {
    expect(rows(text)).toEqual(expected);
  });
});

describe('decodeCsv', () => {
  it('reads UTF-8, and GBK from Excel on a Chinese Windows', () => {
    expect(decodeCsv(new TextEncoder().encode('编码,名称'))).toBe('编码,名称');
    // "编码" in GBK
    expect(decodeCsv(new Uint8Array([0xb1, 0xe0, 0xc2, 0xeb]))).toBe('编码');
  });
});
