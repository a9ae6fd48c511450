import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { savePolicy } from '../inventory/approvals/policies.ts';
import { DomainError } from '../inventory/errors.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { decideRequest, delegateRequest, fulfilRequest, withdrawRequest } from '../inventory/requests/actions.ts';
import { submitRequest, type RequestDeps } from '../inventory/requests/submit.ts';
import { getRequest, myPendingApprovals } from '../inventory/requests/view.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { createActivities } from '../workflows/activities.ts';
import { MemoryNotifier } from '../workflows/notifier.ts';
import { TemporalGateway } from '../workflows/temporal-gateway.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';
import { bundleOnce, temporalClient, uniqueTaskQueue } from './support/temporal.ts';

let db: Database;
let admin: Actor;
let deps: RequestDeps;
let worker: Worker;
let running: Promise<void>;
const notifier = new MemoryNotifier();
let shared: Awaited<ReturnType<typeof temporalClient>>;
const ids: Record<string, number> = {};
/** The same company, acting as one of its employees. */
const as = (code: string): Actor => ({ ...admin, employeeId: ids[code] ?? -1, scopes: ['stock:read', 'stock:write'], channel: 'api' });

beforeAll(async () => {
  db = await freshDatabase();
  admin = await companyWithWarehouses(db);
  for (const e of [
    { code: 'DIR', name: '总监', roles: ['director'] },
    { code: 'WM', name: '仓库主管', roles: ['warehouse_manager'], manager: 'DIR' },
    { code: 'KEEP', name: '仓管员', roles: ['warehouse_keeper'], manager: 'WM' },
    { code: 'FIN', name: '财务', roles: ['finance'], manager: 'DIR' },
    { code: 'QC', name: '质检', roles: ['qc'], manager: 'DIR' },
    { code: 'SALES', name: '销售', roles: ['sales'], manager: 'DIR' },
  ]) {
    await createEmployee(db, admin, e);
  }
  for (const r of await db.sql<{ id: number; code: string }[]>`select id, code from employees where company_id = ${admin.companyId}`) ids[r.code] = r.id;
  await item(db, admin, { code: 'BOLT', name: '六角螺栓', unitCost: '2' });
  await postMovement(db, admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 100 }], idempotencyKey: idem() });

  await savePolicy(db, admin, {
    requestType: 'outbound',
    name: '出库审批',
    steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'role', role: 'warehouse_manager' }] }],
  });
  await savePolicy(db, admin, {
    requestType: 'purchase',
    name: '采购审批',
    steps: [
      { name: '主管', mode: 'any', approvers: [{ kind: 'manager' }] },
      { name: '财务+质检', mode: 'all', approvers: [{ kind: 'role', role: 'finance' }, { kind: 'role', role: 'qc' }] },
      { name: '总监', mode: 'any', approvers: [{ kind: 'role', role: 'director' }], when: { amountAbove: 10000 } },
    ],
  });

  shared = await temporalClient();
  const { client, nativeConnection } = shared;
  const taskQueue = uniqueTaskQueue('approvals');
  worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await bundleOnce(new URL('../workflows/approval/approval.workflow.ts', import.meta.url)),
    activities: createActivities({ db, notifier }),
  });
  running = worker.run();
  deps = { db, gateway: new TemporalGateway(client, taskQueue), reservations: new ReservationService(db) };
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
});

/** Waits until the projection shows what the workflow decided (activities run just after an update returns). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i > 100) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * RECORD_HISTORIES=1 npx vitest run test/approvals.test.ts writes this run's
 * workflow history to test/fixtures/histories/, which test/replay.test.ts
 * replays against the current workflow code to catch determinism breaks.
 */
async function recordHistory(name: string, view: { id: number }): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const [row] = await db.sql<{ workflow_id: string }[]>`select workflow_id from requests where id = ${view.id}`;
  const history = await shared.client.workflow.getHandle(row?.workflow_id ?? '').fetchHistory();
  const { writeFile, mkdir } = await import('node:fs/promises');
  const dir = new URL('./fixtures/histories/', import.meta.url);
  await mkdir(dir, { recursive: true });
  await writeFile(new URL(`${name}.json`, dir), historyToJSON(history));
}

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof DomainError ? e.code : e));

describe('purchase request through a three-step policy', () => {
  it('walks manager → 会签 finance+qc → director above 10000, then receives in parts', async () => {
    const { id } = await submitRequest(deps, as('KEEP'), {
      type: 'purchase',
      warehouse: 'SH',
      lines: [{ item: 'BOLT', qty: 6000, unitPrice: 2 }],
      idempotencyKey: idem(),
    });
    let view = await eventually(() => getRequest(deps, admin, id), (v) => v.tasks.length > 0);
    expect(view).toMatchObject({ status: 'pending', amount: '12000', live: { stepName: '主管', assignees: [{ code: 'WM', name: '仓库主管' }] } });
    expect(await myPendingApprovals(deps, as('WM'))).toEqual([expect.objectContaining({ id, step: '主管' })]);

    expect(await refusal(decideRequest(deps, as('FIN'), id, { decision: 'approve', clickId: 'c-fin-early' }))).toBe('NOT_AN_ASSIGNEE');
    await decideRequest(deps, as('WM'), id, { decision: 'approve', clickId: 'c1' });
    // the same tap again answers the first result and decides nothing more
    expect(await decideRequest(deps, as('WM'), id, { decision: 'approve', clickId: 'c1' })).toEqual({ status: 'pending', stepIndex: 1 });

    await decideRequest(deps, as('FIN'), id, { decision: 'approve', comment: '预算内', clickId: 'c2' });
    view = await getRequest(deps, admin, id);
    expect(view.live).toMatchObject({ stepName: '财务+质检', assignees: [{ code: 'QC', name: '质检' }] });
    await decideRequest(deps, as('QC'), id, { decision: 'approve', clickId: 'c3' });
    await decideRequest(deps, as('DIR'), id, { decision: 'approve', clickId: 'c4' });
    view = await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'approved');
    expect(view.status).toBe('approved');
    expect(await refusal(decideRequest(deps, as('DIR'), id, { decision: 'reject', clickId: 'c5' }))).toBe('REQUEST_FINISHED');

    expect(await refusal(fulfilRequest(deps, as('SALES'), id, { stage: 'receive', clickId: 'r0' }))).toBe('NOT_FULFILLER');
    const part = await fulfilRequest(deps, as('KEEP'), id, { stage: 'receive', lines: [{ item: 'BOLT', qty: 2000 }], clickId: 'r1' });
    expect(part).toMatchObject({ status: 'approved', stage: 'partially_received' });
    const rest = await fulfilRequest(deps, as('KEEP'), id, { stage: 'receive', clickId: 'r2' });
    expect(rest).toMatchObject({ status: 'completed', stage: 'received' });
    expect((await stockOfItem(db, admin, 'BOLT')).totals.onHand).toBe('6100');
    view = await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'completed');
    expect(view.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['submitted', 'approve', 'step_completed', 'approved', 'receive']),
    );
    expect(notifier.sent.filter((n) => n.requestId === id && n.kind === 'task').map((n) => n.recipientId).sort()).toEqual(
      [ids.WM, ids.FIN, ids.QC, ids.DIR].sort(),
    );
    await recordHistory('purchase-three-steps', view);
  });

  it('leaves out the director step at or below 10000', async () => {
    const { id } = await submitRequest(deps, as('KEEP'), { type: 'purchase', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 10 }], idempotencyKey: idem() });
    await decideRequest(deps, as('WM'), id, { decision: 'approve', clickId: `a-${id}` });
    await decideRequest(deps, as('FIN'), id, { decision: 'approve', clickId: `b-${id}` });
    await decideRequest(deps, as('QC'), id, { decision: 'approve', clickId: `c-${id}` });
    expect((await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'approved')).status).toBe('approved');
  });
});

describe('outbound request', () => {
  it('holds stock at submission, then accept → pick → check → ship posts the issue', async () => {
    const { id } = await submitRequest(deps, as('SALES'), {
      type: 'outbound',
      reason: 'sales',
      warehouse: 'SH',
      lines: [{ item: 'BOLT', qty: 30 }],
      idempotencyKey: idem(),
    });
    expect((await stockOfItem(db, admin, 'BOLT')).totals.reserved).toBe('30');
    await decideRequest(deps, as('WM'), id, { decision: 'approve', clickId: `o-${id}` });
    await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'approved');
    expect(await refusal(fulfilRequest(deps, as('KEEP'), id, { stage: 'ship', clickId: `s0-${id}` }))).toBe('WRONG_STAGE');
    for (const stage of ['accept', 'pick', 'check'] as const) await fulfilRequest(deps, as('KEEP'), id, { stage, clickId: `${stage}-${id}` });
    const shipped = await fulfilRequest(deps, as('KEEP'), id, { stage: 'ship', clickId: `ship-${id}` });
    expect(shipped).toMatchObject({ status: 'completed', stage: 'shipped', documentNo: expect.stringMatching(/^CK/) });
    expect((await stockOfItem(db, admin, 'BOLT')).totals).toMatchObject({ reserved: '0' });
  });

  it('rejection releases the held stock', async () => {
    const before = (await stockOfItem(db, admin, 'BOLT')).totals.reserved;
    const { id } = await submitRequest(deps, as('SALES'), { type: 'outbound', reason: 'sample', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 5 }], idempotencyKey: idem() });
    expect(Number((await stockOfItem(db, admin, 'BOLT')).totals.reserved)).toBe(Number(before) + 5);
    await decideRequest(deps, as('WM'), id, { decision: 'reject', comment: '库存留给订单', clickId: `rej-${id}` });
    const after = await eventually(() => stockOfItem(db, admin, 'BOLT'), (s) => s.totals.reserved === before);
    expect(after.totals.reserved).toBe(before);
  });

  it('the requester can withdraw while pending; nobody else can', async () => {
    const { id } = await submitRequest(deps, as('SALES'), { type: 'outbound', reason: 'requisition', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 1 }], idempotencyKey: idem() });
    expect(await refusal(withdrawRequest(deps, as('KEEP'), id, { clickId: `w0-${id}` }))).toBe('NOT_REQUESTER');
    await withdrawRequest(deps, as('SALES'), id, { clickId: `w1-${id}` });
    expect((await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'withdrawn')).status).toBe('withdrawn');
  });

  it('转办: the delegate decides instead of the original approver', async () => {
    const { id } = await submitRequest(deps, as('SALES'), { type: 'outbound', reason: 'sales', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 1 }], idempotencyKey: idem() });
    await delegateRequest(deps, as('WM'), id, { to: 'DIR', comment: '出差', clickId: `d-${id}` });
    expect(await refusal(decideRequest(deps, as('WM'), id, { decision: 'approve', clickId: `x-${id}` }))).toBe('NOT_AN_ASSIGNEE');
    await decideRequest(deps, as('DIR'), id, { decision: 'approve', clickId: `y-${id}` });
    const view = await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'approved' && v.tasks.every((t) => t.status !== 'pending'));
    await recordHistory('outbound-delegated', view);
    expect(view.tasks.map((t) => [t.assignee, t.status])).toEqual([
      ['WM', 'delegated'],
      ['DIR', 'approved'],
    ]);
  });
});

describe('stocktake variance (盘点差异)', () => {
  it('goes through approvers in order, then posts the adjustment', async () => {
    await savePolicy(db, admin, {
      requestType: 'stocktake',
      name: '盘点',
      steps: [{ name: '主管然后财务', mode: 'sequential', approvers: [{ kind: 'employee', employee: 'WM' }, { kind: 'employee', employee: 'FIN' }] }],
    });
    const before = Number((await stockOfItem(db, admin, 'BOLT')).totals.onHand);
    const { id } = await submitRequest(deps, as('KEEP'), { type: 'stocktake', warehouse: 'SH', lines: [{ item: 'BOLT', qty: -3 }], idempotencyKey: idem() });
    expect(await refusal(decideRequest(deps, as('FIN'), id, { decision: 'approve', clickId: `f-${id}` }))).toBe('NOT_AN_ASSIGNEE');
    await decideRequest(deps, as('WM'), id, { decision: 'approve', clickId: `w-${id}` });
    await decideRequest(deps, as('FIN'), id, { decision: 'approve', clickId: `f2-${id}` });
    const view = await eventually(() => getRequest(deps, admin, id), (v) => v.status === 'completed');
    expect(view).toMatchObject({ status: 'completed', stage: 'posted', amount: '6' });
    expect(Number((await stockOfItem(db, admin, 'BOLT')).totals.onHand)).toBe(before - 3);
  });
});

describe('bad requests change nothing', () => {
  it('refuses an outbound beyond available stock before anything is saved', async () => {
    const before = await db.sql`select count(*)::int as n from requests`;
    expect(await refusal(submitRequest(deps, as('SALES'), { type: 'outbound', reason: 'sales', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 100000 }], idempotencyKey: idem() }))).toBe(
      'INSUFFICIENT_STOCK',
    );
    expect(await db.sql`select count(*)::int as n from requests`).toEqual(before);
  });

  it('needs an employee to act for', async () => {
    expect(await refusal(submitRequest(deps, admin, { type: 'purchase', warehouse: 'SH', lines: [{ item: 'BOLT', qty: 1 }], idempotencyKey: idem() }))).toBe('EMPLOYEE_REQUIRED');
  });
});
