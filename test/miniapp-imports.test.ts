import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { createItem } from '../inventory/master/items.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';
import { miniappHarness } from './support/miniapp.ts';

type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

let db: Database;
let actor: Actor;
let admin: Fetch;
let managerSH: Fetch;
let keeperSH: Fetch;

const ITEM_HEADER = ['编码', '名称', '单位', '追踪方式', '安全库存', '辅助单位'];

async function xlsx(rows: unknown[][], sheet = 'Sheet1'): Promise<Blob> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  for (const r of rows) ws.addRow(r);
  return new Blob([await wb.xlsx.writeBuffer()]);
}

function upload(file: Blob, name = 'data.xlsx'): RequestInit {
  const form = new FormData();
  form.append('file', new File([file], name));
  return { method: 'POST', body: form };
}

async function readSheets(res: Response): Promise<Map<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const out = new Map<string, unknown[][]>();
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => v ?? null)));
    out.set(ws.name, rows);
  });
  return out;
}

const firstSheet = async (res: Response) => [...(await readSheets(res)).values()][0] ?? [];

interface Preview {
  previewId: string;
  total: number;
  valid: number;
  errorCount: number;
  errors: { row: number; column: string; message: string }[];
  sample: { row: number; values: Record<string, string> }[];
}

async function preview(as: Fetch, kind: string, file: Blob, name?: string): Promise<Preview> {
  const res = await as(`/imports/${kind}/preview`, upload(file, name));
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Preview;
}

/** Commits and follows the progress until the job ends, as the progress bar would. */
async function commit(as: Fetch, previewId: string) {
  const res = await as(`/imports/${previewId}/commit`, { method: 'POST' });
  expect(res.status, await res.clone().text()).toBe(202);
  const { jobId } = (await res.json()) as { jobId: string };
  for (;;) {
    const job = (await (await as(`/imports/jobs/${jobId}`)).json()) as { status: string; done: number; total: number; error?: { code: string; message: string } };
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const itemCount = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from items where company_id = ${actor.companyId}`)[0]?.n;

beforeAll(async () => {
  db = await freshDatabase();
  actor = await companyWithWarehouses(db);
  await createEmployee(db, actor, { code: 'ADMIN', name: '管理员', roles: ['admin'] });
  await createEmployee(db, actor, { code: 'MGR-SH', name: '上海主管', roles: ['warehouse_manager'], warehouses: ['SH'] });
  await createEmployee(db, actor, { code: 'KEEP-SH', name: '上海仓管', roles: ['warehouse_keeper'], warehouses: ['SH'] });
  const h = miniappHarness(db);
  const as = async (code: string): Promise<Fetch> => {
    const token = await h.tokenFor(actor.companyId, code);
    return (path, init = {}) => Promise.resolve(h.request(path, { ...init, token }));
  };
  [admin, managerSH, keeperSH] = await Promise.all([as('ADMIN'), as('MGR-SH'), as('KEEP-SH')]);
});

describe('templates', () => {
  it('downloads an items template in Chinese whose header row the import reads back', async () => {
    const res = await admin('/imports/items/template');
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="items-template\.xlsx"/);
    const sheets = await readSheets(res.clone());
    const [data, notes] = [...sheets.values()];
    expect(data?.[0]?.slice(0, 4)).toEqual(['编码', '名称', '规格', '单位']);
    expect(data?.[1]?.[0]).toBe('M6-20');
    expect([...sheets.keys()][1]).toBe('说明');
    expect(notes?.find((r) => r[0] === '追踪方式')?.[2]).toContain('批次');
    // The template as downloaded previews cleanly: its example row is a valid item.
    const p = await preview(admin, 'items', await res.blob());
    expect(p).toMatchObject({ total: 1, valid: 1, errors: [] });
  });

  it('downloads the English template with ?lang=en', async () => {
    const data = await firstSheet(await admin('/imports/opening-stock/template?lang=en'));
    expect(data[0]?.slice(0, 3)).toEqual(['warehouse code', 'location', 'item code']);
  });
});

describe('importing items', () => {
  it('lists exactly the bad row and column, and writes nothing', async () => {
    const before = await itemCount();
    const file = await xlsx([ITEM_HEADER, ['P-1', '垫片', '个', '无', '10', ''], ['P-2', '弹簧', '个', '无', 'abc', ''], ['P-3', '胶带', '卷', '批次', '', '箱=24']]);
    const p = await preview(admin, 'items', file);
    expect(p.total).toBe(3);
    expect(p.valid).toBe(2);
    expect(p.errors).toHaveLength(1);
    expect(p.errors[0]).toMatchObject({ row: 3, column: '安全库存' });
    expect(p.errors[0]?.message).toMatch(/数字/);
    expect(p.sample.map((s) => s.values.code)).toEqual(['P-1', 'P-2', 'P-3']);
    expect(await itemCount()).toBe(before);

    const refused = await admin(`/imports/${p.previewId}/commit`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('IMPORT_NOT_READY');
    expect(await itemCount()).toBe(before);
  });

  it('after fixing the row, imports every row and the job ends with done = total', async () => {
    const before = await itemCount();
    const file = await xlsx([ITEM_HEADER, ['P-1', '垫片', '个', '无', '10', ''], ['P-2', '弹簧', '个', '无', '5.5', ''], ['P-3', '胶带', '卷', '批次', '', '箱=24']]);
    const p = await preview(admin, 'items', file);
    expect(p.errors).toEqual([]);
    const job = await commit(admin, p.previewId);
    expect(job).toMatchObject({ status: 'done', done: 3, total: 3 });
    expect(await itemCount()).toBe((before ?? 0) + 3);
    const [tape] = await db.sql<{ tracking: string; name_initials: string; units: string }[]>`
      select i.tracking, i.name_initials, (select string_agg(u.unit || '=' || trim_scale(u.factor), ',') from item_units u where u.item_id = i.id) as units
      from items i where i.company_id = ${actor.companyId} and i.code = 'P-3'`;
    expect(tape).toEqual({ tracking: 'batch', name_initials: 'jd', units: '箱=24' });
    // A preview is committed once.
    expect((await admin(`/imports/${p.previewId}/commit`, { method: 'POST' })).status).toBe(404);
  });

  it('refuses codes already taken and repeated within the file, and unknown suppliers', async () => {
    const file = await xlsx([
      ['code', 'name', 'unit', 'default supplier code'],
      ['P-1', 'again', 'pcs', ''],
      ['Q-1', 'new', 'pcs', 'NOPE'],
      ['Q-1', 'twice', 'pcs', ''],
    ]);
    const res = await admin('/imports/items/preview', { ...upload(file), headers: { 'accept-language': 'en' } });
    const p = (await res.json()) as Preview;
    expect(p.errors).toEqual([
      { row: 2, column: 'code', message: 'P-1 already exists' },
      { row: 3, column: 'default supplier code', message: 'no supplier NOPE' },
      { row: 4, column: 'code', message: 'Q-1 repeats row 3' },
    ]);
  });

  it('writes nothing when a code is taken between preview and commit', async () => {
    const before = await itemCount();
    const p = await preview(admin, 'items', await xlsx([ITEM_HEADER, ['R-1', 'a', '个'], ['R-2', 'b', '个'], ['R-3', 'c', '个']]));
    expect(p.errors).toEqual([]);
    await createItem(db, actor, { code: 'R-2', name: '抢先', unit: '个' });
    const job = await commit(admin, p.previewId);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('DUPLICATE');
    const codes = await db.sql<{ code: string }[]>`select code from items where company_id = ${actor.companyId} and code like 'R-%' order by code`;
    expect(codes.map((r) => r.code)).toEqual(['R-2']);
    expect(await itemCount()).toBe((before ?? 0) + 1);
  });

  it('refuses barcodes another item carries or the file repeats, and writes nothing when one is taken between preview and commit', async () => {
    await createItem(db, actor, { code: 'BAR-0', name: '已有条码', unit: '个', barcode: '6900000000900' });
    const file = await xlsx([
      ['编码', '名称', '单位', '条码'],
      ['BAR-1', '一', '个', '6900000000900'],
      ['BAR-2', '二', '个', '6900000000901'],
      ['BAR-3', '三', '个', '6900000000901'],
    ]);
    expect((await preview(admin, 'items', file)).errors).toEqual([
      { row: 2, column: '条码', message: '条码 6900000000900 已属于物料 BAR-0' },
      { row: 4, column: '条码', message: '6900000000901 与第 3 行重复' },
    ]);

    const before = await itemCount();
    const p = await preview(admin, 'items', await xlsx([['编码', '名称', '单位', '条码'], ['BAR-4', '四', '个', '6900000000904'], ['BAR-5', '五', '个', '6900000000905']]));
    expect(p.errors).toEqual([]);
    await createItem(db, actor, { code: 'BAR-9', name: '抢先', unit: '个', barcode: '6900000000905' });
    const job = await commit(admin, p.previewId);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'VALIDATION_FAILED' } });
    expect(await itemCount()).toBe((before ?? 0) + 1);
  });

  it('reads CSV, quoted commas and English headers included', async () => {
    const csv = '\ufeffcode,name,unit,spec\r\nCSV-1,"Bolt, hex",pcs,"M8 ""long"""\r\nCSV-2,Nut,pcs,\r\n';
    const p = await preview(managerSH, 'items', new Blob([csv], { type: 'text/csv' }), 'items.csv');
    expect(p).toMatchObject({ total: 2, valid: 2, errors: [] });
    expect(await commit(managerSH, p.previewId)).toMatchObject({ status: 'done', done: 2, total: 2 });
    const [bolt] = await db.sql<{ name: string; spec: string }[]>`select name, spec from items where company_id = ${actor.companyId} and code = 'CSV-1'`;
    expect(bolt).toEqual({ name: 'Bolt, hex', spec: 'M8 "long"' });
  });

  it('refuses a file over 20 MB with a clear error', async () => {
    const res = await admin('/imports/items/preview', upload(new Blob([new Uint8Array(21 * 1024 * 1024)]), 'big.csv'));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('20 MB') });
  });

  it("does not let another employee see or commit someone's preview", async () => {
    const p = await preview(admin, 'items', await xlsx([ITEM_HEADER, ['S-1', 's', '个']]));
    const res = await managerSH(`/imports/${p.previewId}/commit`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await db.sql`select 1 from items where company_id = ${actor.companyId} and code = 'S-1'`).toHaveLength(0);
  });
});

describe('importing opening stock', () => {
  beforeAll(async () => {
    await item(db, actor, { code: 'OS-A', unitCost: '2' });
    await item(db, actor, { code: 'OS-B', tracking: 'batch' });
  });

  it('posts receipts: ledger rows and balances, per location and batch', async () => {
    const file = await xlsx([
      ['仓库编码', '库位', '物料编码', '批次号', '到期日', '数量', '单位成本'],
      ['SH', 'A-01', 'OS-A', '', '', 100, 3.5],
      ['SH', '', 'OS-B', 'B1', '2030-01-31', 40, ''],
      ['SZ', '', 'OS-A', '', '', 7, ''],
    ]);
    const p = await preview(admin, 'opening-stock', file);
    expect(p.errors).toEqual([]);
    expect(await commit(admin, p.previewId)).toMatchObject({ status: 'done', done: 3, total: 3 });
    const ledger = await db.sql<{ item: string; wh: string; loc: string; batch: string | null; qty: string; cost: string; reason: string }[]>`
      select i.code as item, w.code as wh, l.code as loc, b.batch_no as batch, trim_scale(s.qty_delta)::text as qty, trim_scale(s.unit_cost)::text as cost, d.reason
      from stock_ledger s join items i on i.id = s.item_id join warehouses w on w.id = s.warehouse_id join locations l on l.id = s.location_id
      join stock_documents d on d.id = s.document_id left join batches b on b.id = s.batch_id
      where s.company_id = ${actor.companyId} and i.code like 'OS-%' order by w.code, i.code`;
    expect(ledger).toEqual([
      { item: 'OS-A', wh: 'SH', loc: 'A-01', batch: null, qty: '100', cost: '3.5', reason: 'opening' },
      { item: 'OS-B', wh: 'SH', loc: 'DEFAULT', batch: 'B1', qty: '40', cost: '0', reason: 'opening' },
      { item: 'OS-A', wh: 'SZ', loc: 'DEFAULT', batch: null, qty: '7', cost: '2', reason: 'opening' },
    ]);
    const balances = await db.sql<{ n: string }[]>`
      select trim_scale(sum(b.on_hand))::text as n from stock_balances b join items i on i.id = b.item_id where i.code = 'OS-A' and i.company_id = ${actor.companyId}`;
    expect(balances[0]?.n).toBe('107');
  });

  it('lists rows a batch-tracked item needs a batch for, unknown items and locations', async () => {
    const file = await xlsx([
      ['仓库编码', '库位', '物料编码', '批次号', '数量'],
      ['SH', '', 'OS-B', '', 5],
      ['SH', 'Z-99', 'OS-A', '', 5],
      ['SH', '', 'NOPE', '', 5],
      ['SH', '', 'OS-A', '', 0],
    ]);
    const p = await preview(admin, 'opening-stock', file);
    expect(p.errors.map((e) => [e.row, e.column])).toEqual([[2, '批次号'], [3, '库位'], [4, '物料编码'], [5, '数量']]);
  });

  it("refuses warehouses outside the manager's scope, row by row", async () => {
    const file = await xlsx([['仓库编码', '物料编码', '数量'], ['SH', 'OS-A', 1], ['SZ', 'OS-A', 1]]);
    const p = await preview(managerSH, 'opening-stock', file);
    expect(p.errors).toEqual([{ row: 3, column: '仓库编码', message: '您无权操作仓库 SZ' }]);
    expect((await managerSH(`/imports/${p.previewId}/commit`, { method: 'POST' })).status).toBe(409);
  });

  it('is refused to a warehouse keeper, as are employee imports', async () => {
    const file = await xlsx([['仓库编码', '物料编码', '数量'], ['SH', 'OS-A', 1]]);
    const res = await keeperSH('/imports/opening-stock/preview', upload(file));
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ROLE_REQUIRED');
    const emp = await keeperSH('/imports/employees/preview', upload(await xlsx([['工号', '姓名'], ['X', 'x']])));
    expect(emp.status).toBe(403);
    const mgrEmp = await managerSH('/imports/employees/preview', upload(await xlsx([['工号', '姓名'], ['X', 'x']])));
    expect(mgrEmp.status).toBe(403);
  });
});

describe('importing employees', () => {
  it('checks roles, managers and warehouses, then imports with managers from the same file', async () => {
    const bad = await preview(
      admin,
      'employees',
      await xlsx([
        ['工号', '姓名', '上级工号', '角色', '仓库范围', '钉钉用户ID'],
        ['E-1', '甲', '', 'warehouse_manager', 'SH', 'dt-1'],
        ['E-2', '乙', 'E-1', 'wizard', 'SH, XX', 'dt-1'],
        ['E-3', '丙', 'NOBODY', '', '', ''],
      ]),
    );
    expect(bad.errors.map((e) => [e.row, e.column])).toEqual([[3, '角色'], [3, '仓库范围'], [3, '钉钉用户ID'], [4, '上级工号']]);

    const good = await preview(
      admin,
      'employees',
      await xlsx([
        ['工号', '姓名', '部门', '上级工号', '角色', '仓库范围', '钉钉用户ID'],
        ['E-2', '乙', '仓储部', 'E-1', 'warehouse_keeper', 'SH, SZ', 'dt-2'],
        ['E-1', '甲', '仓储部', 'ADMIN', 'warehouse_manager', 'SH', 'dt-1'],
      ]),
    );
    expect(good.errors).toEqual([]);
    expect(await commit(admin, good.previewId)).toMatchObject({ status: 'done', done: 2, total: 2 });
    const rows = await db.sql<{ code: string; manager: string; roles: string[]; scope: number; dt: string }[]>`
      select e.code, m.code as manager, e.roles, cardinality(e.warehouse_scope) as scope, e.dingtalk_user_id as dt
      from employees e join employees m on m.id = e.manager_id where e.company_id = ${actor.companyId} and e.code like 'E-%' order by e.code`;
    expect(rows).toEqual([
      { code: 'E-1', manager: 'ADMIN', roles: ['warehouse_manager'], scope: 1, dt: 'dt-1' },
      { code: 'E-2', manager: 'E-1', roles: ['warehouse_keeper'], scope: 2, dt: 'dt-2' },
    ]);
  });
});

describe('exports', () => {
  beforeAll(async () => {
    await item(db, actor, { code: 'EX-1', unitCost: '4' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'EX-1', qty: 10, unitCost: 4 }], idempotencyKey: idem('ex') });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'EX-1', qty: 5, unitCost: 4 }], idempotencyKey: idem('ex') });
  });

  it('exports stock of every warehouse with cost to an admin', async () => {
    const res = await admin('/exports/stock.xlsx');
    expect(res.headers.get('content-disposition')).toMatch(/filename="stock-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const rows = await firstSheet(res);
    expect(rows[0]).toContain('单位成本');
    const ex = rows.filter((r) => r[3] === 'EX-1').map((r) => [r[0], r[9], r[13]]);
    expect(ex).toEqual([['SH', 10, 40], ['SZ', 5, 20]]);
  });

  it('hides other warehouses and cost from a scoped keeper', async () => {
    const rows = await firstSheet(await keeperSH('/exports/stock.xlsx?lang=en'));
    expect(rows[0]).toEqual(['warehouse code', 'warehouse name', 'location', 'item code', 'item name', 'spec', 'unit', 'batch', 'expiry date', 'on hand', 'reserved', 'available']);
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(['SH']));
    expect(rows.filter((r) => r[3] === 'EX-1')).toHaveLength(1);
  });

  it('exports the ledger filtered by item, only in-scope warehouses, no cost for a keeper', async () => {
    const all = await firstSheet(await admin('/exports/ledger.xlsx?item=EX-1'));
    expect(all.slice(1).map((r) => [r[5], r[7], r[10], r[12]])).toEqual([['SH', 'EX-1', 10, 40], ['SZ', 'EX-1', 5, 20]]);

    const scoped = await firstSheet(await keeperSH('/exports/ledger.xlsx?item=EX-1', { headers: { 'accept-language': 'en' } }));
    expect(scoped[0]).not.toContain('value');
    expect(scoped.slice(1).map((r) => r[5])).toEqual(['SH']);
    expect((await keeperSH('/exports/ledger.xlsx?warehouse=SZ')).status).toBe(403);

    const future = await firstSheet(await admin('/exports/ledger.xlsx?from=2999-01-01'));
    expect(future).toHaveLength(1);
  });

  it('exports items in the import columns, which import back', async () => {
    const rows = await firstSheet(await admin('/exports/items.xlsx'));
    expect(rows[0]?.slice(0, 4)).toEqual(['编码', '名称', '规格', '单位']);
    expect(rows.find((r) => r[0] === 'P-3')?.[7]).toBe('批次');
    const noCost = await firstSheet(await keeperSH('/exports/items.xlsx'));
    expect(noCost[0]).not.toContain('单位成本');
  });

  it('exports employees to admins only', async () => {
    const rows = await firstSheet(await admin('/exports/employees.xlsx'));
    expect(rows.find((r) => r[0] === 'E-2')?.slice(0, 6)).toEqual(['E-2', '乙', '仓储部', 'E-1', 'warehouse_keeper', 'SH, SZ']);
    expect((await keeperSH('/exports/employees.xlsx')).status).toBe(403);
  });
});
