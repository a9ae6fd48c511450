import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { stockOfItem } from '../inventory/queries/stock-of-item.ts';
import { decideRequest, delegateRequest, fulfilRequest } from '../inventory/requests/actions.ts';
import { submitRequest } from '../inventory/requests/submit.ts';
import { getRequest } from '../inventory/requests/view.ts';
import { MemoryNotifier } from '../workflows/notifier.ts';
import { approvalCompany, approvalWorker, eventually, requestDeps } from './support/approvals.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';
import { temporalClient, uniqueTaskQueue } from './support/temporal.ts';

let db: Database & { url: string };
let co: Awaited<ReturnType<typeof approvalCompany>>;
let shared: Awaited<ReturnType<typeof temporalClient>>;

beforeAll(async () => {
  db = await freshDatabase();
  co = await approvalCompany(db);
  shared = await temporalClient();
  await item(db, co.admin, { code: 'NUT', name: '螺母', unitCost: '1' });
  await postMovement(db, co.admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'NUT', qty: 60 }], idempotencyKey: idem() });
  await co.policy({ requestType: 'purchase', name: 'p', steps: [{ name: '主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] }] });
  await co.policy({ requestType: 'transfer', name: 't', steps: [{ name: '主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] }] });
  await co.policy({
    requestType: 'outbound',
    name: 'o',
    steps: [
      { name: '主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] },
      { name: '总监', mode: 'any', approvers: [{ kind: 'employee', employee: 'DIR' }] },
    ],
  });
}, 120_000);

const receipts = (requestNo: string) =>
  db.sql<{ n: number }[]>`select count(*)::int as n from stock_documents where reference = ${requestNo} and type = 'receipt'`.then((r) => r[0]?.n);

describe('approvals survive failures', () => {
  it('posts exactly once when the posting activity fails after it committed and is retried', async () => {
    const taskQueue = uniqueTaskQueue('once');
    const w = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db, faults: { failAfterPostingOnce: true } });
    const deps = requestDeps(db, shared.client, taskQueue);
    try {
      const { id, requestNo } = await submitRequest(deps, co.as('KEEP'), { type: 'purchase', warehouse: 'SH', lines: [{ item: 'NUT', qty: 40 }], idempotencyKey: idem() });
      await decideRequest(deps, co.as('WM'), id, { decision: 'approve', clickId: `ok-${id}` });
      await eventually(() => getRequest(deps, co.admin, id), (v) => v.status === 'approved');
      const result = await fulfilRequest(deps, co.as('KEEP'), id, { stage: 'receive', clickId: `recv-${id}` });
      expect(result).toMatchObject({ status: 'completed', stage: 'received' });
      expect(await receipts(requestNo)).toBe(1);
      expect((await stockOfItem(db, co.admin, 'NUT')).totals.onHand).toBe('100');
    } finally {
      await w.stop();
    }
  });

  it('a decision that reaches the workflow together with its start closes the task it decides', async () => {
    // No worker yet: the workflow's first task and the delegation wait together, and arrive in one activation.
    const taskQueue = uniqueTaskQueue('early');
    const deps = requestDeps(db, shared.client, taskQueue);
    const { id } = await submitRequest(deps, co.as('SALES'), { type: 'outbound', reason: 'sample', warehouse: 'SH', lines: [{ item: 'NUT', qty: 1 }], idempotencyKey: idem() });
    const delegated = delegateRequest(deps, co.as('WM'), id, { to: 'FIN', clickId: `early-${id}` });
    await new Promise((r) => setTimeout(r, 500));
    const w = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db });
    try {
      await delegated;
      const view = await eventually(() => getRequest(deps, co.admin, id), (v) => v.tasks.length === 2);
      expect(view.tasks.map((t) => [t.assignee, t.status])).toEqual([
        ['WM', 'delegated'],
        ['FIN', 'pending'],
      ]);
    } finally {
      await w.stop();
    }
  });

  it('finishes a request after its worker process was killed mid-approval and a new worker started', async () => {
    const taskQueue = uniqueTaskQueue('killed');
    const deps = requestDeps(db, shared.client, taskQueue);
    const child = spawn('npx', ['tsx', fileURLToPath(new URL('./fixtures/approval-worker-process.ts', import.meta.url))], {
      env: { ...process.env, TEMPORAL_ADDRESS: shared.address, DATABASE_URL: db.url, TASK_QUEUE: taskQueue },
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`worker process exited early (${code})`)));
    });
    const { id } = await submitRequest(deps, co.as('SALES'), { type: 'outbound', reason: 'sales', warehouse: 'SH', lines: [{ item: 'NUT', qty: 2 }], idempotencyKey: idem() });
    await decideRequest(deps, co.as('WM'), id, { decision: 'approve', clickId: `s1-${id}` });
    await eventually(() => getRequest(deps, co.admin, id), (v) => v.tasks.some((t) => t.assignee === 'DIR'));
    process.kill(-(child.pid ?? 0), 'SIGKILL'); // the whole process group: npx, tsx and the worker
    await new Promise((r) => child.once('exit', r));

    const second = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db });
    try {
      await decideRequest(deps, co.as('DIR'), id, { decision: 'approve', clickId: `s2-${id}` });
      const view = await eventually(() => getRequest(deps, co.admin, id), (v) => v.status === 'approved');
      expect(view.status).toBe('approved');
      expect(view.tasks.map((t) => [t.assignee, t.status])).toEqual([
        ['WM', 'approved'],
        ['DIR', 'approved'],
      ]);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('fails a transfer visibly when stock is gone by the time it ships, and tells requester and approver', async () => {
    const taskQueue = uniqueTaskQueue('short');
    const notifier = new MemoryNotifier();
    const w = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db, notifier });
    const deps = requestDeps(db, shared.client, taskQueue);
    try {
      const onHand = Number((await stockOfItem(db, co.admin, 'NUT')).warehouses.find((x) => x.warehouse === 'SH')?.available);
      const { id } = await submitRequest(deps, co.as('KEEP'), {
        type: 'transfer',
        warehouse: 'SH',
        toWarehouse: 'SZ',
        lines: [{ item: 'NUT', qty: onHand }],
        idempotencyKey: idem(),
      });
      await decideRequest(deps, co.as('WM'), id, { decision: 'approve', clickId: `t-${id}` });
      await eventually(() => getRequest(deps, co.admin, id), (v) => v.status === 'approved');
      // meanwhile someone ships part of it elsewhere
      await postMovement(db, co.admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'NUT', qty: 1 }], idempotencyKey: idem() });
      const shipped = await fulfilRequest(deps, co.as('KEEP'), id, { stage: 'ship', clickId: `ship-${id}` });
      expect(shipped).toMatchObject({ status: 'failed', failure: { code: 'INSUFFICIENT_STOCK' } });
      const view = await eventually(() => getRequest(deps, co.admin, id), (v) => v.status === 'failed');
      expect(view.failure).toMatchObject({ code: 'INSUFFICIENT_STOCK' });
      const told = await eventually(
        async () => notifier.sent.filter((n) => n.requestId === id && n.kind === 'failure').map((n) => n.recipientId).sort(),
        (v) => v.length >= 2,
      );
      expect(told).toEqual([co.ids.WM, co.ids.KEEP].sort());
    } finally {
      await w.stop();
    }
  });
});
