/**
 * What an approval workflow runs on: the policy resolved to people when the
 * request was submitted. Plain data, so the workflow stays deterministic and a
 * policy edit never changes a running request.
 */
export type StepMode = 'any' | 'all' | 'sequential';

export type EscalationTarget =
  | { kind: 'none' }
  /** The manager of each assignee who has not decided, found when the deadline passes. */
  | { kind: 'manager' }
  | { kind: 'employees'; employees: number[] }
  | { kind: 'auto_approve' }
  | { kind: 'auto_reject' };

export interface StepSnapshot {
  name: string;
  mode: StepMode;
  /** Employee ids, in order (the order matters for `sequential`). */
  assignees: number[];
  remindAfterMs: number | null;
  escalateAfterMs: number | null;
  escalateTo: EscalationTarget;
}

export const REQUEST_KINDS = ['purchase', 'outbound', 'transfer', 'stocktake'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export interface ApprovalInput {
  companyId: number;
  requestId: number;
  requestNo: string;
  kind: RequestKind;
  requesterId: number;
  steps: StepSnapshot[];
  /** Warehouse staff who may confirm fulfilment steps (accept, pick, check, ship, receive). */
  fulfillers: number[];
}
