import { ApplicationFailure, allHandlersFinished, condition, proxyActivities, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type { ApprovalActivities, NotificationKind, ProjectionEvent } from './activity-types.ts';
import {
  decideUpdate,
  delegateUpdate,
  fulfilUpdate,
  statusQuery,
  withdrawUpdate,
  type ApprovalStatus,
  type FulfilArgs,
  type FulfilResult,
  type FulfilmentStage,
  type RequestStatus,
} from './messages.ts';
import type { ApprovalInput } from './snapshot.ts';
import { canDecide, currentAssignees, decide, delegate, escalate, initialState, withdraw, type Transition } from './state.ts';

export * from './messages.ts';

const retry = { initialInterval: '200ms', maximumInterval: '10s', nonRetryableErrorTypes: ['BusinessRefusal'] };
/** Stock postings: regular activities, retried by the server, exactly once through their idempotency keys. */
const posting = proxyActivities<Pick<ApprovalActivities, 'fulfil'>>({ startToCloseTimeout: '30s', retry });
/**
 * Projections and look-ups: short database writes that run as local
 * activities, in the worker, without a server round trip per call — most of
 * what a decision costs the cluster.
 */
const local = proxyLocalActivities<Omit<ApprovalActivities, 'fulfil'>>({ startToCloseTimeout: '30s', retry });
// (Activity proxies have no own keys to spread: pick each function.)
const acts: ApprovalActivities = { fulfil: posting.fulfil, project: local.project, managersOf: local.managersOf, releaseHold: local.releaseHold };

const OUTBOUND_STAGES: FulfilmentStage[] = ['accept', 'pick', 'check', 'ship'];
/** What each stage is called once done (the `stage` column). */
const DONE: Record<FulfilmentStage, string> = { accept: 'accepted', pick: 'picked', check: 'checked', ship: 'shipped', receive: 'received' };

/**
 * One interpreter for every request type: walks the policy snapshot step by
 * step (decisions and delegation arrive as Updates), reminds and escalates on
 * timers, then runs the fulfilment steps that post stock. Every change is
 * projected into PostgreSQL by an activity, so lists and the audit trail are
 * plain queries and survive worker restarts.
 */
export async function approvalWorkflow(input: ApprovalInput): Promise<ApprovalStatus> {
  const steps = input.steps;
  const init = initialState(steps);
  let state = init.state;
  let status: RequestStatus = state.outcome === 'approved' ? 'approved' : 'pending';
  let stage: string | null = null;
  let failure: { code: string; message: string } | null = null;
  let busy = false;
  let receipts = 0;
  const documents: string[] = [];
  const queue: ProjectionEvent[] = [];
  let statusDirty = true;

  // Deterministic keys: the same history always produces the same keys, so a
  // replayed or retried projection never duplicates a task or a message.
  let seq = 0;
  const key = (kind: string) => `${input.requestId}:${kind}:${++seq}`;
  /** Open tasks of the current step: `${stepIndex}:${assignee}` → task key. */
  const openTasks = new Map<string, string>();
  let stepStartedAt = Date.now();
  let reminded = false;
  let escalated = false;

  const notify = (kind: NotificationKind, recipientId: number, detail: Record<string, unknown> = {}) =>
    queue.push({ type: 'notify', notificationKey: key(`notify-${kind}-${recipientId}`), kind, recipientId, detail });
  const event = (kind: string, actorId: number | null, channel: string | null, detail?: Record<string, unknown>) =>
    queue.push({ type: 'event', eventKey: key(kind), kind, actorId, channel, ...(detail ? { detail } : {}) });

  function closeTask(assignee: number, closed: 'approved' | 'rejected' | 'delegated' | 'escalated' | 'cancelled', comment?: string, channel?: string) {
    const k = `${state.stepIndex}:${assignee}`;
    const taskKey = openTasks.get(k);
    if (!taskKey) return;
    openTasks.delete(k);
    queue.push({ type: 'task_closed', taskKey, status: closed, ...(comment ? { comment } : {}), ...(channel ? { channel } : {}) });
  }

  /** Opens tasks for whoever must act now and closes the rest with `removed`. */
  function syncTasks(removed: 'cancelled' | 'escalated', notice: NotificationKind = 'task') {
    const want = new Set(currentAssignees(state, steps).map((a) => `${state.stepIndex}:${a}`));
    for (const [k, taskKey] of [...openTasks]) {
      if (want.has(k)) continue;
      openTasks.delete(k);
      queue.push({ type: 'task_closed', taskKey, status: removed });
    }
    for (const k of want) {
      if (openTasks.has(k)) continue;
      const assigneeId = Number(k.split(':')[1]);
      const taskKey = key(`task-${k}`);
      openTasks.set(k, taskKey);
      queue.push({ type: 'task_opened', taskKey, stepIndex: state.stepIndex, stepName: steps[state.stepIndex]?.name ?? '', assigneeId });
      notify(notice, assigneeId, { stepIndex: state.stepIndex });
    }
  }

  function apply(t: Transition, actorId: number | null, channel: string | null): void {
    if (!t.ok) throw ApplicationFailure.nonRetryable(t.reason, 'RefusedDecision');
    const before = state.stepIndex;
    state = t.state;
    if (state.stepIndex !== before) {
      stepStartedAt = Date.now();
      reminded = false;
      escalated = false;
    }
    for (const e of t.events) {
      if (e.kind === 'step_completed') event('step_completed', actorId, channel, { stepIndex: e.stepIndex });
      if (e.kind === 'approved' || e.kind === 'rejected' || e.kind === 'withdrawn') {
        status = e.kind;
        statusDirty = true;
        event(e.kind, actorId, channel);
        notify('outcome', input.requesterId, { outcome: e.kind });
      }
    }
  }

  function nextStages(): FulfilmentStage[] {
    if (status !== 'approved' || busy) return [];
    switch (input.kind) {
      case 'outbound':
        return OUTBOUND_STAGES.slice(stage === null ? 0 : OUTBOUND_STAGES.findIndex((s) => DONE[s] === stage) + 1, undefined).slice(0, 1);
      case 'purchase':
        return ['receive'];
      case 'transfer':
        return stage === null ? ['ship'] : ['receive'];
      case 'stocktake':
        return [];
    }
  }

  const snapshotStatus = (): ApprovalStatus => ({
    status,
    outcome: state.outcome,
    stepIndex: state.stepIndex,
    stepName: state.outcome === 'pending' ? (steps[state.stepIndex]?.name ?? null) : null,
    assignees: currentAssignees(state, steps),
    stage,
    nextStages: nextStages(),
    documents: [...documents],
    failure,
  });

  // The first step's tasks are open before any handler can run: a decision
  // buffered with the start (a tap right after submission) is delivered as
  // soon as its handler is registered, and must find the task it closes.
  syncTasks('cancelled');
  for (const e of init.events) if (e.kind === 'approved') apply({ ok: true, state, events: [e] }, null, 'system');
  event('submitted', input.requesterId, null);

  // Handlers first, before any await (TEMPORAL.md).
  setHandler(statusQuery, snapshotStatus);

  setHandler(
    decideUpdate,
    (args) => {
      const t = decide(state, steps, args.employeeId, args.decision);
      closeTask(args.employeeId, args.decision === 'approve' ? 'approved' : 'rejected', args.comment, args.channel);
      event(args.decision === 'approve' ? 'approve' : 'reject', args.employeeId, args.channel, args.comment ? { comment: args.comment } : undefined);
      apply(t, args.employeeId, args.channel);
      syncTasks('cancelled');
      return { status, stepIndex: state.stepIndex };
    },
    {
      validator: (args) => {
        const refusal = canDecide(state, steps, args.employeeId);
        if (refusal) throw new Error(refusal);
      },
    },
  );

  setHandler(
    delegateUpdate,
    (args) => {
      const t = delegate(state, steps, args.employeeId, args.to);
      closeTask(args.employeeId, 'delegated', args.comment, args.channel);
      event('delegate', args.employeeId, args.channel, { to: args.to, ...(args.comment ? { comment: args.comment } : {}) });
      apply(t, args.employeeId, args.channel);
      syncTasks('cancelled');
      return { status, stepIndex: state.stepIndex };
    },
    {
      validator: (args) => {
        const t = delegate(state, steps, args.employeeId, args.to);
        if (!t.ok) throw new Error(t.reason);
      },
    },
  );

  setHandler(
    withdrawUpdate,
    (args) => {
      apply(withdraw(state, input.requesterId, args.employeeId), args.employeeId, args.channel);
      syncTasks('cancelled');
      return { status, stepIndex: state.stepIndex };
    },
    {
      validator: (args) => {
        const t = withdraw(state, input.requesterId, args.employeeId);
        if (!t.ok) throw new Error(t.reason);
      },
    },
  );

  setHandler(fulfilUpdate, (args) => runFulfilment(args), {
    validator: (args) => {
      if (status !== 'approved') throw new Error(status === 'pending' ? 'not_approved' : 'finished');
      if (!input.fulfillers.includes(args.employeeId)) throw new Error('not_fulfiller');
      if (!nextStages().includes(args.stage)) throw new Error('wrong_stage');
    },
  });

  async function runFulfilment(args: FulfilArgs): Promise<FulfilResult> {
    busy = true;
    try {
      const posts = args.stage === 'ship' || args.stage === 'receive';
      let documentNo: string | null = null;
      let complete = false;
      if (posts) {
        const n = args.stage === 'receive' ? ++receipts : 1;
        const outcome = await acts.fulfil({
          companyId: input.companyId,
          requestId: input.requestId,
          kind: input.kind,
          stage: args.stage,
          postingKey: `request:${input.requestId}:${args.stage}:${n}`,
          employeeId: args.employeeId,
          ...(args.lines ? { lines: args.lines } : {}),
        });
        if (!outcome.ok) {
          failure = { code: outcome.code, message: outcome.message };
          status = 'failed';
          statusDirty = true;
          event('failed', args.employeeId, args.channel, { stage: args.stage, ...failure });
          const told = new Set([input.requesterId, ...steps.flatMap((s) => s.assignees)]);
          for (const id of told) notify('failure', id, { stage: args.stage, ...failure });
          return { status, stage, documentNo: null, failure };
        }
        documentNo = outcome.documentNo;
        if (documentNo) documents.push(documentNo);
        complete = outcome.complete;
      }
      stage = args.stage === 'receive' && !complete ? 'partially_received' : DONE[args.stage];
      statusDirty = true;
      event(args.stage, args.employeeId, args.channel, documentNo ? { documentNo } : undefined);
      const finished = input.kind === 'outbound' ? args.stage === 'ship' : input.kind === 'transfer' ? args.stage === 'receive' && complete : complete;
      if (finished) {
        status = 'completed';
        notify('outcome', input.requesterId, { outcome: 'completed' });
      } else {
        notify('fulfilment', input.requesterId, { stage });
      }
      return { status, stage, documentNo, failure: null };
    } finally {
      busy = false;
    }
  }

  async function flush(): Promise<void> {
    if (queue.length === 0 && !statusDirty) return;
    const events = queue.splice(0, queue.length);
    statusDirty = false;
    await acts.project({ companyId: input.companyId, requestId: input.requestId, events, status, stage, failure });
  }

  async function onDeadline(): Promise<void> {
    const snap = steps[state.stepIndex];
    if (!snap || state.outcome !== 'pending') return;
    const at = Date.now();
    if (!reminded && snap.remindAfterMs !== null && at >= stepStartedAt + snap.remindAfterMs) {
      reminded = true;
      event('reminded', null, null, { stepIndex: state.stepIndex });
      for (const a of currentAssignees(state, steps)) notify('reminder', a, { stepIndex: state.stepIndex });
    }
    if (!escalated && snap.escalateAfterMs !== null && at >= stepStartedAt + snap.escalateAfterMs) {
      escalated = true;
      const waiting = currentAssignees(state, steps);
      const target = snap.escalateTo;
      let replacement: 'approve' | 'reject' | Map<number, readonly number[]>;
      if (target.kind === 'auto_approve') replacement = 'approve';
      else if (target.kind === 'auto_reject') replacement = 'reject';
      else if (target.kind === 'employees') replacement = new Map(waiting.map((w) => [w, target.employees]));
      else if (target.kind === 'manager') {
        const managers = await acts.managersOf({ companyId: input.companyId, employeeIds: waiting });
        replacement = new Map(waiting.map((w) => [w, managers[String(w)] ? [managers[String(w)] as number] : [w]]));
      } else return;
      event('escalated', null, null, { stepIndex: state.stepIndex, to: target.kind });
      apply(escalate(state, steps, replacement), null, 'system');
      syncTasks('escalated', 'escalation');
    }
  }

  // Handlers change `status` behind TypeScript's back: read it through a function.
  const now = (): RequestStatus => status;
  while (now() === 'pending') {
    await flush();
    const snap = steps[state.stepIndex];
    const deadlines = [
      !reminded && snap?.remindAfterMs != null ? stepStartedAt + snap.remindAfterMs : null,
      !escalated && snap?.escalateAfterMs != null ? stepStartedAt + snap.escalateAfterMs : null,
    ].filter((d): d is number => d !== null);
    const wake = () => queue.length > 0 || status !== 'pending';
    if (deadlines.length === 0) await condition(wake);
    else if (!(await condition(wake, Math.max(Math.min(...deadlines) - Date.now(), 1)))) await onDeadline();
  }
  await flush();

  if (now() === 'rejected' || now() === 'withdrawn') {
    await acts.releaseHold({ companyId: input.companyId, requestId: input.requestId });
  } else if (status === 'approved' && input.kind === 'stocktake') {
    const outcome = await acts.fulfil({
      companyId: input.companyId,
      requestId: input.requestId,
      kind: input.kind,
      stage: 'post',
      postingKey: `request:${input.requestId}:post:1`,
      employeeId: null,
    });
    if (outcome.ok) {
      if (outcome.documentNo) documents.push(outcome.documentNo);
      status = 'completed';
      stage = 'posted';
      event('posted', null, 'system', { documentNo: outcome.documentNo });
    } else {
      status = 'failed';
      failure = { code: outcome.code, message: outcome.message };
      event('failed', null, 'system', failure);
      for (const id of new Set([input.requesterId, ...steps.flatMap((s) => s.assignees)])) notify('failure', id, failure);
    }
    statusDirty = true;
  } else if (status === 'approved') {
    for (;;) {
      await condition(() => queue.length > 0 || statusDirty || status === 'completed' || status === 'failed');
      await flush();
      if (now() === 'completed' || now() === 'failed') break;
    }
  }
  await condition(allHandlersFinished);
  await flush();
  return snapshotStatus();
}
