import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { rollUpThrough } from '../inventory/reports/snapshot.ts';
import { addDays, todayIn } from '../inventory/today.ts';
import { TemporalGateway } from '../workflows/temporal-gateway.ts';
import { approvalCompany, approvalWorker, eventually } from './support/approvals.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';
import { miniappHarness } from './support/miniapp.ts';
import { temporalClient, uniqueTaskQueue } from './support/temporal.ts';

/*
 * The mini-app API as a phone uses it, on a real database and a real
 * Temporal server: every route re-checks who is calling, and a warehouse
 * keeper of 上海仓 (SH) can neither see nor act on 苏州仓 (SZ).
 */
let db: Database;
let companyId: number;
let stopWorker: () => Promise<void>;
let mini: ReturnType<typeof miniappHarness>;
type Call = Awaited<ReturnType<ReturnType<typeof miniappHarness>['as']>>;
const as: Record<string, Call> = {};
// biome-ignore lint: tests read any JSON shape
const body = async (res: Response) => (await res.json()) as any;

beforeAll(async () => {
  db = await freshDatabase();
  const co = await approvalCompany(db);
  companyId = co.admin.companyId;
  await createEmployee(db, co.admin, { code: 'KSH', name: '上海仓管', roles: ['warehouse_keeper'], warehouses: ['SH'], manager: 'WM' });
  await createEmployee(db, co.admin, { code: 'KSZ', name: '苏州仓管', roles: ['warehouse_keeper'], warehouses: ['SZ'], manager: 'WM' });
  await createEmployee(db, co.admin, { code: 'MSZ', name: '苏州主管', roles: ['warehouse_manager'], warehouses: ['SZ'], manager: 'DIR' });
  await co.policy({ requestType: 'outbound', name: '出库', steps: [{ name: '主管审批', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] }] });
  await item(db, co.admin, { code: 'TAPE', name: '胶带', unit: '卷', unitCost: '3.5', barcode: '6901234567892', category: '包材' });
  const today = todayIn(co.admin.timezone);
  const daysAgo = (n: number) => new Date(`${addDays(today, -n)}T12:00:00+08:00`);
  await postMovement(db, co.admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'TAPE', qty: 50 }], idempotencyKey: idem() }, { postedAt: daysAgo(10) });
  await postMovement(db, co.admin, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'TAPE', qty: 30 }], idempotencyKey: idem() }, { postedAt: daysAgo(9) });
  await postMovement(db, co.admin, { type: 'issue', warehouse: 'SZ', lines: [{ item: 'TAPE', qty: 4 }], idempotencyKey: idem() }, { postedAt: daysAgo(3) });
  await rollUpThrough(db, companyId, addDays(today, -1));

  const shared = await temporalClient();
  const taskQueue = uniqueTaskQueue('miniapp');
  ({ stop: stopWorker } = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db }));
  mini = miniappHarness(db, { gateway: new TemporalGateway(shared.client, taskQueue), devSignIn: { companyId } });
  for (const code of ['KSH', 'KSZ', 'MSZ', 'WM', 'SALES']) as[code] = await mini.as(companyId, code);
}, 120_000);

afterAll(async () => {
  await stopWorker?.();
});

describe('signing in', () => {
  it('offers the development sign-in when no messenger is configured, and its session opens /me', async () => {
    const options = await body(await mini.request('/auth/options'));
    expect(options).toEqual({ devSignIn: true, platforms: {} });
    const people = await body(await mini.request('/auth/dev/people'));
    expect(people.people.map((p: { code: string }) => p.code)).toContain('KSH');
    const signIn = await mini.request('/auth/dev', { method: 'POST', json: { code: 'KSH' } });
    expect(signIn.status).toBe(200);
    const { token, expiresAt } = await body(signIn);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
    const me = await body(await mini.request('/me', { token }));
    expect(me).toMatchObject({ code: 'KSH', roles: ['warehouse_keeper'], seesCost: false, warehouses: [{ code: 'SH', name: '上海仓' }] });
    expect(me.destinations.map((w: { code: string }) => w.code)).toEqual(['SH', 'SZ']);
  });

  it('refuses calls without a session, with a forged one, and for an unknown employee', async () => {
    expect((await mini.request('/me')).status).toBe(401);
    expect((await mini.request('/me', { token: 'not-a-session' })).status).toBe(401);
    const forged = miniappHarness(db, { sessionSecret: 'another-secret-another-secret-0000' });
    const token = await forged.tokenFor(companyId, 'KSH');
    const res = await mini.request('/me', { token });
    expect(res.status).toBe(401);
    expect((await body(res)).error.code).toBe('UNAUTHORIZED');
    const nobody = await mini.request('/auth/dev', { method: 'POST', json: { code: 'NOBODY' } });
    expect(nobody.status).toBe(404);
  });

  it('has no development sign-in once a messenger is configured', async () => {
    const locked = miniappHarness(db, { devSignIn: null });
    expect((await body(await locked.request('/auth/options'))).devSignIn).toBe(false);
    expect((await locked.request('/auth/dev', { method: 'POST', json: { code: 'KSH' } })).status).toBe(404);
    expect((await locked.request('/auth/dev/people')).status).toBe(404);
  });

  it('ends an expired session and a deactivated employee at once, in the caller’s language', async () => {
    const short = miniappHarness(db, { sessionTtlSeconds: -10 });
    const expired = await short.request('/me', { token: await short.tokenFor(companyId, 'KSH'), headers: { 'accept-language': 'en' } });
    expect(expired.status).toBe(401);
    expect((await body(expired)).error).toMatchObject({ code: 'SESSION_EXPIRED', message: expect.stringContaining('expired') });
    const token = await mini.tokenFor(companyId, 'SALES');
    expect((await mini.request('/me', { token })).status).toBe(200);
    await db.sql`update employees set active = false where company_id = ${companyId} and code = 'SALES'`;
    try {
      expect((await mini.request('/me', { token })).status).toBe(401);
    } finally {
      await db.sql`update employees set active = true where company_id = ${companyId} and code = 'SALES'`;
    }
  });
});

describe('what a scoped keeper sees of stock', () => {
  it('search counts only the keeper’s warehouses', async () => {
    const ksh = await body(await as.KSH!('/items?q=胶带'));
    expect(ksh.items).toEqual([expect.objectContaining({ code: 'TAPE', available: '50' })]);
    const wm = await body(await as.WM!('/items?q=6901234567892'));
    expect(wm.items).toEqual([expect.objectContaining({ code: 'TAPE', match: 'barcode', available: '76' })]);
  });

  it('the item page leaves out other warehouses, their history and the company-wide value', async () => {
    const ksh = await body(await as.KSH!('/items/TAPE'));
    expect(ksh.warehouses.map((w: { warehouse: string }) => w.warehouse)).toEqual(['SH']);
    expect(ksh.totals).toMatchObject({ onHand: '50', available: '50' });
    expect(ksh.history.map((m: { warehouse: string }) => m.warehouse)).toEqual(['SH']);
    expect(ksh.unitCost).toBeNull();
    expect(ksh.value).toBeNull();
    // 90 closed days and today; SH has held 50 since ten days ago.
    expect(ksh.series).toHaveLength(91);
    expect(ksh.series.at(-1).qty).toBe('50');
    expect(ksh.series.at(-12).qty).toBe('0');

    const wm = await body(await as.WM!('/items/TAPE'));
    expect(wm.warehouses.map((w: { warehouse: string }) => w.warehouse)).toEqual(['SH', 'SZ']);
    expect(wm.totals).toMatchObject({ onHand: '76' });
    expect(wm.unitCost).toBe('3.5');
    expect(wm.series.at(-1).qty).toBe('76');
  });

  it('lists the storage locations of the keeper’s warehouse only (for choosing what to count)', async () => {
    expect(await body(await as.KSH!('/warehouses/SH/locations'))).toEqual({ locations: [{ code: 'A-01', name: 'A区01' }, { code: 'DEFAULT', name: expect.any(String) }] });
    const other = await as.KSH!('/warehouses/SZ/locations');
    expect(other.status).toBe(403);
    expect((await body(other)).error.code).toBe('WAREHOUSE_OUT_OF_SCOPE');
  });

  it('refuses another warehouse’s availability', async () => {
    const res = await as.KSH!('/requests/available?warehouse=SZ&items=TAPE');
    expect(res.status).toBe(403);
    expect((await body(res)).error.code).toBe('WAREHOUSE_OUT_OF_SCOPE');
    expect(await body(await as.KSH!('/requests/available?warehouse=SH&items=TAPE'))).toEqual({ available: { TAPE: '50' } });
  });
});

describe('a request from the phone, decided and shipped', () => {
  let id: number;

  it('refuses an outbound request from a warehouse outside the keeper’s scope and saves nothing', async () => {
    const res = await as.KSH!('/requests', { method: 'POST', json: { type: 'outbound', reason: 'sample', warehouse: 'SZ', lines: [{ item: 'TAPE', qty: '2' }], idempotencyKey: idem() } });
    expect(res.status).toBe(403);
    expect((await body(res)).error).toMatchObject({ code: 'WAREHOUSE_OUT_OF_SCOPE', details: { warehouse: 'SZ' } });
    expect((await body(await as.KSH!('/requests/mine'))).requests).toEqual([]);
  });

  it('lists every problem of a bad request at once', async () => {
    const res = await as.KSH!('/requests', { method: 'POST', json: { type: 'outbound', warehouse: 'SH', lines: [{ item: '', qty: '2' }] } });
    expect(res.status).toBe(400);
    const issues = (await body(res)).error.details.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['lines[0].item', 'idempotencyKey']));
    // Chinese by default, down to each problem; English when the phone asks for it.
    expect(issues.find((i) => i.path === 'idempotencyKey')?.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await as.KSH!('/requests', { method: 'POST', headers: { 'accept-language': 'en' }, json: { type: 'outbound', warehouse: 'SH', lines: [{ item: '', qty: '2' }] } });
    const enIssues = (await body(en)).error.details.issues as { path: string; message: string }[];
    expect(enIssues.find((i) => i.path === 'idempotencyKey')?.message).toMatch(/^Invalid input/);
  });

  it('submits from the keeper’s warehouse; the approver sees it, approves it', async () => {
    const res = await as.KSH!('/requests', { method: 'POST', json: { type: 'outbound', reason: 'sample', warehouse: 'SH', lines: [{ item: 'TAPE', qty: '5' }], idempotencyKey: idem() } });
    expect(res.status).toBe(201);
    ({ id } = await body(res));
    const tasks = await eventually(
      async () => body(await as.WM!('/approvals')),
      (v) => v.pending.some((p: { id: number }) => p.id === id),
    );
    expect(tasks.pending.find((p: { id: number }) => p.id === id)).toMatchObject({ type: 'outbound', requester: '上海仓管' });

    const notMine = await as.KSH!(`/approvals/${id}/decide`, { method: 'POST', json: { decision: 'approve', clickId: 'k1' } });
    expect(notMine.status).toBe(403);
    expect((await body(notMine)).error.code).toBe('NOT_AN_ASSIGNEE');

    const approved = await as.WM!(`/approvals/${id}/decide`, { method: 'POST', json: { decision: 'approve', comment: '同意', clickId: 'wm-1' } });
    expect(approved.status).toBe(200);
    const view = await eventually(
      async () => body(await as.KSH!(`/requests/${id}`)),
      (v) => v.status === 'approved',
    );
    expect(view.status).toBe('approved');
    expect(view.live.nextStages).toEqual(['accept']);
    // The page, like the card, shows the line's stock as it is now: 50 on hand, 5 held for this request.
    expect(view.available).toEqual({ TAPE: '45' });
  });

  it('keeps the request from a keeper of another warehouse', async () => {
    const res = await as.KSZ!(`/requests/${id}`);
    expect(res.status).toBe(403);
    const comment = await as.KSZ!(`/requests/${id}/comment`, { method: 'POST', json: { comment: '看看', clickId: 'ksz-c1' } });
    expect(comment.status).toBe(403);
    // The approver, who had a task on it, may comment; the comment joins the timeline.
    expect((await as.WM!(`/requests/${id}/comment`, { method: 'POST', json: { comment: '包装要结实', clickId: 'wm-c1' } })).status).toBe(200);
    const timeline = (await body(await as.KSH!(`/requests/${id}`))).timeline as { kind: string; detail: { comment?: string } | null }[];
    expect(timeline.some((e) => e.detail?.comment === '包装要结实')).toBe(true);
    expect((await body(await as.KSZ!('/fulfilment'))).requests.map((r: { id: number }) => r.id)).not.toContain(id);
    const fulfil = await as.KSZ!(`/requests/${id}/fulfil`, { method: 'POST', json: { stage: 'accept', clickId: 'ksz-1' } });
    expect(fulfil.status).toBe(403);
  });

  it('is accepted, picked, checked and shipped by the keeper from the warehouse queue, and stock goes down', async () => {
    expect((await body(await as.KSH!('/fulfilment'))).requests.map((r: { id: number }) => r.id)).toContain(id);
    for (const stage of ['accept', 'pick', 'check', 'ship']) {
      const res = await as.KSH!(`/requests/${id}/fulfil`, { method: 'POST', json: { stage, clickId: `ksh-${stage}` } });
      expect(res.status, stage).toBe(200);
    }
    const done = await eventually(
      async () => body(await as.KSH!(`/requests/${id}`)),
      (v) => v.status === 'completed',
    );
    expect(done.status).toBe('completed');
    expect((await body(await as.KSH!('/items/TAPE'))).totals.onHand).toBe('45');
  });
});

describe('finding colleagues', () => {
  it('lists the company’s active people by name or code, never the asker and never another company’s', async () => {
    const found = (await body(await as.KSH!('/people?q=仓管'))).people.map((p: { code: string }) => p.code);
    expect(found).toEqual(['KEEP', 'KSZ']);
    const other = await approvalCompany(db);
    const stranger = await mini.as(other.admin.companyId, 'WM');
    expect((await body(await stranger('/people?q=仓管'))).people.map((p: { code: string }) => p.code)).toEqual(['KEEP']);
  });
});

describe('the dashboard', () => {
  it('is for roles that see cost', async () => {
    const res = await as.KSH!('/dashboard');
    expect(res.status).toBe(403);
    expect((await body(res)).error.code).toBe('ROLE_REQUIRED');
  });

  it('shows an unscoped manager every warehouse, with 30 days and 12 months of flows', async () => {
    const d = await body(await as.WM!('/dashboard'));
    expect(d.byWarehouse.map((w: { key: string }) => w.key).sort()).toEqual(['SH', 'SZ']);
    expect(Number(d.summary.closingValue)).toBeCloseTo(76 * 3.5, 2);
    expect(d.daily).toHaveLength(30);
    expect(d.monthly.length).toBeGreaterThanOrEqual(12);
    expect(d.daily.reduce((s: number, p: { inboundQty: string }) => s + Number(p.inboundQty), 0)).toBe(80);
    expect(d.filters.categories).toEqual(['包材']);
  });

  it('shows a scoped manager only their warehouse, and refuses another', async () => {
    const d = await body(await as.MSZ!('/dashboard'));
    expect(d.byWarehouse.map((w: { key: string }) => w.key)).toEqual(['SZ']);
    expect(Number(d.summary.closingValue)).toBeCloseTo(26 * 3.5, 2);
    expect(d.daily.reduce((s: number, p: { outboundQty: string }) => s + Number(p.outboundQty), 0)).toBe(4);
    const other = await as.MSZ!('/dashboard?warehouse=SH');
    expect(other.status).toBe(403);
    expect((await body(other)).error.code).toBe('WAREHOUSE_OUT_OF_SCOPE');
  });
});
