import { describe, expect, it } from 'vitest';
import type { PolicyStep } from './policy.ts';
import { Directory, resolvePolicy, type Person } from './resolve.ts';

const person = (id: number, code: string, roles: string[], managerId: number | null, warehouseScope: number[] | null = null): Person => ({
  id,
  code,
  name: code,
  roles,
  managerId,
  warehouseScope,
  active: true,
});

const dir = new Directory([
  person(1, 'keeper', ['warehouse_keeper'], 2, [10]),
  person(2, 'whm-sh', ['warehouse_manager'], 3, [10]),
  person(4, 'whm-sz', ['warehouse_manager'], 3, [20]),
  person(3, 'boss', ['director'], null),
  person(5, 'fin', ['finance'], 3),
  person(6, 'qc', ['qc'], 3),
]);
const facts = { requesterId: 1, amount: 12_000_000_000n, warehouseId: 10, warehouseCode: 'SH', categories: ['紧固件'] };

const steps: PolicyStep[] = [
  { name: '仓库主管', mode: 'any', approvers: [{ kind: 'role', role: 'warehouse_manager', warehouseScoped: true }], remindAfter: '2h', escalateAfter: '8h', escalateTo: { kind: 'manager' } },
  { name: '财务+质检', mode: 'all', approvers: [{ kind: 'role', role: 'finance' }, { kind: 'role', role: 'qc' }] },
  { name: '总监', mode: 'any', approvers: [{ kind: 'role', role: 'director' }], when: { amountAbove: 10000 } },
];

describe('resolving a policy for a request', () => {
  it('turns roles into people, scoped to the warehouse, with durations in ms', () => {
    const r = resolvePolicy(steps, facts, dir);
    expect(r.ok && r.steps.map((s) => [s.name, s.mode, s.assignees])).toEqual([
      ['仓库主管', 'any', [2]],
      ['财务+质检', 'all', [5, 6]],
      ['总监', 'any', [3]],
    ]);
    expect(r.ok && r.steps[0]).toMatchObject({ remindAfterMs: 7_200_000, escalateAfterMs: 28_800_000, escalateTo: { kind: 'manager' } });
  });

  it('leaves out a step whose amount condition does not hold', () => {
    const r = resolvePolicy(steps, { ...facts, amount: 10_000_000_000n }, dir);
    expect(r.ok && r.steps.map((s) => s.name)).toEqual(['仓库主管', '财务+质检']);
  });

  it("finds the requester's manager N levels up", () => {
    const r = resolvePolicy([{ name: 'm', mode: 'sequential', approvers: [{ kind: 'manager' }, { kind: 'manager', levels: 2 }] }], facts, dir);
    expect(r.ok && r.steps[0]?.assignees).toEqual([2, 3]);
  });

  it('reports every step nobody could approve', () => {
    const r = resolvePolicy(
      [
        { name: 'a', mode: 'any', approvers: [{ kind: 'employee', employee: 'ghost' }] },
        { name: 'b', mode: 'any', approvers: [{ kind: 'manager', levels: 3 }] },
      ],
      facts,
      dir,
    );
    expect(r).toEqual({
      ok: false,
      issues: [
        { path: 'steps[0].approvers[0]', message: 'employee ghost is unknown or inactive' },
        { path: 'steps[1].approvers[0]', message: 'boss has no manager 3 levels up' },
      ],
    });
  });

  it('detects a manager chain that loops', () => {
    const loop = new Directory([person(1, 'a', [], 2), person(2, 'b', [], 1)]);
    const r = resolvePolicy([{ name: 'm', mode: 'any', approvers: [{ kind: 'manager', levels: 3 }] }], { ...facts, requesterId: 1 }, loop);
    expect(r.ok ? null : r.issues[0]?.message).toBe('the manager chain above a loops');
  });
});
