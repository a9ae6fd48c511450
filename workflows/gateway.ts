import type { ApprovalStatus, DecisionArgs, DecisionResult, DelegateArgs, FulfilArgs, FulfilResult, WithdrawArgs } from './approval/messages.ts';
import type { ApprovalInput } from './approval/snapshot.ts';

/**
 * The only way the HTTP side, the bots and the mini-app reach Temporal.
 * `clickId` makes a decision idempotent: the same click answers the first result.
 */
export interface WorkflowGateway {
  startApproval(workflowId: string, input: ApprovalInput): Promise<void>;
  decide(workflowId: string, args: DecisionArgs, clickId: string): Promise<DecisionResult>;
  delegate(workflowId: string, args: DelegateArgs, clickId: string): Promise<DecisionResult>;
  withdraw(workflowId: string, args: WithdrawArgs, clickId: string): Promise<DecisionResult>;
  fulfil(workflowId: string, args: FulfilArgs, clickId: string): Promise<FulfilResult>;
  status(workflowId: string): Promise<ApprovalStatus | null>;
}

/** Why the workflow refused an update (its validator's reason). */
export const REFUSALS = ['finished', 'not_assignee', 'not_requester', 'same_person', 'already_assignee', 'not_approved', 'not_fulfiller', 'wrong_stage'] as const;
export type RefusalReason = (typeof REFUSALS)[number];

export class WorkflowRefusal extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
    this.name = 'WorkflowRefusal';
  }
}
