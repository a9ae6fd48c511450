import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { employees, warehouses } from '../../db/schema/index.ts';
import { requireScope, type Actor } from '../actor.ts';
import { DuplicateError, NotFoundError } from '../errors.ts';
import { ROLES, unknownRoleWords } from '../roles.ts';
import { IssueList, parseInput } from '../validate.ts';

const platformId = z.string().trim().min(1).max(128);

export const employeeInputSchema = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[\p{L}\p{N}_.-]+$/u, 'letters, digits, _ . - only').describe('工号'),
  name: z.string().trim().min(1).max(64),
  department: z.string().trim().min(1).max(64).optional(),
  manager: z.string().trim().min(1).max(32).optional().describe("The manager's employee code (same company)"),
  // Checked against ROLES after parsing (createEmployee), so that the Excel import can name an unknown role in its own words.
  roles: z.array(z.string().trim().min(1).max(32)).max(20).optional().describe(`Any of: ${ROLES.join(', ')}`),
  warehouses: z
    .array(z.string().trim().min(1).max(32))
    .max(100)
    .optional()
    .describe('Warehouse codes this employee works with; all warehouses when omitted'),
  dingtalkUserId: platformId.optional(),
  feishuOpenId: platformId.optional(),
  feishuUnionId: platformId.optional(),
  wecomUserId: platformId.optional(),
  wechatyId: platformId.optional(),
});

export type EmployeeInput = z.infer<typeof employeeInputSchema>;

export interface EmployeeView {
  code: string;
  name: string;
  department: string | null;
  manager: string | null;
  roles: string[];
  /** Warehouse codes; null = every warehouse. */
  warehouses: string[] | null;
  dingtalkUserId: string | null;
  feishuOpenId: string | null;
  feishuUnionId: string | null;
  wecomUserId: string | null;
  wechatyId: string | null;
  active: boolean;
}

/** The chat identities, each unique per company: a clash names the field so the caller knows which binding is taken. */
const PLATFORM_IDS = ['dingtalkUserId', 'feishuOpenId', 'feishuUnionId', 'wecomUserId', 'wechatyId'] as const;

/** Creates an employee: resolves the manager's code and the warehouse codes to ids first. */
export async function createEmployee(db: Database, actor: Actor, raw: unknown): Promise<EmployeeView> {
  requireScope(actor, 'master:write');
  const input = parseInput(employeeInputSchema, raw);
  const issues = new IssueList();
  const known: readonly string[] = ROLES;
  (input.roles ?? []).forEach((role, i) => {
    if (known.includes(role)) return;
    const words = unknownRoleWords(role);
    issues.add(`roles[${i}]`, words.en, words.zh);
  });
  issues.throwIfAny();
  const managerId = input.manager === undefined ? null : await employeeId(db, actor.companyId, input.manager);
  const warehouseScope = input.warehouses === undefined ? null : await warehouseIds(db, actor.companyId, input.warehouses);

  const [row] = await db.orm
    .insert(employees)
    .values({
      companyId: actor.companyId,
      code: input.code,
      name: input.name,
      department: input.department ?? null,
      managerId,
      roles: input.roles ?? [],
      warehouseScope,
      dingtalkUserId: input.dingtalkUserId ?? null,
      feishuOpenId: input.feishuOpenId ?? null,
      feishuUnionId: input.feishuUnionId ?? null,
      wecomUserId: input.wecomUserId ?? null,
      wechatyId: input.wechatyId ?? null,
    })
    // Any of the unique keys may clash; which one is worked out below.
    .onConflictDoNothing()
    .returning({ id: employees.id });
  if (!row) throw await duplicateOf(db, actor.companyId, input);
  return getEmployee(db, actor, input.code);
}

export async function getEmployee(db: Database, actor: Actor, code: string): Promise<EmployeeView> {
  requireScope(actor, 'stock:read');
  const row = await db.orm.query.employees.findFirst({
    where: and(eq(employees.companyId, actor.companyId), eq(employees.code, code)),
  });
  if (!row) throw new NotFoundError('employee', code);
  const manager =
    row.managerId === null
      ? undefined
      : await db.orm.query.employees.findFirst({ where: eq(employees.id, row.managerId), columns: { code: true } });
  let scope: string[] | null = null;
  if (row.warehouseScope !== null) {
    const scoped = row.warehouseScope.length
      ? await db.orm
          .select({ id: warehouses.id, code: warehouses.code })
          .from(warehouses)
          .where(and(eq(warehouses.companyId, actor.companyId), inArray(warehouses.id, row.warehouseScope)))
      : [];
    const codeOf = new Map(scoped.map((w) => [w.id, w.code]));
    scope = row.warehouseScope.flatMap((id) => codeOf.get(id) ?? []);
  }
  return {
    code: row.code,
    name: row.name,
    department: row.department,
    manager: manager?.code ?? null,
    roles: row.roles,
    warehouses: scope,
    dingtalkUserId: row.dingtalkUserId,
    feishuOpenId: row.feishuOpenId,
    feishuUnionId: row.feishuUnionId,
    wecomUserId: row.wecomUserId,
    wechatyId: row.wechatyId,
    active: row.active,
  };
}

/**
 * What an admin may correct about an employee. `manager` and `warehouses`
 * take null: no manager, every warehouse. Chat identities have their own verb
 * (bindIdentities); the code (工号) does not change.
 */
export const employeeUpdateSchema = z
  .object({
    name: employeeInputSchema.shape.name.optional(),
    department: z.string().trim().min(1).max(64).nullable().optional(),
    manager: z.string().trim().min(1).max(32).nullable().optional().describe("The manager's employee code; null: none"),
    roles: z.array(z.enum(ROLES)).max(20).optional().describe('Replaces the roles'),
    warehouses: z
      .array(z.string().trim().min(1).max(32))
      .max(100)
      .nullable()
      .optional()
      .describe('Warehouse codes this employee works with; null: every warehouse'),
    active: z.boolean().optional().describe('false: can no longer sign in or be chosen as an approver; history stays'),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'name at least one field to change');

export type EmployeeUpdate = z.infer<typeof employeeUpdateSchema>;

/**
 * Corrects an employee; every problem is reported at once and a refused edit
 * changes nothing. A manager must be an active colleague who does not report,
 * directly or further up, to this employee (escalations climb the chain and
 * must end). Deactivating keeps every request and decision the employee made;
 * their sessions and chat messages are refused from the next call.
 */
export async function updateEmployee(db: Database, actor: Actor, code: string, raw: unknown): Promise<EmployeeView> {
  requireScope(actor, 'master:write');
  const input = parseInput(employeeUpdateSchema, raw);
  await db.sql.begin(async (tx) => {
    if (input.manager) {
      // Two edits could each close half of a loop (A under B, B under A); one at a time per company, they cannot.
      await tx`select pg_advisory_xact_lock(hashtextextended(${`employee-managers:${actor.companyId}`}, 0))`;
    }
    const [me] = await tx<{ id: number; roles: string[] }[]>`
      select id, roles from employees where company_id = ${actor.companyId} and code = ${code} for update`;
    if (!me) throw new NotFoundError('employee', code);
    const issues = new IssueList();

    let managerId: number | null | undefined = input.manager === null ? null : undefined;
    if (input.manager) {
      const [m] = await tx<{ id: number; active: boolean }[]>`
        select id, active from employees where company_id = ${actor.companyId} and code = ${input.manager}`;
      if (!m) issues.add('manager', `no employee ${input.manager}`, `没有员工 ${input.manager}`);
      else if (m.id === me.id) issues.add('manager', `${code} cannot be their own manager`, `${code} 不能是自己的上级`);
      else {
        if (!m.active) issues.add('manager', `${input.manager} is deactivated and cannot approve or receive escalations`, `${input.manager} 已停用，不能审批或接收升级`);
        // The chain above the new manager; cut at 100 levels so that an old loop in the data cannot spin forever.
        const chain = await tx<{ id: number; code: string }[]>`
          with recursive up(id, code, manager_id, depth) as (
            select id, code, manager_id, 0 from employees where id = ${m.id}
            union all
            select e.id, e.code, e.manager_id, up.depth + 1 from employees e join up on e.id = up.manager_id
            where up.depth < 100 and e.company_id = ${actor.companyId}
          )
          select id, code from up order by depth`;
        const at = chain.findIndex((e) => e.id === me.id);
        if (at >= 0) {
          const path = [...chain.slice(0, at + 1).map((e) => e.code)].join(' → ');
          issues.add('manager', `${input.manager} already reports to ${code} (${path}); making ${input.manager} the manager of ${code} would make a loop`, `${input.manager} 已经是 ${code} 的下属（${path}），再设为上级会形成循环`);
        } else managerId = m.id;
      }
    }

    let scope: number[] | null | undefined = input.warehouses === null ? null : undefined;
    if (input.warehouses) {
      const wanted = [...new Set(input.warehouses)];
      const rows = wanted.length
        ? await tx<{ id: number; code: string }[]>`select id, code from warehouses where company_id = ${actor.companyId} and code = any(${wanted})`
        : [];
      const idOf = new Map(rows.map((r) => [r.code, r.id]));
      input.warehouses.forEach((w, i) => {
        if (!idOf.has(w)) issues.add(`warehouses[${i}]`, `no warehouse ${w}`, `没有仓库 ${w}`);
      });
      scope = wanted.flatMap((w) => idOf.get(w) ?? []);
    }

    // An admin locking themselves out needs another admin (or the database) to undo it.
    if (actor.employeeId === me.id) {
      if (input.active === false) issues.add('active', 'you cannot deactivate yourself; ask another admin', '不能停用自己，请让其他管理员操作');
      if (input.roles && me.roles.includes('admin') && !input.roles.includes('admin')) issues.add('roles', 'you cannot remove your own admin role; ask another admin', '不能去掉自己的管理员角色，请让其他管理员操作');
    }
    issues.throwIfAny();

    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.department !== undefined) changes.department = input.department;
    if (managerId !== undefined) changes.manager_id = managerId;
    if (input.roles !== undefined) changes.roles = [...new Set(input.roles)];
    if (scope !== undefined) changes.warehouse_scope = scope;
    if (input.active !== undefined) changes.active = input.active;
    await tx`update employees set ${tx(changes)} where id = ${me.id}`;
  });
  return getEmployee(db, actor, code);
}

const binding = platformId.nullable().optional().describe('The platform user id; null removes the binding');
export const identitiesInputSchema = z
  .object({ dingtalkUserId: binding, feishuOpenId: binding, feishuUnionId: binding, wecomUserId: binding, wechatyId: binding })
  .strict()
  .refine((v) => PLATFORM_IDS.some((f) => v[f] !== undefined), 'name at least one of dingtalkUserId, feishuOpenId, feishuUnionId, wecomUserId, wechatyId');

/**
 * Binds (or with null unbinds) an employee's chat identities: from then on a
 * message from that platform user acts as this employee. An identity already
 * bound to someone else is refused, naming it.
 */
export async function bindIdentities(db: Database, actor: Actor, code: string, raw: unknown): Promise<EmployeeView> {
  requireScope(actor, 'master:write');
  const input = parseInput(identitiesInputSchema, raw);
  const id = await employeeId(db, actor.companyId, code);
  for (const field of PLATFORM_IDS) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    const [taken] = await db.orm
      .select({ code: employees.code })
      .from(employees)
      .where(and(eq(employees.companyId, actor.companyId), eq(employees[field], value)));
    if (taken && taken.code !== code) throw new DuplicateError('employee', `${field}=${value} (${taken.code})`);
  }
  const changes = Object.fromEntries(PLATFORM_IDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f] ?? null]));
  try {
    await db.orm.update(employees).set(changes).where(eq(employees.id, id));
  } catch (err) {
    // Someone bound the same identity between the check and the update.
    if ((err as { code?: string }).code === '23505') throw new DuplicateError('employee', Object.entries(changes).map(([f, v]) => `${f}=${v}`).join(', '));
    throw err;
  }
  return getEmployee(db, actor, code);
}

async function employeeId(db: Database, companyId: number, code: string): Promise<number> {
  const [row] = await db.orm
    .select({ id: employees.id })
    .from(employees)
    .where(and(eq(employees.companyId, companyId), eq(employees.code, code)));
  if (!row) throw new NotFoundError('employee', code);
  return row.id;
}

/** Warehouse ids in the order given, duplicates dropped; an unknown code is refused rather than silently narrowing the scope. */
async function warehouseIds(db: Database, companyId: number, codes: readonly string[]): Promise<number[]> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await db.orm
    .select({ id: warehouses.id, code: warehouses.code })
    .from(warehouses)
    .where(and(eq(warehouses.companyId, companyId), inArray(warehouses.code, unique)));
  const idOf = new Map(rows.map((r) => [r.code, r.id]));
  return unique.map((code) => {
    const id = idOf.get(code);
    if (id === undefined) throw new NotFoundError('warehouse', code);
    return id;
  });
}

async function duplicateOf(db: Database, companyId: number, input: EmployeeInput): Promise<DuplicateError> {
  const [existing] = await db.orm
    .select({ id: employees.id })
    .from(employees)
    .where(and(eq(employees.companyId, companyId), eq(employees.code, input.code)));
  if (existing) return new DuplicateError('employee', input.code);
  for (const field of PLATFORM_IDS) {
    const value = input[field];
    if (value === undefined) continue;
    const [taken] = await db.orm
      .select({ code: employees.code })
      .from(employees)
      .where(and(eq(employees.companyId, companyId), eq(employees[field], value)));
    if (taken) return new DuplicateError('employee', `${field}=${value}`);
  }
  // The clashing row was deleted between our insert and this look-up: still a clash from the caller's view.
  return new DuplicateError('employee', input.code);
}
