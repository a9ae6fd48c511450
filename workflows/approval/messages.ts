import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Outcome } from './state.ts';

/** Approve or reject, as the employee bound to the tapping user or the API token. */
export interface DecisionArgs {
  employeeId: number;
  decision: 'approve' | 'reject';
  comment?: string;
  channel: string;
}

export interface DelegateArgs {
  employeeId: number;
  to: number;
  comment?: string;
  channel: string;
}

export interface WithdrawArgs {
  employeeId: number;
  comment?: string;
  channel: string;
}

export const FULFILMENT_STAGES = ['accept', 'pick', 'check', 'ship', 'receive'] as const;
export type FulfilmentStage = (typeof FULFILMENT_STAGES)[number];

export interface FulfilmentLine {
  item: string;
  qty: string;
  batch?: string;
  expiryDate?: string;
}

export interface FulfilArgs {
  employeeId: number;
  stage: FulfilmentStage;
  /** Purchases: what arrived (partial receipts); everything outstanding when omitted. */
  lines?: FulfilmentLine[];
  channel: string;
}

export type RequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'completed' | 'failed';

export interface ApprovalStatus {
  status: RequestStatus;
  outcome: Outcome;
  stepIndex: number;
  stepName: string | null;
  assignees: number[];
  stage: string | null;
  nextStages: FulfilmentStage[];
  documents: string[];
  failure: { code: string; message: string } | null;
}

export interface DecisionResult {
  status: RequestStatus;
  stepIndex: number;
}

export interface FulfilResult {
  status: RequestStatus;
  stage: string | null;
  documentNo: string | null;
  failure: { code: string; message: string } | null;
}

export const decideUpdate = defineUpdate<DecisionResult, [DecisionArgs]>('decide');
export const delegateUpdate = defineUpdate<DecisionResult, [DelegateArgs]>('delegate');
export const withdrawUpdate = defineUpdate<DecisionResult, [WithdrawArgs]>('withdraw');
export const fulfilUpdate = defineUpdate<FulfilResult, [FulfilArgs]>('fulfil');
export const statusQuery = defineQuery<ApprovalStatus>('status');
