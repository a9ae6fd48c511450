import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { approvalWorkflow } from './approval/approval.workflow.ts';
import { decideUpdate, delegateUpdate, fulfilUpdate, statusQuery, withdrawUpdate } from './approval/messages.ts';
import type { ApprovalInput } from './approval/snapshot.ts';
import { REFUSALS, WorkflowRefusal, type RefusalReason, type WorkflowGateway } from './gateway.ts';

export const APPROVAL_TASK_QUEUE = 'stockpilot-approvals';

const isRefusal = (s: string): s is RefusalReason => (REFUSALS as readonly string[]).includes(s);

/** Turns a rejected update (validator or handler) into a typed refusal. */
async function update<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const cause = err instanceof WorkflowUpdateFailedError ? (err.cause as Error | undefined) : undefined;
    if (cause && isRefusal(cause.message)) throw new WorkflowRefusal(cause.message);
    if (err instanceof WorkflowNotFoundError) throw new WorkflowRefusal('finished');
    throw err;
  }
}

export class TemporalGateway implements WorkflowGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue = APPROVAL_TASK_QUEUE,
  ) {}

  async startApproval(workflowId: string, input: ApprovalInput): Promise<void> {
    try {
      // By name: the API process never loads workflow code.
      await this.client.workflow.start<typeof approvalWorkflow>('approvalWorkflow', { taskQueue: this.taskQueue, workflowId, args: [input] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // a retried submission
    }
  }

  decide: WorkflowGateway['decide'] = (id, args, clickId) =>
    update(() => this.client.workflow.getHandle(id).executeUpdate(decideUpdate, { args: [args], updateId: `click-${clickId}` }));

  delegate: WorkflowGateway['delegate'] = (id, args, clickId) =>
    update(() => this.client.workflow.getHandle(id).executeUpdate(delegateUpdate, { args: [args], updateId: `delegate-${clickId}` }));

  withdraw: WorkflowGateway['withdraw'] = (id, args, clickId) =>
    update(() => this.client.workflow.getHandle(id).executeUpdate(withdrawUpdate, { args: [args], updateId: `withdraw-${clickId}` }));

  fulfil: WorkflowGateway['fulfil'] = (id, args, clickId) =>
    update(() => this.client.workflow.getHandle(id).executeUpdate(fulfilUpdate, { args: [args], updateId: `fulfil-${clickId}` }));

  async status(workflowId: string) {
    try {
      return await this.client.workflow.getHandle(workflowId).query(statusQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      throw err;
    }
  }
}
