import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { NotFoundError, ValidationError, type Issue } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { loadPeople } from '../requests/submit.ts';
import { policyInputSchema, type PolicyInput } from './policy.ts';
import { Directory } from './resolve.ts';

export interface PolicyView extends PolicyInput {
  id: number;
  version: number;
  createdAt: string;
}

/**
 * Saves an approval policy as a new version (running requests keep theirs).
 * Refuses what could never be approved: unknown employees, roles nobody holds,
 * a manager chain that loops.
 */
export async function savePolicy(db: Database, actor: Actor, raw: unknown): Promise<PolicyView> {
  requireScope(actor, 'admin');
  const input = parseInput(policyInputSchema, raw);
  const dir = new Directory(await loadPeople(db.sql, actor.companyId));
  const issues: Issue[] = [];
  let warehouseId: number | null = null;
  if (input.warehouse) {
    const [w] = await db.sql<{ id: number }[]>`select id from warehouses where company_id = ${actor.companyId} and code = ${input.warehouse}`;
    if (!w) throw new NotFoundError('warehouse', input.warehouse);
    warehouseId = w.id;
  }
  input.steps.forEach((step, i) => {
    const targets = [...step.approvers, ...(step.escalateTo ? [step.escalateTo] : [])];
    targets.forEach((a, j) => {
      const path = j < step.approvers.length ? `steps[${i}].approvers[${j}]` : `steps[${i}].escalateTo`;
      if (a.kind === 'employee' && !dir.byCode.get(a.employee)?.active) issues.push({ path, message: `no active employee ${a.employee}` });
      if (a.kind === 'role' && dir.holders(a.role).length === 0) issues.push({ path, message: `no active employee holds role ${a.role}` });
    });
  });
  for (const p of dir.byId.values()) {
    const m = dir.managerOf(p.id, dir.byId.size);
    if ('problem' in m && m.problem.includes('loops')) issues.push({ path: 'steps', message: m.problem });
  }
  if (issues.length) throw new ValidationError(issues);

  const [row] = await db.sql<{ id: number; version: number; created_at: string }[]>`
    insert into approval_policies (company_id, request_type, warehouse_id, category, name, version, steps, created_by)
    select ${actor.companyId}, ${input.requestType}, ${warehouseId}, ${input.category ?? null}, ${input.name},
           coalesce(max(version), 0) + 1, ${JSON.stringify(input.steps)}::jsonb, ${actor.employeeId}
    from approval_policies
    where company_id = ${actor.companyId} and request_type = ${input.requestType}
      and warehouse_id is not distinct from ${warehouseId} and category is not distinct from ${input.category ?? null}
    returning id, version, created_at`;
  if (!row) throw new Error('policy insert returned nothing');
  return { ...input, id: row.id, version: row.version, createdAt: row.created_at };
}

/** The newest version of every policy. */
export async function listPolicies(db: Database, actor: Actor) {
  requireScope(actor, 'stock:read');
  return db.sql`
    select distinct on (p.request_type, p.warehouse_id, p.category) p.id, p.request_type as "requestType", w.code as warehouse,
           p.category, p.name, p.version, p.steps
    from approval_policies p left join warehouses w on w.id = p.warehouse_id
    where p.company_id = ${actor.companyId} and p.active
    order by p.request_type, p.warehouse_id, p.category, p.version desc`;
}

/** Retires every version of the policy that `id` belongs to; requests already running keep their snapshot. */
export async function retirePolicy(db: Database, actor: Actor, id: number): Promise<{ retired: number }> {
  requireScope(actor, 'admin');
  const rows = await db.sql`
    update approval_policies p set active = false
    from approval_policies target
    where target.id = ${id} and target.company_id = ${actor.companyId}
      and p.company_id = target.company_id and p.request_type = target.request_type
      and p.warehouse_id is not distinct from target.warehouse_id and p.category is not distinct from target.category
      and p.active
    returning p.id`;
  if (rows.length === 0) throw new NotFoundError('policy', id);
  return { retired: rows.length };
}
