import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { ValidationError } from '../inventory/errors.ts';
import { decideRequest } from '../inventory/requests/actions.ts';
import { submitRequest } from '../inventory/requests/submit.ts';
import { TemporalGateway } from '../workflows/temporal-gateway.ts';
import { approvalCompany, approvalWorker, eventually, requestDeps } from './support/approvals.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';
import { miniappHarness } from './support/miniapp.ts';
import { temporalClient, uniqueTaskQueue } from './support/temporal.ts';

let db: Database;
let co: Awaited<ReturnType<typeof approvalCompany>>;
let stopWorker: () => Promise<void>;
let reqDeps: ReturnType<typeof requestDeps>;
// biome-ignore lint: tests read any JSON shape
type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
const as: Record<string, Call> = {};

beforeAll(async () => {
  db = await freshDatabase();
  co = await approvalCompany(db);
  const a = co.admin;
  await createEmployee(db, a, { code: 'KSZ', name: '苏州仓管', roles: ['warehouse_keeper'], warehouses: ['SZ'] });
  await item(db, a, { code: 'SCREW', name: '螺丝M6', barcode: '6901234567890', unitCost: '0.5' });
  await item(db, a, { code: 'TAPE', name: '胶带', unit: '卷', unitCost: '3.5', category: '包材' });
  await item(db, a, { code: 'GLUE', name: '胶水', unit: '瓶', unitCost: '10', tracking: 'batch' });
  await item(db, a, { code: 'BOX', name: '纸箱', barcode: '6900000000017', unitCost: '2', category: '包材' });
  await postMovement(db, a, {
    type: 'receipt',
    warehouse: 'SH',
    lines: [
      { item: 'SCREW', qty: 100, location: 'A-01' },
      { item: 'TAPE', qty: 50 },
      { item: 'GLUE', qty: 20, batch: 'B1' },
    ],
    idempotencyKey: idem(),
  });
  await postMovement(db, a, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'TAPE', qty: 7 }], idempotencyKey: idem() });
  await co.policy({ requestType: 'stocktake', name: '盘点差异', steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'role', role: 'warehouse_manager' }] }] });

  const shared = await temporalClient();
  const taskQueue = uniqueTaskQueue('stocktake');
  ({ stop: stopWorker } = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db }));
  reqDeps = requestDeps(db, shared.client, taskQueue);
  const h = miniappHarness(db, { gateway: new TemporalGateway(shared.client, taskQueue) });
  for (const code of ['KEEP', 'WM', 'KSZ', 'SALES', 'DIR']) {
    const token = await h.tokenFor(co.admin.companyId, code);
    as[code] = async (method, path, body) => {
      const res = await h.request(path, { method, token, headers: { 'accept-language': 'en' }, ...(body === undefined ? {} : { json: body }) });
      return { status: res.status, body: await res.json() };
    };
  }
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
});

const call = (who: string): Call => {
  const f = as[who];
  if (!f) throw new Error(`no session for ${who}`);
  return f;
};
const paths = (res: { body: { error: { details: { issues: { path: string }[] } } } }) => res.body.error.details.issues.map((i) => i.path).sort();
const onHand = async (code: string, wh = 'SH') => {
  const [r] = await db.sql<{ q: string }[]>`
    select coalesce(sum(b.on_hand), 0)::text as q from stock_balances b join items i on i.id = b.item_id join warehouses w on w.id = b.warehouse_id
    where i.code = ${code} and w.code = ${wh} and i.company_id = ${co.admin.companyId}`;
  return Number(r?.q);
};

describe('stocktake (盘点) in the mini-app', () => {
  let blindId: number;

  it('creates a blind count of a warehouse: the keeper sees what to count but not the book; the manager sees the book', async () => {
    const created = await call('KEEP')('POST', '/stocktakes', { warehouse: 'SH', blind: true, note: '月度盘点', idempotencyKey: 'pd-1' });
    expect(created.status).toBe(201);
    expect(created.body.stocktakeNo).toMatch(/^PD-\d{8}-001$/);
    blindId = created.body.id;
    expect(created.body.lines.map((l: { item: { code: string }; location: string; batch: string | null; book: string | null }) => [l.item.code, l.location, l.batch, l.book])).toEqual([
      ['SCREW', 'A-01', null, null],
      ['GLUE', 'DEFAULT', 'B1', null],
      ['TAPE', 'DEFAULT', null, null],
    ]);
    expect(created.body.bookVisible).toBe(false);
    const again = await call('KEEP')('POST', '/stocktakes', { warehouse: 'SH', blind: true, note: '月度盘点', idempotencyKey: 'pd-1' });
    expect(again.body.id).toBe(blindId);

    const manager = await call('WM')('GET', `/stocktakes/${blindId}`);
    expect(manager.body.bookVisible).toBe(true);
    expect(manager.body.lines.map((l: { book: string }) => l.book)).toEqual(['100', '20', '50']);
    const keeperView = await call('KEEP')('GET', `/stocktakes/${blindId}/variance`);
    expect(keeperView.body.lines.every((l: { book: null; variance: null }) => l.book === null && l.variance === null)).toBe(true);
    expect(keeperView.body.totals).toMatchObject({ lines: 3, uncounted: 3, withVariance: null, gainValue: null });

    const sales = await call('SALES')('POST', '/stocktakes', { warehouse: 'SH' });
    expect(sales).toMatchObject({ status: 403, body: { error: { code: 'ROLE_REQUIRED' } } });
  });

  it('counts by barcode and by code, a resent scan counts once, a recount replaces, found stock and unknown barcodes are kept', async () => {
    const k = call('KEEP');
    const first = await k('POST', `/stocktakes/${blindId}/counts`, {
      entries: [
        { entryId: 's1', item: '6901234567890', qty: 1 },
        { entryId: 's2', item: '6901234567890', qty: 1 },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e: { status: string; slot: { item: string; location: string; counted: string } }) => [e.status, e.slot.item, e.slot.location, e.slot.counted])).toEqual([
      ['recorded', 'SCREW', 'A-01', '2'],
      ['recorded', 'SCREW', 'A-01', '2'],
    ]);
    // The sheet lists each scan as scanned, with the item it was matched to.
    const scans = (await k('GET', `/stocktakes/${blindId}`)).body.counts as { entryId: string; item: string; matched: { code: string; name: string } | null }[];
    expect(scans.find((c) => c.entryId === 's1')).toMatchObject({ item: '6901234567890', matched: { code: 'SCREW' } });
    const resent = await k('POST', `/stocktakes/${blindId}/counts`, { entries: [{ entryId: 's1', item: '6901234567890', qty: 1 }] });
    expect(resent.body.entries[0]).toMatchObject({ status: 'repeated', slot: { counted: '2' } });
    const reused = await k('POST', `/stocktakes/${blindId}/counts`, { entries: [{ entryId: 's1', item: 'TAPE', qty: 4 }] });
    expect(reused.status).toBe(400);
    expect(paths(reused)).toEqual(['entries[0].entryId']);

    const typed = await call('WM')('POST', `/stocktakes/${blindId}/counts`, {
      entries: [
        { entryId: 't1', item: 'SCREW', qty: 97, mode: 'set' },
        { entryId: 't2', item: 'TAPE', qty: 50, mode: 'set' },
        { entryId: 't3', item: 'GLUE', batch: 'B1', qty: 18 },
        { entryId: 't4', item: '6900000000017', location: 'A-01', qty: 5 },
        { entryId: 't5', item: '9999999999999', qty: 1 },
      ],
    });
    expect(typed.body.entries.map((e: { slot: { counted: string } | null; problem: string | null }) => e.slot?.counted ?? e.problem)).toEqual([
      '97',
      '50',
      '18',
      '5',
      'no item with code or barcode 9999999999999; create the item, then this count will be taken',
    ]);
    const sheet = await k('GET', `/stocktakes/${blindId}`);
    expect(sheet.body.lines.map((l: { item: { code: string }; source: string; counted: string | null; book: string | null }) => [l.item.code, l.source, l.counted, l.book])).toEqual([
      ['SCREW', 'book', '97', null],
      ['GLUE', 'book', '18', null],
      ['TAPE', 'book', '50', null],
      ['BOX', 'found', '5', null],
    ]);
    expect(sheet.body.summary).toMatchObject({ lines: 4, counted: 4, uncounted: 0, problems: 1 });
  });

  it('reports 盘盈盘亏 with values to the manager and lists what would stop the submit', async () => {
    const report = await call('WM')('GET', `/stocktakes/${blindId}/variance`);
    expect(report.body.valueVisible).toBe(true);
    expect(report.body.lines.map((l: { item: { code: string }; book: string; counted: string; variance: string; value: string }) => [l.item.code, l.book, l.counted, l.variance, l.value])).toEqual([
      ['SCREW', '100', '97', '-3', '-1.5'],
      ['GLUE', '20', '18', '-2', '-20'],
      ['TAPE', '50', '50', '0', '0'],
      ['BOX', '0', '5', '5', '10'],
    ]);
    expect(report.body.totals).toMatchObject({ withVariance: 3, gainLines: 1, lossLines: 2, gainValue: '10', lossValue: '-21.5', netValue: '-11.5' });
    expect(report.body.problems).toEqual([{ path: 'counts[6].item', message: expect.stringContaining('9999999999999') }]);
  });

  it('refuses a submit with every problem listed at once and changes nothing', async () => {
    const k = call('KEEP');
    const created = await k('POST', '/stocktakes', { warehouse: 'SH', locations: ['DEFAULT', 'A-01'] });
    const id = created.body.id as number;
    await k('POST', `/stocktakes/${id}/counts`, {
      entries: [
        { entryId: 'p1', item: 'SCREW', qty: -1 }, // a correction with nothing to correct: the count goes below 0
        { entryId: 'p2', item: 'GLUE', qty: 20 }, // no batch
        { entryId: 'p3', item: 'NOPE', location: 'DEFAULT', qty: 1 },
        { entryId: 'p4', item: 'TAPE', location: 'Z-99', qty: 1 },
        { entryId: 'p5', item: 'BOX', qty: 1 }, // not on the book, two locations counted: which one?
        { entryId: 'p6', item: 'GLUE', batch: 'NOSUCH', qty: 1 },
      ],
    });
    const res = await k('POST', `/stocktakes/${id}/submit`, {});
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual([
      'counts[1].batch',
      'counts[2].item',
      'counts[3].location',
      'counts[4].location',
      'counts[5].batch',
      'lines[0].qty', // SCREW counted −1
      'lines[1].qty', // GLUE B1 never counted
      'lines[2].qty', // TAPE never counted
    ]);
    const after = await k('GET', `/stocktakes/${id}`);
    expect(after.body).toMatchObject({ status: 'counting', request: null });
    const [n] = await db.sql<{ n: number }[]>`select count(*)::int as n from requests where idempotency_key = ${`stocktake:${id}`}`;
    expect(n?.n).toBe(0);

    // Nothing differs once the counts match the book: said plainly instead of an empty request.
    const clean = await k('POST', '/stocktakes', { warehouse: 'SH', category: '包材' });
    await k('POST', `/stocktakes/${clean.body.id}/counts`, { entries: [{ entryId: 'c1', item: 'TAPE', qty: 50 }] });
    const none = await k('POST', `/stocktakes/${clean.body.id}/submit`, {});
    expect(none.body.error.details.issues).toEqual([{ path: 'lines', message: expect.stringContaining('no variance') }]);

    const cancelled = await k('POST', `/stocktakes/${id}/cancel`, { reason: '重新盘' });
    expect(cancelled.body.status).toBe('cancelled');
    const late = await k('POST', `/stocktakes/${id}/counts`, { entries: [{ entryId: 'p9', item: 'TAPE', qty: 1 }] });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'STOCKTAKE_CLOSED' } } });
  });

  it('submits once (a retry answers the same request) and, once the manager approves, the ledger holds the counted stock', async () => {
    const k = call('KEEP');
    const blocked = await k('POST', `/stocktakes/${blindId}/submit`, {});
    expect(paths(blocked)).toEqual(['counts[6].item']);
    expect((await k('DELETE', `/stocktakes/${blindId}/counts/t5`)).body).toEqual({ entryId: 't5', voided: true });

    const submitted = await k('POST', `/stocktakes/${blindId}/submit`, { note: '差异已复核' });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', request: { requestNo: expect.stringMatching(/^SQ/) } });
    const requestId = submitted.body.request.id as number;
    const retried = await k('POST', `/stocktakes/${blindId}/submit`, { note: '差异已复核' });
    expect(retried.body.request.id).toBe(requestId);
    const lines = await db.sql<{ item: string; qty_base: string; batch_no: string | null; amount: string }[]>`
      select i.code as item, l.qty_base::text, l.batch_no, l.amount::text from request_lines l join items i on i.id = l.item_id
      where l.request_id = ${requestId} order by l.line_no`;
    expect(lines.map((l) => [l.item, Number(l.qty_base), l.batch_no, Number(l.amount)])).toEqual([
      ['SCREW', -3, null, 1.5],
      ['GLUE', -2, 'B1', 20],
      ['BOX', 5, null, 10],
    ]);
    const [{ n } = { n: 0 }] = await db.sql<{ n: number }[]>`select count(*)::int as n from requests where type = 'stocktake' and company_id = ${co.admin.companyId}`;
    expect(n).toBe(1);

    // Submitted: the keeper now sees the variance, but no values (no cost role).
    const keeperReport = await k('GET', `/stocktakes/${blindId}/variance`);
    expect(keeperReport.body).toMatchObject({ bookVisible: true, valueVisible: false, totals: { gainValue: null } });
    expect(keeperReport.body.lines.map((l: { variance: string; value: null }) => [l.variance, l.value])).toEqual([
      ['-3', null],
      ['-2', null],
      ['0', null],
      ['5', null],
    ]);
    expect((await k('POST', `/stocktakes/${blindId}/counts`, { entries: [{ entryId: 'late', item: 'TAPE', qty: 1 }] })).status).toBe(409);

    await eventually(
      () => db.sql`select 1 from approval_tasks where request_id = ${requestId} and assignee_id = ${co.ids.WM ?? 0} and status = 'pending'`,
      (r) => r.length > 0,
    );
    await decideRequest(reqDeps, { ...co.as('WM'), channel: 'miniapp' }, requestId, { decision: 'approve', clickId: 'wm-ok' });
    const done = await eventually(() => call('KEEP')('GET', `/stocktakes/${blindId}`), (r) => r.body.request?.status === 'completed');
    expect(done.body.request.status).toBe('completed');
    expect([await onHand('SCREW'), await onHand('GLUE'), await onHand('TAPE'), await onHand('BOX')]).toEqual([97, 18, 50, 5]);
  });

  it('keeps a keeper of another warehouse out: no creating, seeing or counting there', async () => {
    const other = call('KSZ');
    expect(await other('POST', '/stocktakes', { warehouse: 'SH' })).toMatchObject({ status: 403, body: { error: { code: 'WAREHOUSE_OUT_OF_SCOPE' } } });
    expect(await other('GET', `/stocktakes/${blindId}`)).toMatchObject({ status: 403, body: { error: { code: 'WAREHOUSE_OUT_OF_SCOPE' } } });
    expect(await other('GET', `/stocktakes/${blindId}/variance`)).toMatchObject({ status: 403 });
    const open = await call('KEEP')('POST', '/stocktakes', { warehouse: 'SH' });
    const count = await other('POST', `/stocktakes/${open.body.id}/counts`, { entries: [{ entryId: 'x1', item: 'TAPE', qty: 1 }] });
    expect(count).toMatchObject({ status: 403, body: { error: { code: 'WAREHOUSE_OUT_OF_SCOPE' } } });
    const own = await other('POST', '/stocktakes', { warehouse: 'SZ' });
    expect(own.status).toBe(201);
    const list = await other('GET', '/stocktakes');
    expect(list.body.stocktakes.map((s: { warehouse: { code: string } }) => s.warehouse.code)).toEqual(['SZ']);
    const counting = await call('WM')('GET', '/stocktakes?status=submitted');
    expect(counting.body.stocktakes.map((s: { id: number }) => s.id)).toEqual([blindId]);
  });
});

describe('a stocktake posts each variance at the location where it was counted', () => {
  const atLocation = async (code: string) => {
    const rows = await db.sql<{ location: string; q: string }[]>`
      select l.code as location, b.on_hand::text as q from stock_balances b join items i on i.id = b.item_id
      join locations l on l.id = b.location_id join warehouses w on w.id = b.warehouse_id
      where i.code = ${code} and w.code = 'SH' and i.company_id = ${co.admin.companyId} order by l.code`;
    return Object.fromEntries(rows.map((r) => [r.location, Number(r.q)]));
  };

  it('takes 2 from A-01 and adds 1 at DEFAULT, without netting them into one line', async () => {
    await item(db, co.admin, { code: 'NUT', name: '螺母M6', unitCost: '0.2', category: '五金' });
    await postMovement(db, co.admin, {
      type: 'receipt',
      warehouse: 'SH',
      lines: [
        { item: 'NUT', qty: 10 },
        { item: 'NUT', qty: 10, location: 'A-01' },
      ],
      idempotencyKey: idem(),
    });
    const k = call('KEEP');
    const created = await k('POST', '/stocktakes', { warehouse: 'SH', category: '五金' });
    const id = created.body.id as number;
    await k('POST', `/stocktakes/${id}/counts`, {
      entries: [
        { entryId: 'n1', item: 'NUT', location: 'A-01', qty: 8 },
        { entryId: 'n2', item: 'NUT', location: 'DEFAULT', qty: 11 },
      ],
    });
    const submitted = await k('POST', `/stocktakes/${id}/submit`, {});
    expect(submitted.status).toBe(200);
    const requestId = submitted.body.request.id as number;
    const lines = await db.sql<{ location: string; qty_base: string }[]>`
      select loc.code as location, l.qty_base::text from request_lines l join locations loc on loc.id = l.location_id
      where l.request_id = ${requestId} order by l.line_no`;
    expect(lines.map((l) => [l.location, Number(l.qty_base)])).toEqual([
      ['A-01', -2],
      ['DEFAULT', 1],
    ]);

    await eventually(
      () => db.sql`select 1 from approval_tasks where request_id = ${requestId} and assignee_id = ${co.ids.WM ?? 0} and status = 'pending'`,
      (r) => r.length > 0,
    );
    await decideRequest(reqDeps, { ...co.as('WM'), channel: 'miniapp' }, requestId, { decision: 'approve', clickId: 'wm-nut' });
    const done = await eventually(() => k('GET', `/stocktakes/${id}`), (r) => r.body.request?.status === 'completed');
    expect(done.body.request.status).toBe('completed');
    expect(await atLocation('NUT')).toEqual({ 'A-01': 8, DEFAULT: 11 });
    const posted = await db.sql<{ location: string; qty: string }[]>`
      select loc.code as location, sl.qty_delta::text as qty
      from stock_ledger sl join stock_documents d on d.id = sl.document_id join locations loc on loc.id = sl.location_id
      join items i on i.id = sl.item_id
      where d.company_id = ${co.admin.companyId} and d.reference = ${submitted.body.request.requestNo} and i.code = 'NUT' order by loc.code`;
    expect(posted.map((p) => [p.location, Number(p.qty)])).toEqual([
      ['A-01', -2],
      ['DEFAULT', 1],
    ]);
  });

  it('refuses a request line at a location of another warehouse', async () => {
    const refused = await submitRequest(reqDeps, co.as('KEEP'), {
      type: 'stocktake',
      reason: 'stocktake',
      warehouse: 'SZ',
      lines: [{ item: 'TAPE', qty: -1, location: 'A-01' }],
      idempotencyKey: idem(),
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([{ path: 'lines[0].location', message: 'no storage location A-01 in warehouse SZ', zh: '仓库 SZ 没有库位 A-01' }]);
  });
});
