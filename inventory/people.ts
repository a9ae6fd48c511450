import type { Database } from '../db/client.ts';
import type { Actor } from './actor.ts';
import type { Role } from './roles.ts';

/**
 * An employee as the product meets them, in chat or in the mini-app: who they
 * are and what decides what they may see.
 */
export interface Person {
  employeeId: number;
  companyId: number;
  code: string;
  name: string;
  roles: readonly Role[];
  /** Warehouse ids the employee may see; null = every warehouse. */
  warehouseScope: readonly number[] | null;
  timezone: string;
}

/** Roles that see unit costs and stock values (everyone else sees quantities only). */
export const COST_ROLES: readonly Role[] = ['admin', 'director', 'finance', 'purchaser', 'warehouse_manager'];

export const canSeeCost = (p: Person) => p.roles.some((r) => COST_ROLES.includes(r));

export interface PersonRow {
  id: number;
  company_id: number;
  code: string;
  name: string;
  roles: Role[];
  warehouse_scope: number[] | null;
  timezone: string;
}

/** Select list for `PersonRow` over `employees e join companies c`. */
export const PERSON_COLUMNS = 'e.id, e.company_id, e.code, e.name, e.roles, e.warehouse_scope, c.timezone';

export const toPerson = (r: PersonRow): Person => ({
  employeeId: r.id,
  companyId: r.company_id,
  code: r.code,
  name: r.name,
  roles: r.roles,
  warehouseScope: r.warehouse_scope?.map(Number) ?? null,
  timezone: r.timezone,
});

/** The employee with this id in the company, active or not (a departed approver still has a history). */
export async function personById(db: Database, companyId: number, employeeId: number): Promise<Person | null> {
  const [r] = await db.sql<PersonRow[]>`
    select ${db.sql.unsafe(PERSON_COLUMNS)}
    from employees e join companies c on c.id = e.company_id
    where e.company_id = ${companyId} and e.id = ${employeeId}`;
  return r ? toPerson(r) : null;
}

/** People act as themselves: they read stock and submit requests; postings happen through approvals. */
export function personActor(p: Person, channel: string): Actor {
  return { companyId: p.companyId, employeeId: p.employeeId, scopes: ['stock:read', 'stock:write'], channel, timezone: p.timezone };
}
