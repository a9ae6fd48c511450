import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/auth/tokens.ts';
import { createApp } from '../app/http/app.ts';
import type { Database } from '../db/client.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { approvalCompany, approvalWorker, eventually, requestDeps } from './support/approvals.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';
import { temporalClient, uniqueTaskQueue } from './support/temporal.ts';

let db: Database;
let server: ServerType;
let base: string;
let stopWorker: () => Promise<void>;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await freshDatabase();
  const co = await approvalCompany(db);
  await item(db, co.admin, { code: 'TAPE', name: '胶带', unit: '卷', unitCost: '3.5' });
  await postMovement(db, co.admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'TAPE', qty: 50 }], idempotencyKey: idem() });
  tokens.admin = (await createApiToken(db, { companyId: co.admin.companyId, name: 'admin', scopes: ['admin'] })).token;
  for (const code of ['KEEP', 'WM', 'FIN']) {
    tokens[code] = (await createApiToken(db, { companyId: co.admin.companyId, name: code, scopes: ['stock:read', 'stock:write'], employeeId: co.ids[code] ?? null })).token;
  }
  const shared = await temporalClient();
  const taskQueue = uniqueTaskQueue('api');
  ({ stop: stopWorker } = await approvalWorker({ connection: shared.nativeConnection, taskQueue, db }));
  const deps = requestDeps(db, shared.client, taskQueue);
  const app = createApp({ ...deps, version: 'test' });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stopWorker?.();
});

async function call(method: string, path: string, who: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint: tests read any JSON shape
  return { status: res.status, body: (await res.json()) as any };
}

describe('approval policies over HTTP', () => {
  it('refuses a policy nobody could approve, then versions a good one', async () => {
    const unknownRole = await call('POST', '/api/v1/policies', 'admin', {
      requestType: 'purchase',
      name: '采购',
      steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'role', role: 'janitor' }] }],
    });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['steps[0].approvers[0].role']);
    const backwards = await call('POST', '/api/v1/policies', 'admin', {
      requestType: 'purchase',
      name: '采购',
      steps: [{ name: 'x', mode: 'any', approvers: [{ kind: 'manager' }], remindAfter: '3h', escalateAfter: '2h', escalateTo: { kind: 'manager' } }],
    });
    expect(backwards.body.error.details.issues).toEqual([{ path: 'steps[0].remindAfter', message: 'the reminder must come before the escalation' }]);
    const nobody = await call('POST', '/api/v1/policies', 'admin', {
      requestType: 'purchase',
      name: '采购',
      steps: [
        { name: 'y', mode: 'all', approvers: [{ kind: 'employee', employee: 'NOBODY' }] },
        { name: 'z', mode: 'any', approvers: [{ kind: 'role', role: 'qc' }] },
      ],
    });
    expect(nobody.body.error.details.issues).toEqual([
      { path: 'steps[0].approvers[0]', message: 'no active employee NOBODY' },
      { path: 'steps[1].approvers[0]', message: 'no active employee holds role qc' },
    ]);

    const good = { requestType: 'purchase', name: '采购', steps: [{ name: '主管', mode: 'any', approvers: [{ kind: 'manager' }] }] };
    expect((await call('POST', '/api/v1/policies', 'admin', good)).body).toMatchObject({ version: 1 });
    const v2 = await call('POST', '/api/v1/policies', 'admin', { ...good, steps: [...good.steps, { name: '财务', mode: 'any', approvers: [{ kind: 'role', role: 'finance' }] }] });
    expect(v2).toMatchObject({ status: 201, body: { version: 2 } });
    const list = await call('GET', '/api/v1/policies', 'admin');
    expect(list.body.policies).toEqual([expect.objectContaining({ requestType: 'purchase', version: 2 })]);
    expect((await call('POST', '/api/v1/policies', 'KEEP', good)).status).toBe(403);
  });
});

describe('requests over HTTP', () => {
  it('submit → my approvals → decide (twice with one click) → finance → receive', async () => {
    const submitted = await call('POST', '/api/v1/requests', 'KEEP', {
      type: 'purchase',
      warehouse: 'SH',
      lines: [{ item: 'TAPE', qty: 20 }],
      note: '下周生产用',
      idempotencyKey: idem(),
    });
    expect(submitted).toMatchObject({ status: 201, body: { status: 'pending', amount: '70', requester: { code: 'KEEP' } } });
    const id = submitted.body.id as number;

    const mine = await eventually(() => call('GET', '/api/v1/approvals?assignee=me', 'WM'), (r) => r.body.approvals.length > 0);
    expect(mine.body.approvals).toEqual([expect.objectContaining({ id, step: '主管' })]);

    const wrong = await call('POST', `/api/v1/requests/${id}/decisions`, 'FIN', { decision: 'approve', clickId: 'f0' });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'NOT_AN_ASSIGNEE' } } });
    const first = await call('POST', `/api/v1/requests/${id}/decisions`, 'WM', { decision: 'approve', comment: '同意', clickId: 'w1' });
    const again = await call('POST', `/api/v1/requests/${id}/decisions`, 'WM', { decision: 'approve', comment: '同意', clickId: 'w1' });
    expect(again).toEqual(first);
    expect(first).toMatchObject({ status: 200, body: { status: 'pending', stepIndex: 1 } });

    await call('POST', `/api/v1/requests/${id}/decisions`, 'FIN', { decision: 'approve', clickId: 'f1' });
    const approved = await eventually(() => call('GET', `/api/v1/requests/${id}`, 'KEEP'), (r) => r.body.status === 'approved');
    expect(approved.body.live.nextStages).toEqual(['receive']);
    const late = await call('POST', `/api/v1/requests/${id}/decisions`, 'FIN', { decision: 'reject', clickId: 'f2' });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'REQUEST_FINISHED' } } });

    const received = await call('POST', `/api/v1/requests/${id}/fulfilment`, 'KEEP', { stage: 'receive', clickId: 'k1' });
    expect(received).toMatchObject({ status: 200, body: { status: 'completed', documentNo: expect.stringMatching(/^RK/) } });
    const done = await eventually(() => call('GET', `/api/v1/requests/${id}`, 'KEEP'), (r) => r.body.status === 'completed');
    expect(done.body.tasks.map((t: { assignee: string; status: string }) => [t.assignee, t.status])).toEqual([
      ['WM', 'approved'],
      ['FIN', 'approved'],
    ]);
    expect((await call('GET', '/api/v1/requests', 'KEEP')).body.requests[0]).toMatchObject({ id, status: 'completed' });

    const comment = { comment: '到货包装有破损，已拍照', clickId: 'note-1' };
    expect((await call('POST', `/api/v1/requests/${id}/comments`, 'WM', comment)).status).toBe(201);
    await call('POST', `/api/v1/requests/${id}/comments`, 'WM', comment); // a retry shows once
    const timeline = (await call('GET', `/api/v1/requests/${id}`, 'KEEP')).body.timeline as { kind: string; actor: string; detail: unknown }[];
    expect(timeline.filter((e) => e.kind === 'comment')).toEqual([expect.objectContaining({ actor: 'WM', detail: { comment: '到货包装有破损，已拍照' } })]);
  });

  it('answers bad requests with every problem and saves nothing', async () => {
    const res = await call('POST', '/api/v1/requests', 'KEEP', {
      type: 'outbound',
      warehouse: 'SH',
      toWarehouse: 'SZ',
      lines: [{ item: 'TAPE', qty: 0 }],
      idempotencyKey: idem(),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['lines[0].qty', 'reason', 'toWarehouse']);
    expect((await call('POST', '/api/v1/requests', 'admin', { type: 'purchase', warehouse: 'SH', lines: [{ item: 'TAPE', qty: 1 }], idempotencyKey: idem() })).body.error.code).toBe(
      'EMPLOYEE_REQUIRED',
    );
    expect((await call('GET', '/api/v1/requests/99999', 'KEEP')).status).toBe(404);
  });
});
