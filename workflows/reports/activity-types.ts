/** What the report workflows ask of the outside world; implemented in workflows/reports/activities.ts. */
export interface ReportActivities {
  /** 日结 through yesterday (company time): the days not rolled up yet, in order. */
  rollUp(companyId: number): Promise<{ days: number; ledgerRows: number }>;
  /** Today's digest to every subscribed group whose time has come and that has not had it. */
  publishDigests(companyId: number): Promise<{ day: string; sent: number; already: number; failed: number }>;
  /** Stale-stock and expiry scan: raises, re-sends and resolves alerts. */
  scanAlerts(companyId: number): Promise<{ raised: number; resent: number; resolved: number }>;
  /** 数据校验: the ledger check, raising or resolving the company's integrity alert. */
  checkIntegrity(companyId: number): Promise<{ raised: number; resent: number; resolved: number; problems: number }>;
  /** 安全库存复核: weekly safety-stock suggestions to the alert groups. */
  reviewSafetyStock(companyId: number): Promise<{ suggestions: number; sent: number }>;
}

export interface CompanyInput {
  companyId: number;
}

export const REPORTS_TASK_QUEUE = 'stockpilot-reports';
