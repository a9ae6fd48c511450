import { describe, expect, it } from 'vitest';
import type { StepSnapshot } from './snapshot.ts';
import { canDecide, currentAssignees, decide, delegate, escalate, initialState, withdraw, type ApprovalState, type Transition } from './state.ts';

const step = (mode: StepSnapshot['mode'], assignees: number[]): StepSnapshot => ({
  name: `${mode} step`,
  mode,
  assignees,
  remindAfterMs: null,
  escalateAfterMs: null,
  escalateTo: { kind: 'none' },
});

const ok = (t: Transition): ApprovalState => {
  if (!t.ok) throw new Error(`refused: ${t.reason}`);
  return t.state;
};

describe('approval state machine', () => {
  it('或签 (any): the first approval completes the step', () => {
    const steps = [step('any', [1, 2]), step('any', [3])];
    let s = initialState(steps).state;
    const t = decide(s, steps, 2, 'approve');
    s = ok(t);
    expect(t.ok && t.events.map((e) => e.kind)).toEqual(['step_completed', 'step_started']);
    expect(currentAssignees(s, steps)).toEqual([3]);
    expect(canDecide(s, steps, 1)).toBe('not_assignee');
  });

  it('会签 (all): everyone must approve; the step waits for the rest', () => {
    const steps = [step('all', [1, 2, 3])];
    let s = ok(decide(initialState(steps).state, steps, 3, 'approve'));
    expect(currentAssignees(s, steps)).toEqual([1, 2]);
    expect(decide(s, steps, 3, 'approve')).toEqual({ ok: false, reason: 'not_assignee' });
    s = ok(decide(s, steps, 1, 'approve'));
    s = ok(decide(s, steps, 2, 'approve'));
    expect(s.outcome).toBe('approved');
  });

  it('sequential: only the next in line may decide', () => {
    const steps = [step('sequential', [5, 6])];
    const s = initialState(steps).state;
    expect(canDecide(s, steps, 6)).toBe('not_assignee');
    const s2 = ok(decide(s, steps, 5, 'approve'));
    expect(currentAssignees(s2, steps)).toEqual([6]);
  });

  it('a rejection ends the request, whatever the mode', () => {
    const steps = [step('all', [1, 2]), step('any', [3])];
    const s = ok(decide(initialState(steps).state, steps, 2, 'reject'));
    expect(s.outcome).toBe('rejected');
    expect(decide(s, steps, 1, 'approve')).toEqual({ ok: false, reason: 'finished' });
  });

  it('转办 hands the part to someone else, who then decides', () => {
    const steps = [step('all', [1, 2])];
    const s = ok(delegate(initialState(steps).state, steps, 1, 9));
    expect(currentAssignees(s, steps)).toEqual([9, 2]);
    expect(canDecide(s, steps, 1)).toBe('not_assignee');
    expect(delegate(s, steps, 9, 2)).toEqual({ ok: false, reason: 'already_assignee' });
    expect(delegate(s, steps, 7, 8)).toEqual({ ok: false, reason: 'not_assignee' });
  });

  it('only the requester may withdraw, only while pending', () => {
    const steps = [step('any', [1])];
    const s = initialState(steps).state;
    expect(withdraw(s, 42, 1)).toEqual({ ok: false, reason: 'not_requester' });
    const w = ok(withdraw(s, 42, 42));
    expect(w.outcome).toBe('withdrawn');
    expect(withdraw(w, 42, 42)).toEqual({ ok: false, reason: 'finished' });
  });

  it('escalation replaces who has not acted, or decides automatically', () => {
    const steps = [step('all', [1, 2]), step('any', [3])];
    const s = ok(decide(initialState(steps).state, steps, 1, 'approve'));
    const replaced = ok(escalate(s, steps, new Map([[2, [20]]])));
    expect(currentAssignees(replaced, steps)).toEqual([20]);
    expect(ok(escalate(s, steps, 'approve')).stepIndex).toBe(1);
    expect(ok(escalate(s, steps, 'reject')).outcome).toBe('rejected');
  });

  it('a policy without steps is approved at once', () => {
    expect(initialState([]).state.outcome).toBe('approved');
  });
});
