import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';
import { connectDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { systemActor, type Actor } from '../../inventory/actor.ts';
import { savePolicy } from '../../inventory/approvals/policies.ts';
import { createCompany } from '../../inventory/master/companies.ts';
import { createEmployee } from '../../inventory/master/employees.ts';
import { createItem } from '../../inventory/master/items.ts';
import { createWarehouse } from '../../inventory/master/warehouses.ts';
import { postMovement } from '../../inventory/post-movement.ts';
import { decideRequest } from '../../inventory/requests/actions.ts';
import { submitRequest, type RequestDeps } from '../../inventory/requests/submit.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import { createActivities } from '../../workflows/activities.ts';
import { MemoryNotifier } from '../../workflows/notifier.ts';
import { startTemporalDevServer } from '../../workflows/runtime/dev-server.ts';
import { TemporalGateway } from '../../workflows/temporal-gateway.ts';
import { log } from './log.ts';
import { noopApproval, noopDecision } from './noop.workflow.ts';
import { adminClient, withDatabase } from './server.ts';
import type { BenchConfig } from './config.ts';
import { machineBusyMs, percentile, processCpuMs, round, summarize, type LatencySummary } from './stats.ts';

export interface ApprovalSummary {
  requests_in_flight: number;
  requests_per_s: number;
  click_to_answer_p50_ms: number;
  click_to_answer_p95_ms: number;
  decision_to_posted_p50_ms: number;
  decision_to_posted_p95_ms: number;
  /** The same clicks arriving at a steady rate instead of all at one instant. */
  paced_clicks_per_s: number;
  click_to_answer_paced_p95_ms: number;
  decision_to_posted_paced_p95_ms: number;
  /** Busy CPU of the whole machine per decision in the burst (Temporal server, worker, PostgreSQL): core-ms. */
  burst_cpu_ms_per_decision: number | null;
  /** The part of that the Temporal dev server used. */
  burst_temporal_cpu_ms_per_decision: number | null;
  /**
   * The same burst of decisions against a workflow that only accepts them
   * (noop.workflow.ts): what Temporal costs on this machine before any work
   * of ours — the floor under `click_to_answer_p95_ms`.
   */
  noop_click_to_answer_p95_ms: number;
  noop_cpu_ms_per_decision: number | null;
  noop_temporal_cpu_ms_per_decision: number | null;
}

export interface ApprovalBenchResult {
  summary: ApprovalSummary;
  details: { burst: RoundTimes; paced: RoundTimes; noop: { clicks: LatencySummary } };
}

interface RoundTimes {
  clicks: LatencySummary;
  to_posted: LatencySummary;
}

const DB_NAME = 'stockpilot_bench_approvals';
const WORKFLOWS = fileURLToPath(new URL('../../workflows/approval/approval.workflow.ts', import.meta.url));
const NOOP_WORKFLOWS = fileURLToPath(new URL('./noop.workflow.ts', import.meta.url));

interface CpuSpent {
  /** Whole machine, all cores: core-ms. */
  machine: number | null;
  temporal: number | null;
}

/** CPU spent between this call and the returned function's, per `n` decisions. */
function cpuPer(temporalPid: number | undefined): (n: number) => CpuSpent {
  const machine0 = machineBusyMs();
  const temporal0 = temporalPid === undefined ? null : processCpuMs(temporalPid);
  return (n) => {
    const machine1 = machineBusyMs();
    const temporal1 = temporalPid === undefined ? null : processCpuMs(temporalPid);
    return {
      machine: machine0 === null || machine1 === null ? null : round((machine1 - machine0) / n, 1),
      temporal: temporal0 === null || temporal1 === null ? null : round((temporal1 - temporal0) / n, 1),
    };
  };
}

/**
 * `inFlight` no-op workflows on the same server, every one decided in the
 * same instant: the click times and CPU Temporal needs with nothing of ours
 * inside the decision.
 */
async function noopBurst(native: NativeConnection, client: Client, temporalPid: number | undefined, inFlight: number) {
  const taskQueue = 'bench-noop';
  const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: NOOP_WORKFLOWS, maxConcurrentWorkflowTaskExecutions: 100 });
  const running = worker.run();
  try {
    const handles = await Promise.all(
      Array.from({ length: inFlight }, (_, i) => client.workflow.start(noopApproval, { taskQueue, workflowId: `bench-noop-${Date.now()}-${i}` })),
    );
    // As in the real rounds: decide only once every workflow has run its first task and waits.
    const deadline = Date.now() + 60_000;
    for (const h of handles) {
      while ((await h.describe()).raw.pendingWorkflowTask) {
        if (Date.now() > deadline) throw new Error('the no-op workflows did not start within 60 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const spent = cpuPer(temporalPid);
    const clicks = await Promise.all(
      handles.map(async (h) => {
        const t = performance.now();
        await h.executeUpdate(noopDecision, { args: ['approve'] });
        return performance.now() - t;
      }),
    );
    await Promise.all(handles.map((h) => h.result()));
    return { clicks, cpu: spent(inFlight) };
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
  }
}

/**
 * Approvals on a local Temporal dev server with the worker in this process:
 * `inFlight` stocktake requests submitted at once (requests_per_s: saved and
 * workflow started), then all approved at once. A stocktake posts its
 * adjustment on final approval, so decision → posted is approve call → the
 * ledger rows' commit time; click → answer is what a chat platform waits for.
 */
export async function runApprovalBench(adminUrl: string, opts: BenchConfig['approvals']): Promise<ApprovalBenchResult> {
  const { inFlight, pacedClicksPerSecond } = opts;
  const admin = adminClient(adminUrl);
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const db = connectDatabase(withDatabase(adminUrl, DB_NAME), { max: 20 });
  await migrateDatabase(db);

  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* installed already */
  }
  const server = await startTemporalDevServer({});
  const connection = await Connection.connect({ address: server.address });
  const native = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'bench-approvals';
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowsPath: WORKFLOWS,
    activities: createActivities({ db, notifier: new MemoryNotifier() }),
    maxConcurrentWorkflowTaskExecutions: 100,
  });
  const running = worker.run();
  const client = new Client({ connection, namespace: server.namespace });
  const deps: RequestDeps = {
    db,
    gateway: new TemporalGateway(client, taskQueue),
    reservations: new ReservationService(db),
  };

  try {
    const companyId = await createCompany(db, { code: 'BENCH', name: '基准测试公司' });
    const sys = systemActor(companyId, 'bench');
    await createWarehouse(db, sys, { code: 'SH', name: '上海仓' });
    await createEmployee(db, sys, { code: 'MGR', name: '主管', roles: ['warehouse_manager'] });
    await createEmployee(db, sys, { code: 'KEEP', name: '仓管', roles: ['warehouse_keeper'], manager: 'MGR' });
    await createItem(db, sys, { code: 'B1', name: '基准物料', unit: '个', unitCost: '1' });
    await postMovement(db, sys, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'B1', qty: 1_000_000 }], idempotencyKey: 'bench-open' });
    await savePolicy(db, sys, { requestType: 'stocktake', name: '盘点', steps: [{ name: '主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'MGR' }] }] });
    const people = await db.sql<{ id: number; code: string }[]>`select id, code from employees where company_id = ${companyId}`;
    const as = (code: string): Actor => ({ ...sys, employeeId: people.find((p) => p.code === code)?.id ?? null, scopes: ['stock:read', 'stock:write'] });

    // Warm-up: the first workflow task of a fresh worker pays for its isolate.
    const warm = await submitRequest(deps, as('KEEP'), { type: 'stocktake', warehouse: 'SH', lines: [{ item: 'B1', qty: 1 }], idempotencyKey: 'warm' });
    await decideRequest(deps, as('MGR'), warm.id, { decision: 'approve', clickId: 'warm' });

    const submitAll = async (round: string) => {
      const t0 = performance.now();
      const submitted = await Promise.all(
        Array.from({ length: inFlight }, (_, i) =>
          submitRequest(deps, as('KEEP'), { type: 'stocktake', warehouse: 'SH', lines: [{ item: 'B1', qty: i % 2 ? 1 : -1 }], idempotencyKey: `bench-${round}-${i}` }),
        ),
      );
      const seconds = (performance.now() - t0) / 1000;
      // Approvers decide on requests already waiting in their lists, not on ones still being set up.
      const ids = submitted.map((r) => r.id);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const [{ n } = { n: 0 }] = await db.sql<{ n: number }[]>`
          select count(*)::int as n from approval_tasks where request_id = any(${ids}::bigint[]) and status = 'pending'`;
        if (n >= ids.length) break;
        if (Date.now() > deadline) throw new Error(`only ${n} of ${ids.length} requests reached their approver within 60 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return { submitted, seconds };
    };

    /** Approves every request, `gapMs` apart (0 = all at the same instant); click and decision→posted times. */
    const approveAll = async (submitted: { id: number; requestNo: string }[], gapMs: number): Promise<{ clicks: number[]; toPosted: number[] }> => {
      const clicks: number[] = [];
      const decidedAt = new Map<string, number>();
      await Promise.all(
        submitted.map(async (r, i) => {
          if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, i * gapMs));
          const start = Date.now();
          const t = performance.now();
          await decideRequest(deps, as('MGR'), r.id, { decision: 'approve', clickId: `c-${r.id}` });
          clicks.push(performance.now() - t);
          decidedAt.set(r.requestNo, start);
        }),
      );
      const posted = new Map<string, number>();
      const deadline = Date.now() + 60_000;
      const wanted = new Set(submitted.map((r) => r.requestNo));
      while ([...wanted].some((no) => !posted.has(no)) && Date.now() < deadline) {
        const rows = await db.sql<{ reference: string; posted_at: string }[]>`
          select reference, posted_at from stock_documents where company_id = ${companyId} and type = 'adjustment' and reference = any(${[...wanted]}::text[])`;
        for (const r of rows) posted.set(r.reference, new Date(r.posted_at).getTime());
        await new Promise((r) => setTimeout(r, 50));
      }
      const toPosted = submitted.map((r) => (posted.get(r.requestNo) ?? Number.NaN) - (decidedAt.get(r.requestNo) ?? Number.NaN)).filter(Number.isFinite);
      if (toPosted.length < submitted.length) throw new Error(`only ${toPosted.length} of ${submitted.length} approvals posted within 60 s`);
      return { clicks, toPosted };
    };

    log(`approvals: submitting ${inFlight} requests at once, then approving them all at once`);
    const burst = await submitAll('burst');
    const burstSpent = cpuPer(server.pid);
    const b = await approveAll(burst.submitted, 0);
    const burstCpu = burstSpent(inFlight);
    log(`approvals: ${inFlight} more, approved at ${pacedClicksPerSecond} clicks/s`);
    const pacedRound = await submitAll('paced');
    const p = await approveAll(pacedRound.submitted, 1000 / pacedClicksPerSecond);
    log(`approvals: the same burst against a workflow that does nothing`);
    const noop = await noopBurst(native, client, server.pid, inFlight);
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const p95 = (xs: number[]) => round(percentile(sorted(xs), 95));
    const p50 = (xs: number[]) => round(percentile(sorted(xs), 50));
    return {
      summary: {
        requests_in_flight: inFlight,
        requests_per_s: round(inFlight / Math.max(burst.seconds, pacedRound.seconds), 1),
        click_to_answer_p50_ms: p50(b.clicks),
        click_to_answer_p95_ms: p95(b.clicks),
        decision_to_posted_p50_ms: p50(b.toPosted),
        decision_to_posted_p95_ms: p95(b.toPosted),
        paced_clicks_per_s: pacedClicksPerSecond,
        click_to_answer_paced_p95_ms: p95(p.clicks),
        decision_to_posted_paced_p95_ms: p95(p.toPosted),
        burst_cpu_ms_per_decision: burstCpu.machine,
        burst_temporal_cpu_ms_per_decision: burstCpu.temporal,
        noop_click_to_answer_p95_ms: p95(noop.clicks),
        noop_cpu_ms_per_decision: noop.cpu.machine,
        noop_temporal_cpu_ms_per_decision: noop.cpu.temporal,
      },
      details: {
        burst: { clicks: summarize(b.clicks), to_posted: summarize(b.toPosted) },
        paced: { clicks: summarize(p.clicks), to_posted: summarize(p.toPosted) },
        noop: { clicks: summarize(noop.clicks) },
      },
    };
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await native.close();
    await connection.close();
    await server.stop();
    await db.close();
  }
}
