import { proxyActivities } from '@temporalio/workflow';
import type { CompanyInput, ReportActivities } from './activity-types.ts';

/**
 * The scheduled jobs. Each is one idempotent activity: a schedule that fires
 * twice, or a retry after a crash, rolls each day up once and sends each
 * group's digest once (the activities key their writes and sends).
 */
const { rollUp, publishDigests, scanAlerts } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 minutes',
  // Long roll-ups and scans heartbeat per day / page; a dead worker is noticed in a minute.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumAttempts: 10 },
});

export async function dailySnapshotWorkflow(input: CompanyInput) {
  return rollUp(input.companyId);
}

export async function digestRoundWorkflow(input: CompanyInput) {
  return publishDigests(input.companyId);
}

export async function alertScanWorkflow(input: CompanyInput) {
  return scanAlerts(input.companyId);
}
