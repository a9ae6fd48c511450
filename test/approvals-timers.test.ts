import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { decideRequest } from '../inventory/requests/actions.ts';
import { submitRequest, type RequestDeps } from '../inventory/requests/submit.ts';
import { getRequest } from '../inventory/requests/view.ts';
import { MemoryNotifier } from '../workflows/notifier.ts';
import { approvalCompany, approvalWorker, eventually, requestDeps } from './support/approvals.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';
import { createTimeSkippingEnv, uniqueTaskQueue } from './support/temporal.ts';

let db: Database;
let env: TestWorkflowEnvironment;
let co: Awaited<ReturnType<typeof approvalCompany>>;
let deps: RequestDeps;
let stop: () => Promise<void>;
const notifier = new MemoryNotifier();

beforeAll(async () => {
  db = await freshDatabase();
  co = await approvalCompany(db);
  await item(db, co.admin, { code: 'GEAR', name: '齿轮', unitCost: '30' });
  await co.policy({
    requestType: 'purchase',
    name: '采购审批',
    steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }], remindAfter: '2h', escalateAfter: '8h', escalateTo: { kind: 'manager' } }],
  });
  await co.policy({
    requestType: 'transfer',
    name: '调拨审批',
    steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }], escalateAfter: '1d', escalateTo: { kind: 'auto_reject' } }],
  });
  env = await createTimeSkippingEnv();
  const taskQueue = uniqueTaskQueue('timers');
  ({ stop } = await approvalWorker({ connection: env.nativeConnection, taskQueue, db, notifier }));
  deps = requestDeps(db, env.client, taskQueue);
}, 120_000);

afterAll(async () => {
  await stop?.();
});

const sentTo = (id: number, kind: string) => notifier.sent.filter((n) => n.requestId === id && n.kind === kind).map((n) => n.recipientId);

describe('deadlines (time-skipping server)', () => {
  it('reminds the approver after 2 h, escalates to their manager after 8 h, and the manager can decide', async () => {
    const { id } = await submitRequest(deps, co.as('KEEP'), { type: 'purchase', warehouse: 'SH', lines: [{ item: 'GEAR', qty: 3 }], idempotencyKey: idem() });
    await eventually(async () => sentTo(id, 'task'), (v) => v.length === 1);
    expect(sentTo(id, 'reminder')).toEqual([]);

    await env.sleep('3h');
    expect(await eventually(async () => sentTo(id, 'reminder'), (v) => v.length > 0)).toEqual([co.ids.WM]);
    expect(sentTo(id, 'escalation')).toEqual([]);

    await env.sleep('6h');
    expect(await eventually(async () => sentTo(id, 'escalation'), (v) => v.length > 0)).toEqual([co.ids.DIR]);
    const view = await eventually(() => getRequest(deps, co.admin, id), (v) => v.tasks.some((t) => t.assignee === 'DIR'));
    expect(view.tasks.map((t) => [t.assignee, t.status])).toEqual([
      ['WM', 'escalated'],
      ['DIR', 'pending'],
    ]);
    expect(view.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['reminded', 'escalated']));

    await decideRequest(deps, co.as('DIR'), id, { decision: 'approve', clickId: `dir-${id}` });
    expect((await eventually(() => getRequest(deps, co.admin, id), (v) => v.status === 'approved')).status).toBe('approved');
  });

  it('rejects automatically when the policy says so and nobody decides within a day', async () => {
    const { id } = await submitRequest(deps, co.as('KEEP'), {
      type: 'transfer',
      warehouse: 'SH',
      toWarehouse: 'SZ',
      lines: [{ item: 'GEAR', qty: 1 }],
      idempotencyKey: idem(),
    });
    await env.sleep('25h');
    const view = await eventually(() => getRequest(deps, co.admin, id), (v) => v.status === 'rejected');
    expect(view.status).toBe('rejected');
    expect(sentTo(id, 'outcome')).toEqual([co.ids.KEEP]);
  });
});
