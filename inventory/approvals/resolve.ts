import type { EscalationTarget, StepSnapshot } from '../../workflows/approval/snapshot.ts';
import { parseMicro, type Micro } from '../decimal.ts';
import type { Issue } from '../errors.ts';
import { parseDuration } from './duration.ts';
import type { Approver, PolicyStep } from './policy.ts';

export interface Person {
  id: number;
  code: string;
  name: string;
  roles: readonly string[];
  managerId: number | null;
  /** Warehouse ids; null = all warehouses. */
  warehouseScope: readonly number[] | null;
  active: boolean;
}

export interface RequestFacts {
  requesterId: number;
  amount: Micro;
  warehouseId: number;
  warehouseCode: string;
  categories: readonly string[];
}

/** The company's people, indexed the two ways a policy refers to them. */
export class Directory {
  readonly byId: Map<number, Person>;
  readonly byCode: Map<string, Person>;
  constructor(people: readonly Person[]) {
    this.byId = new Map(people.map((p) => [p.id, p]));
    this.byCode = new Map(people.map((p) => [p.code, p]));
  }

  holders(role: string, warehouseId?: number): Person[] {
    return [...this.byId.values()].filter(
      (p) => p.active && p.roles.includes(role) && (warehouseId === undefined || p.warehouseScope === null || p.warehouseScope.includes(warehouseId)),
    );
  }

  /** The manager `levels` up from a person, or a reason why there is none. */
  managerOf(personId: number, levels = 1): { person: Person } | { problem: string } {
    let current = this.byId.get(personId);
    const seen = new Set<number>([personId]);
    for (let i = 0; i < levels; i++) {
      const managerId = current?.managerId ?? null;
      if (managerId === null) return { problem: `${current?.name ?? personId} has no manager${i > 0 ? ` ${i + 1} levels up` : ''}` };
      if (seen.has(managerId)) return { problem: `the manager chain above ${this.byId.get(personId)?.name ?? personId} loops` };
      seen.add(managerId);
      current = this.byId.get(managerId);
      if (!current) return { problem: `manager ${managerId} is not an employee of this company` };
    }
    return current?.active ? { person: current } : { problem: `${current?.name ?? '?'} is no longer active` };
  }
}

function applies(step: PolicyStep, facts: RequestFacts): boolean {
  const w = step.when;
  if (!w) return true;
  if (w.amountAbove !== undefined && !(facts.amount > (parseMicro(w.amountAbove) ?? 0n))) return false;
  if (w.categories && !facts.categories.some((c) => w.categories?.includes(c))) return false;
  if (w.warehouses && !w.warehouses.includes(facts.warehouseCode)) return false;
  return true;
}

function approversOf(a: Approver, facts: RequestFacts, dir: Directory): { ids: number[] } | { problem: string } {
  switch (a.kind) {
    case 'employee': {
      const p = dir.byCode.get(a.employee);
      return p?.active ? { ids: [p.id] } : { problem: `employee ${a.employee} is unknown or inactive` };
    }
    case 'role': {
      const holders = dir.holders(a.role, a.warehouseScoped ? facts.warehouseId : undefined);
      return holders.length
        ? { ids: holders.map((h) => h.id) }
        : { problem: `no active employee holds role ${a.role}${a.warehouseScoped ? ` for warehouse ${facts.warehouseCode}` : ''}` };
    }
    case 'manager': {
      const m = dir.managerOf(facts.requesterId, a.levels ?? 1);
      return 'person' in m ? { ids: [m.person.id] } : m;
    }
  }
}

function escalationOf(step: PolicyStep, dir: Directory): EscalationTarget | { problem: string } {
  const e = step.escalateTo;
  if (!e) return { kind: 'none' };
  switch (e.kind) {
    case 'manager':
    case 'auto_approve':
    case 'auto_reject':
      return { kind: e.kind };
    case 'role': {
      const holders = dir.holders(e.role);
      return holders.length ? { kind: 'employees', employees: holders.map((h) => h.id) } : { problem: `no active employee holds role ${e.role}` };
    }
    case 'employee': {
      const p = dir.byCode.get(e.employee);
      return p?.active ? { kind: 'employees', employees: [p.id] } : { problem: `employee ${e.employee} is unknown or inactive` };
    }
  }
}

/**
 * Resolves a policy to people for one request: drops steps whose conditions
 * do not hold, turns roles and managers into employees. Every step that would
 * have nobody to approve is reported, so a request never waits on no one.
 */
export function resolvePolicy(
  steps: readonly PolicyStep[],
  facts: RequestFacts,
  dir: Directory,
): { ok: true; steps: StepSnapshot[] } | { ok: false; issues: Issue[] } {
  const issues: Issue[] = [];
  const out: StepSnapshot[] = [];
  steps.forEach((step, i) => {
    if (!applies(step, facts)) return;
    const ids: number[] = [];
    step.approvers.forEach((a, j) => {
      const r = approversOf(a, facts, dir);
      if ('problem' in r) issues.push({ path: `steps[${i}].approvers[${j}]`, message: r.problem });
      else for (const id of r.ids) if (!ids.includes(id)) ids.push(id);
    });
    const escalateTo = escalationOf(step, dir);
    if ('problem' in escalateTo) issues.push({ path: `steps[${i}].escalateTo`, message: escalateTo.problem });
    else if (ids.length > 0) {
      out.push({
        name: step.name,
        mode: step.mode,
        assignees: ids,
        remindAfterMs: step.remindAfter ? parseDuration(step.remindAfter) : null,
        escalateAfterMs: step.escalateAfter ? parseDuration(step.escalateAfter) : null,
        escalateTo,
      });
    }
  });
  return issues.length ? { ok: false, issues } : { ok: true, steps: out };
}
