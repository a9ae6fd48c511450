import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions, type ScheduleSpec } from '@temporalio/client';
import type { CompanyInput } from './activity-types.ts';
import type * as workflows from './reports.workflow.ts';

export interface ScheduledCompany {
  id: number;
  code: string;
  timezone: string;
}

/** Named, not imported: workflow code loads only inside the worker's sandbox. */
type ReportWorkflow = keyof typeof workflows;

/** The report schedules of one company, in its time zone. */
export function reportSchedules(c: ScheduledCompany): { id: string; spec: ScheduleSpec; workflow: ReportWorkflow }[] {
  const schedules: { id: string; spec: ScheduleSpec; workflow: ReportWorkflow }[] = [
    // 日结 shortly after midnight, so the morning digest reads a closed day.
    { id: `snapshot-${c.code}`, spec: { calendars: [{ hour: 0, minute: 15 }], timezone: c.timezone }, workflow: 'dailySnapshotWorkflow' },
    // Groups choose their digest time (default 08:30); each round sends to the groups now due.
    { id: `digest-${c.code}`, spec: { calendars: [{ hour: '*', minute: [0, 15, 30, 45] }], timezone: c.timezone }, workflow: 'digestRoundWorkflow' },
    { id: `alerts-${c.code}`, spec: { calendars: [{ hour: '*', minute: 5 }], timezone: c.timezone }, workflow: 'alertScanWorkflow' },
    { id: `safety-review-${c.code}`, spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: 7, minute: 30 }], timezone: c.timezone }, workflow: 'safetyStockReviewWorkflow' },
  ];
  return schedules;
}

/**
 * Creates the schedules, or brings existing ones up to date (a restart after
 * an upgrade, a changed time zone): safe to call on every start.
 */
export async function ensureReportSchedules(client: Client, companies: readonly ScheduledCompany[], taskQueue: string): Promise<string[]> {
  const ids: string[] = [];
  for (const c of companies) {
    for (const s of reportSchedules(c)) {
      const action = { type: 'startWorkflow' as const, workflowType: s.workflow, args: [{ companyId: c.id }] as [CompanyInput], taskQueue, workflowId: `${s.id}-run` };
      const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '30 minutes' };
      const options: ScheduleOptions = { scheduleId: s.id, spec: s.spec, action, policies };
      try {
        await client.schedule.create(options);
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await client.schedule.getHandle(s.id).update((prev) => ({ ...prev, spec: s.spec, action, policies: { ...prev.policies, ...policies } }));
      }
      ids.push(s.id);
    }
  }
  return ids;
}
