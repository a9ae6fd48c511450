import { Context } from '@temporalio/activity';
import type { Database } from '../../db/client.ts';
import { companyDay, rollUpThrough } from '../../inventory/reports/snapshot.ts';
import type { ReportActivities } from './activity-types.ts';

/** Where digests and alerts leave for the group chats; the chat side implements it. */
export interface ReportPublisher {
  publishDueDigests(companyId: number): Promise<{ day: string; sent: number; already: number; failed: { chatId: string; error: string }[] }>;
  scanAlerts(companyId: number, progress?: (step: string) => void): Promise<{ raised: number; resent: number; resolved: number }>;
  checkIntegrity(companyId: number): Promise<{ raised: number; resent: number; resolved: number; problems: number }>;
  reviewSafetyStock(companyId: number): Promise<{ suggestions: number; sent: number }>;
}

export function createReportActivities(deps: { db: Database; publisher: ReportPublisher }): ReportActivities {
  return {
    async rollUp(companyId) {
      const through = await companyDay(deps.db, companyId, -1);
      const done = await rollUpThrough(deps.db, companyId, through, { onDay: (day) => Context.current().heartbeat(day) });
      return { days: done.days.length, ledgerRows: done.ledgerRows };
    },
    async publishDigests(companyId) {
      const done = await deps.publisher.publishDueDigests(companyId);
      // A group whose platform refused after retries is reported, not retried here: the next round (15 min) tries it again.
      return { day: done.day, sent: done.sent, already: done.already, failed: done.failed.length };
    },
    async scanAlerts(companyId) {
      return deps.publisher.scanAlerts(companyId, (step) => Context.current().heartbeat(step));
    },
    async checkIntegrity(companyId) {
      return deps.publisher.checkIntegrity(companyId);
    },
    async reviewSafetyStock(companyId) {
      return deps.publisher.reviewSafetyStock(companyId);
    },
  };
}
