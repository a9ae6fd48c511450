import { Buffer } from 'node:buffer';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ValidationError, type Locale } from '../../../inventory/errors.ts';
import { commitPreview } from '../../../inventory/imports/commit.ts';
import { decodeCsv, csvRecords } from '../../../inventory/imports/csv.ts';
import { FileTooLargeError } from '../../../inventory/imports/errors.ts';
import { IMPORT_KINDS, type ImportKindName } from '../../../inventory/imports/kind.ts';
import { IMPORTS } from '../../../inventory/imports/kinds.ts';
import { previewRows, type SheetRow } from '../../../inventory/imports/preview.ts';
import { ImportStore } from '../../../inventory/imports/store.ts';
import { importTemplate } from '../../../inventory/imports/template.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { requireRole } from '../scope.ts';

/** An upload above this is refused before it is read. */
export const MAX_UPLOAD_MB = 20;
/** The preview answer lists at most this many errors (errorCount says how many there are). */
const MAX_LISTED_ERRORS = 1000;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const fileIssue = (locale: Locale, zh: string, en: string) => new ValidationError([{ path: 'file', message: locale === 'en' ? en : zh }]);

function kindOf(param: string, locale: Locale): ImportKindName {
  if ((IMPORT_KINDS as readonly string[]).includes(param)) return param as ImportKindName;
  throw new ValidationError([{ path: 'kind', message: `${locale === 'en' ? 'one of' : '可选'}: ${IMPORT_KINDS.join(', ')}` }]);
}

/** The first sheet of a workbook, read with exceljs's streaming reader: rows arrive as the zip is inflated. */
async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Dates are numbers with a date format: without the styles they would read as serial numbers.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) yield { row: row.number, cells: Array.from((row.values as unknown[]).slice(1)) };
    return;
  }
}

/** xlsx by its zip signature, CSV by name or type; the old binary .xls is refused with what to do instead. */
function sheetRows(file: File, bytes: Uint8Array, locale: Locale): AsyncIterable<SheetRow> | Iterable<SheetRow> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return xlsxRows(bytes);
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf) throw fileIssue(locale, '不支持旧版 .xls 文件，请另存为 .xlsx 或 .csv', 'Old .xls files are not supported; save the file as .xlsx or .csv');
  if (/\.(csv|txt)$/i.test(file.name) || file.type.startsWith('text/')) return csvRecords(decodeCsv(bytes));
  throw fileIssue(locale, '请上传 .xlsx 或 .csv 文件', 'Upload an .xlsx or .csv file');
}

/**
 * Imports from spreadsheets: template → preview (every row checked, nothing
 * written) → commit (all rows in one transaction, as a job with progress).
 */
export function importRoutes(deps: MiniDeps, store = new ImportStore()) {
  return new Hono<MiniEnv>()
    .get('/jobs/:id', (c) => {
      const user = c.get('user');
      const job = store.job({ companyId: user.companyId, employeeId: user.employeeId }, c.req.param('id'));
      return c.json({
        id: job.id,
        kind: job.kind,
        status: job.status,
        done: job.done,
        total: job.total,
        ...(job.error ? { error: { code: job.error.code, message: job.error.message[c.get('locale')] } } : {}),
      });
    })
    .get('/:kind/template', async (c) => {
      const lang = c.req.query('lang');
      const locale: Locale = lang === 'en' ? 'en' : lang === 'zh-CN' ? 'zh-CN' : c.get('locale');
      const kind = IMPORTS[kindOf(c.req.param('kind'), locale)];
      const bytes = await importTemplate(kind, locale);
      const name = `${kind.name}-template.xlsx`;
      const display = locale === 'en' ? name : `${kind.sheet['zh-CN']}导入模板.xlsx`;
      return c.body(bytes.buffer as ArrayBuffer, 200, {
        'content-type': XLSX,
        'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(display)}`,
      });
    })
    .post(
      '/:kind/preview',
      bodyLimit({
        maxSize: MAX_UPLOAD_MB * 1024 * 1024,
        onError: () => {
          throw new FileTooLargeError(MAX_UPLOAD_MB);
        },
      }),
      async (c) => {
        const user = c.get('user');
        const locale = c.get('locale');
        const kind = IMPORTS[kindOf(c.req.param('kind'), locale)];
        requireRole(user, kind.roles);
        const body = await c.req.parseBody();
        const file = body.file;
        if (!(file instanceof File)) throw fileIssue(locale, '请在表单字段 file 中上传文件', 'Send the file in the form field "file"');
        if (file.size > MAX_UPLOAD_MB * 1024 * 1024) throw new FileTooLargeError(MAX_UPLOAD_MB);
        const bytes = new Uint8Array(await file.arrayBuffer());
        let result;
        try {
          result = await previewRows(kind, sheetRows(file, bytes, locale), { db: deps.db, user, locale });
        } catch (err) {
          if (err instanceof ValidationError) throw err;
          // exceljs throws plain errors for a damaged or mislabeled file.
          throw fileIssue(locale, '无法读取此文件，请确认是 .xlsx 或 .csv 格式', 'The file cannot be read; is it really .xlsx or .csv?');
        }
        const stored = store.addPreview(
          { companyId: user.companyId, employeeId: user.employeeId },
          { kind: kind.name, total: result.total, errorCount: result.errors.length, rows: result.rows },
        );
        return c.json({
          previewId: stored.id,
          kind: kind.name,
          total: result.total,
          valid: result.valid,
          errorCount: result.errors.length,
          errors: result.errors.slice(0, MAX_LISTED_ERRORS),
          columns: result.columns,
          sample: result.sample,
          expiresAt: new Date(stored.expiresAt).toISOString(),
        });
      },
    )
    .post('/:previewId/commit', (c) => {
      const user = c.get('user');
      const owner = { companyId: user.companyId, employeeId: user.employeeId };
      const preview = store.peekPreview(owner, c.req.param('previewId'));
      // Checked again: roles may have changed since the preview.
      requireRole(user, IMPORTS[preview.kind].roles);
      const job = commitPreview(deps.db, store, { ...c.get('actor'), employeeId: user.employeeId }, preview.id);
      return c.json({ jobId: job.id, kind: job.kind, status: job.status, done: job.done, total: job.total }, 202);
    });
}
