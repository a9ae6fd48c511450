import type { FulfilmentLine, FulfilmentStage, RequestStatus } from './messages.ts';
import type { RequestKind } from './snapshot.ts';

/** One change the workflow wants recorded in PostgreSQL (tasks, audit trail, outbox). */
export type ProjectionEvent =
  | { type: 'task_opened'; taskKey: string; stepIndex: number; stepName: string; assigneeId: number }
  | {
      type: 'task_closed';
      taskKey: string;
      status: 'approved' | 'rejected' | 'delegated' | 'escalated' | 'cancelled';
      comment?: string;
      channel?: string;
    }
  | { type: 'event'; eventKey: string; kind: string; actorId: number | null; channel: string | null; detail?: Record<string, unknown> }
  | { type: 'notify'; notificationKey: string; kind: NotificationKind; recipientId: number; detail?: Record<string, unknown> };

export type NotificationKind = 'task' | 'reminder' | 'escalation' | 'outcome' | 'failure' | 'fulfilment';

export interface ProjectInput {
  companyId: number;
  requestId: number;
  events: ProjectionEvent[];
  status?: RequestStatus;
  stage?: string | null;
  failure?: { code: string; message: string } | null;
}

export interface FulfilInput {
  companyId: number;
  requestId: number;
  kind: RequestKind;
  stage: FulfilmentStage | 'post';
  /** Makes the posting idempotent: the same key never posts twice. */
  postingKey: string;
  employeeId: number | null;
  lines?: FulfilmentLine[];
}

export type FulfilOutcome =
  | { ok: true; documentNo: string | null; complete: boolean }
  | { ok: false; code: string; message: string };

/** What the approval workflow may ask of the outside world; implemented in workflows/activities.ts. */
export interface ApprovalActivities {
  project(input: ProjectInput): Promise<void>;
  managersOf(input: { companyId: number; employeeIds: number[] }): Promise<Record<string, number | null>>;
  fulfil(input: FulfilInput): Promise<FulfilOutcome>;
  releaseHold(input: { companyId: number; requestId: number }): Promise<void>;
}
