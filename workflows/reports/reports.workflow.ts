import { proxyActivities } from '@temporalio/workflow';
import type { CompanyInput, ReportActivities } from './activity-types.ts';

/**
 * The scheduled jobs. Each is one idempotent activity: a schedule that fires
 * twice, or a retry after a crash, rolls each day up once and sends each
 * group's digest once (the activities key their writes and sends).
 */
const { rollUp, publishDigests, scanAlerts, checkIntegrity, reviewSafetyStock } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 minutes',
  // Long roll-ups and scans heartbeat per day / page; a dead worker is noticed in a minute.
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', maximumAttempts: 10 },
});

/** 日结, then the ledger check on the closed books. */
export async function dailySnapshotWorkflow(input: CompanyInput) {
  const rolled = await rollUp(input.companyId);
  const integrity = await checkIntegrity(input.companyId);
  return { ...rolled, problems: integrity.problems };
}

export async function digestRoundWorkflow(input: CompanyInput) {
  return publishDigests(input.companyId);
}

export async function alertScanWorkflow(input: CompanyInput) {
  return scanAlerts(input.companyId);
}

export async function safetyStockReviewWorkflow(input: CompanyInput) {
  return reviewSafetyStock(input.companyId);
}
