import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import type { Database } from '../db/client.ts';
import { createReportActivities, type ReportPublisher } from '../workflows/reports/activities.ts';
import { REPORTS_TASK_QUEUE } from '../workflows/reports/activity-types.ts';
import { ensureReportSchedules } from '../workflows/reports/schedules.ts';
import type { Approvals } from './temporal.ts';

const WORKFLOWS = fileURLToPath(new URL('../workflows/reports/reports.workflow.ts', import.meta.url));

/**
 * Digests, alerts and the nightly roll-up on Temporal: a worker for the
 * report workflows in this process, and per company the schedules that start
 * them (created, or updated when they exist, on every start).
 */
export async function startReports(temporal: Approvals, db: Database, publisher: ReportPublisher, log: (m: string) => void) {
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue: REPORTS_TASK_QUEUE,
    workflowsPath: WORKFLOWS,
    activities: createReportActivities({ db, publisher }),
  });
  const running = worker.run();
  running.catch((err: unknown) => log(`report worker stopped: ${String(err)}`));
  const companies = await db.sql<{ id: number; code: string; timezone: string }[]>`select id, code, timezone from companies order by id`;
  const schedules = await ensureReportSchedules(temporal.client, companies, REPORTS_TASK_QUEUE);
  return {
    schedules,
    stop: async () => {
      worker.shutdown();
      await running.catch(() => {});
    },
  };
}
