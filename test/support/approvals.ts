import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../inventory/actor.ts';
import { savePolicy } from '../../inventory/approvals/policies.ts';
import type { PolicyInput } from '../../inventory/approvals/policy.ts';
import { createEmployee } from '../../inventory/master/employees.ts';
import type { RequestDeps } from '../../inventory/requests/submit.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import { createActivities, type ActivityDeps } from '../../workflows/activities.ts';
import { MemoryNotifier } from '../../workflows/notifier.ts';
import { TemporalGateway } from '../../workflows/temporal-gateway.ts';
import { companyWithWarehouses } from './fixtures.ts';
import { bundleOnce } from './temporal.ts';

export const APPROVAL_WORKFLOWS = new URL('../../workflows/approval/approval.workflow.ts', import.meta.url);

/** A company with warehouses and the people an approval chain needs; `as(code)` acts as one of them. */
export async function approvalCompany(db: Database) {
  const admin = await companyWithWarehouses(db);
  for (const e of [
    { code: 'DIR', name: '总监', roles: ['director'] },
    { code: 'WM', name: '仓库主管', roles: ['warehouse_manager'], manager: 'DIR' },
    { code: 'KEEP', name: '仓管员', roles: ['warehouse_keeper'], manager: 'WM' },
    { code: 'FIN', name: '财务', roles: ['finance'], manager: 'DIR' },
    { code: 'SALES', name: '销售', roles: ['sales'], manager: 'DIR' },
  ]) {
    await createEmployee(db, admin, e);
  }
  const ids: Record<string, number> = {};
  for (const r of await db.sql<{ id: number; code: string }[]>`select id, code from employees where company_id = ${admin.companyId}`) ids[r.code] = r.id;
  const as = (code: string): Actor => ({ ...admin, employeeId: ids[code] ?? -1, scopes: ['stock:read', 'stock:write'], channel: 'api' });
  const policy = (p: PolicyInput) => savePolicy(db, admin, p);
  return { admin, ids, as, policy };
}

/** A real worker for the approval workflow on `taskQueue`, with the real activities. */
export async function approvalWorker(opts: {
  connection: NativeConnection;
  taskQueue: string;
  db: Database;
  notifier?: MemoryNotifier;
  faults?: ActivityDeps['faults'];
}): Promise<{ worker: Worker; stop: () => Promise<void> }> {
  const worker = await Worker.create({
    connection: opts.connection,
    taskQueue: opts.taskQueue,
    // A stopped worker's sticky queue is abandoned after this, not the default 10 s.
    stickyQueueScheduleToStartTimeout: '1s',
    workflowBundle: await bundleOnce(APPROVAL_WORKFLOWS),
    activities: createActivities({ db: opts.db, notifier: opts.notifier ?? new MemoryNotifier(), ...(opts.faults ? { faults: opts.faults } : {}) }),
  });
  const running = worker.run();
  return {
    worker,
    stop: async () => {
      worker.shutdown();
      await running;
    },
  };
}

export function requestDeps(db: Database, client: Client, taskQueue: string): RequestDeps {
  return { db, gateway: new TemporalGateway(client, taskQueue), reservations: new ReservationService(db) };
}

/** Polls until `ok` holds (projections land just after an update answers); the last value otherwise. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, tries = 100): Promise<T> {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i >= tries) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
