/**
 * Import bench: a 50,000-row items workbook through the mini-app's import
 * routes, preview then commit until the job is done, on its own database.
 * Also samples how long the event loop stalled meanwhile: an import must
 * never freeze the server for the other requests it serves.
 */
import ExcelJS from 'exceljs';
import { connectDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { systemActor } from '../../inventory/actor.ts';
import { createCompany } from '../../inventory/master/companies.ts';
import { createEmployee } from '../../inventory/master/employees.ts';
import { miniappHarness } from '../support/miniapp.ts';
import { log } from './log.ts';
import { adminClient, withDatabase } from './server.ts';
import { round } from './stats.ts';

const DB_NAME = 'stockpilot_bench_imports';

export interface ImportBenchResult {
  import_50k_rows_s: number;
  import_preview_s: number;
  import_commit_s: number;
  import_max_event_loop_stall_ms: number;
  details: { rows: number; workbook_mb: number; workbook_build_s: number };
}

async function itemsWorkbook(rows: number): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('物料');
  ws.addRow(['编码', '名称', '规格', '单位', '条码', '分类', '追踪方式', '安全库存', '再订货点', '采购提前期(天)', '最小起订量', '单位成本', '辅助单位']);
  for (let i = 1; i <= rows; i++) {
    const n = String(i).padStart(6, '0');
    ws.addRow([`BI-${n}`, `测试物料 螺丝 ${n}`, `M${i % 12}×${i % 50}`, '个', `69${n}00000`, `分类${i % 40}`, i % 10 === 0 ? '批次' : '无', i % 100, i % 150, i % 30, 10, (i % 997) / 100, i % 5 === 0 ? '箱=24' : '']);
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** The longest gap between 10 ms ticks beyond the 10 ms asked for. */
function stallMonitor() {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 10);
    last = now;
  }, 10);
  return { stop: () => (clearInterval(timer), worst) };
}

export async function runImportBench(adminUrl: string, rows = 50_000): Promise<ImportBenchResult> {
  const admin = adminClient(adminUrl);
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const db = connectDatabase(withDatabase(adminUrl, DB_NAME), { max: 10 });
  try {
    await migrateDatabase(db);
    const companyId = await createCompany(db, { code: 'IMP', name: '导入测试公司' });
    await createEmployee(db, systemActor(companyId, 'bench'), { code: 'ADMIN', name: '管理员', roles: ['admin'] });
    const h = miniappHarness(db);
    const token = await h.tokenFor(companyId, 'ADMIN');
    const call = (path: string, init: RequestInit = {}) => Promise.resolve(h.request(path, { ...init, token }));

    const tb = performance.now();
    const bytes = await itemsWorkbook(rows);
    const buildS = round((performance.now() - tb) / 1000, 1);
    log(`imports: ${rows} rows, ${round(bytes.length / 2 ** 20, 1)} MB workbook built in ${buildS}s`);

    const stall = stallMonitor();
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], 'items.xlsx'));
    const previewRes = await call('/imports/items/preview', { method: 'POST', body: form });
    const preview = (await previewRes.json()) as { previewId: string; total: number; errorCount: number; errors: unknown[] };
    if (previewRes.status !== 200 || preview.errorCount !== 0 || preview.total !== rows) {
      throw new Error(`import preview failed: ${previewRes.status} ${JSON.stringify(preview).slice(0, 500)}`);
    }
    const t1 = performance.now();
    const started = (await (await call(`/imports/${preview.previewId}/commit`, { method: 'POST' })).json()) as { jobId: string };
    let job: { status: string; done: number; total: number; error?: unknown };
    for (;;) {
      job = (await (await call(`/imports/jobs/${started.jobId}`)).json()) as typeof job;
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const t2 = performance.now();
    const worst = stall.stop();
    if (job.status !== 'done') throw new Error(`import job ${job.status}: ${JSON.stringify(job.error)}`);
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from items where company_id = ${companyId}`;
    if (count?.n !== rows) throw new Error(`expected ${rows} items after the import, found ${count?.n}`);
    const result = {
      import_50k_rows_s: round((t2 - t0) / 1000, 2),
      import_preview_s: round((t1 - t0) / 1000, 2),
      import_commit_s: round((t2 - t1) / 1000, 2),
      import_max_event_loop_stall_ms: round(worst, 0),
      details: { rows, workbook_mb: round(bytes.length / 2 ** 20, 1), workbook_build_s: buildS },
    };
    log(`imports: preview ${result.import_preview_s}s + commit ${result.import_commit_s}s; longest event-loop stall ${result.import_max_event_loop_stall_ms} ms`);
    return result;
  } finally {
    await db.close();
  }
}
