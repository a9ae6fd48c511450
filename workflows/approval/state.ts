import type { StepSnapshot } from './snapshot.ts';

/**
 * The approval chain as a pure state machine: the workflow holds the state and
 * feeds it decisions, delegations, withdrawals and deadlines; this module says
 * what they mean. No I/O, no clock: deterministic and table-tested.
 */
export type Outcome = 'pending' | 'approved' | 'rejected' | 'withdrawn';

export interface StepState {
  /** Who must (still) act on this step; delegation and escalation replace people here. */
  assignees: number[];
  approvedBy: number[];
}

export interface ApprovalState {
  stepIndex: number;
  steps: StepState[];
  outcome: Outcome;
}

export type Refusal = 'finished' | 'not_assignee' | 'not_requester' | 'same_person' | 'already_assignee';

export type Transition =
  | { ok: true; state: ApprovalState; events: ApprovalEvent[] }
  | { ok: false; reason: Refusal };

export type ApprovalEvent =
  | { kind: 'step_started'; stepIndex: number; assignees: number[] }
  | { kind: 'step_completed'; stepIndex: number }
  | { kind: 'approved' }
  | { kind: 'rejected' }
  | { kind: 'withdrawn' };

export function initialState(steps: readonly StepSnapshot[]): { state: ApprovalState; events: ApprovalEvent[] } {
  const state: ApprovalState = {
    stepIndex: 0,
    steps: steps.map((s) => ({ assignees: [...s.assignees], approvedBy: [] })),
    outcome: steps.length === 0 ? 'approved' : 'pending',
  };
  const first = steps[0];
  const events: ApprovalEvent[] = first ? [{ kind: 'step_started', stepIndex: 0, assignees: currentAssignees(state, steps) }] : [{ kind: 'approved' }];
  return { state, events };
}

/** Who may decide now: everyone who has not approved yet, or for `sequential` only the next in line. */
export function currentAssignees(state: ApprovalState, steps: readonly StepSnapshot[]): number[] {
  if (state.outcome !== 'pending') return [];
  const step = state.steps[state.stepIndex];
  const snap = steps[state.stepIndex];
  if (!step || !snap) return [];
  const waiting = step.assignees.filter((a) => !step.approvedBy.includes(a));
  return snap.mode === 'sequential' ? waiting.slice(0, 1) : waiting;
}

export function canDecide(state: ApprovalState, steps: readonly StepSnapshot[], employeeId: number): Refusal | null {
  if (state.outcome !== 'pending') return 'finished';
  return currentAssignees(state, steps).includes(employeeId) ? null : 'not_assignee';
}

const clone = (s: ApprovalState): ApprovalState => ({
  ...s,
  steps: s.steps.map((st) => ({ assignees: [...st.assignees], approvedBy: [...st.approvedBy] })),
});

/** Approve or reject. 或签 (any): the first approval completes the step; 会签 (all) and sequential need everyone. A rejection ends the request. */
export function decide(state: ApprovalState, steps: readonly StepSnapshot[], employeeId: number, decision: 'approve' | 'reject'): Transition {
  const refusal = canDecide(state, steps, employeeId);
  if (refusal) return { ok: false, reason: refusal };
  const next = clone(state);
  if (decision === 'reject') {
    next.outcome = 'rejected';
    return { ok: true, state: next, events: [{ kind: 'rejected' }] };
  }
  const step = next.steps[next.stepIndex] as StepState;
  step.approvedBy.push(employeeId);
  const snap = steps[next.stepIndex] as StepSnapshot;
  const done = snap.mode === 'any' || step.assignees.every((a) => step.approvedBy.includes(a));
  if (!done) return { ok: true, state: next, events: [] };
  return advance(next, steps);
}

function advance(state: ApprovalState, steps: readonly StepSnapshot[]): Transition {
  const events: ApprovalEvent[] = [{ kind: 'step_completed', stepIndex: state.stepIndex }];
  state.stepIndex += 1;
  if (state.stepIndex >= steps.length) {
    state.outcome = 'approved';
    events.push({ kind: 'approved' });
  } else {
    events.push({ kind: 'step_started', stepIndex: state.stepIndex, assignees: currentAssignees(state, steps) });
  }
  return { ok: true, state, events };
}

/** 转办: a current assignee hands their part of the step to someone else. */
export function delegate(state: ApprovalState, steps: readonly StepSnapshot[], from: number, to: number): Transition {
  const refusal = canDecide(state, steps, from);
  if (refusal) return { ok: false, reason: refusal };
  if (from === to) return { ok: false, reason: 'same_person' };
  const next = clone(state);
  const step = next.steps[next.stepIndex] as StepState;
  if (step.assignees.includes(to) && !step.approvedBy.includes(to)) return { ok: false, reason: 'already_assignee' };
  step.assignees = step.assignees.map((a) => (a === from ? to : a));
  return { ok: true, state: next, events: [{ kind: 'step_started', stepIndex: next.stepIndex, assignees: currentAssignees(next, steps) }] };
}

/** 撤回: only the requester, only while pending. */
export function withdraw(state: ApprovalState, requesterId: number, employeeId: number): Transition {
  if (state.outcome !== 'pending') return { ok: false, reason: 'finished' };
  if (requesterId !== employeeId) return { ok: false, reason: 'not_requester' };
  return { ok: true, state: { ...clone(state), outcome: 'withdrawn' }, events: [{ kind: 'withdrawn' }] };
}

/**
 * A deadline passed on the current step: replace the people who have not acted
 * (each by their escalation target), or decide the step automatically.
 */
export function escalate(
  state: ApprovalState,
  steps: readonly StepSnapshot[],
  replacement: 'approve' | 'reject' | Map<number, readonly number[]>,
): Transition {
  if (state.outcome !== 'pending') return { ok: false, reason: 'finished' };
  const next = clone(state);
  if (replacement === 'reject') {
    next.outcome = 'rejected';
    return { ok: true, state: next, events: [{ kind: 'rejected' }] };
  }
  if (replacement === 'approve') return advance(next, steps);
  const step = next.steps[next.stepIndex] as StepState;
  const replaced = step.assignees.flatMap((a) => (step.approvedBy.includes(a) ? [a] : (replacement.get(a) ?? [a])));
  step.assignees = [...new Set(replaced)];
  return { ok: true, state: next, events: [{ kind: 'step_started', stepIndex: next.stepIndex, assignees: currentAssignees(next, steps) }] };
}
