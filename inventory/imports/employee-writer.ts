import type { Database, Sql } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import { DuplicateError, NotFoundError } from '../errors.ts';
import type { EmployeeInput } from '../master/employees.ts';
import { chunks, existingCodes } from './codes.ts';
import { PLATFORM_ID_KEYS, type EmployeeFacts } from './employee-rows.ts';
import { breathe, type Progress } from './kind.ts';

const CHUNK = 2000;
const COLUMN = { dingtalkUserId: 'dingtalk_user_id', feishuOpenId: 'feishu_open_id', feishuUnionId: 'feishu_union_id', wecomUserId: 'wecom_user_id', wechatyId: 'wechaty_id' } as const;

/** Loads what checkEmployees needs. */
export async function employeeFacts(sql: Sql, companyId: number, rows: readonly EmployeeInput[]): Promise<EmployeeFacts> {
  const codes = rows.flatMap((r) => [r.code, ...(r.manager === undefined ? [] : [r.manager])]);
  const [existing, warehouses, ...taken] = await Promise.all([
    existingCodes(sql, 'employees', companyId, codes),
    existingCodes(sql, 'warehouses', companyId, rows.flatMap((r) => r.warehouses ?? [])),
    ...PLATFORM_ID_KEYS.map(async (field) => {
      const ids = [...new Set(rows.flatMap((r) => r[field] ?? []))];
      if (ids.length === 0) return new Set<string>();
      const found = await sql<{ v: string }[]>`
        select ${sql(COLUMN[field])} as v from employees
        where company_id = ${companyId} and ${sql(COLUMN[field])} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
      return new Set(found.map((r) => r.v));
    }),
  ]);
  const at = (i: number) => taken[i] ?? new Set<string>();
  const takenIds = { dingtalkUserId: at(0), feishuOpenId: at(1), feishuUnionId: at(2), wecomUserId: at(3), wechatyId: at(4) };
  return { existingCodes: existing, warehouses, takenIds };
}

/**
 * Inserts the employees as createEmployee would, then links managers by code
 * (a manager may be a row of the same file), all in one transaction. A code or
 * identity taken since the preview refuses the whole import.
 */
export async function writeEmployees(db: Database, actor: Actor, rows: readonly EmployeeInput[], progress: Progress): Promise<void> {
  await db.sql.begin(async (tx) => {
    const sql = tx as unknown as Sql;
    const whCodes = [...new Set(rows.flatMap((r) => r.warehouses ?? []))];
    const whIds = new Map<string, number>();
    if (whCodes.length > 0) {
      const found = await sql<{ id: number; code: string }[]>`
        select id, code from warehouses where company_id = ${actor.companyId} and code in (select jsonb_array_elements_text(${JSON.stringify(whCodes)}::jsonb))`;
      for (const w of found) whIds.set(w.code, w.id);
      const gone = whCodes.find((c) => !whIds.has(c));
      if (gone) throw new NotFoundError('warehouse', gone);
    }
    let done = 0;
    for (const chunk of chunks(rows, CHUNK)) {
      const records = chunk.map((e) => ({
        code: e.code,
        name: e.name,
        department: e.department ?? null,
        roles: e.roles ?? [],
        // Duplicates dropped, order kept, as createEmployee does.
        scope: e.warehouses === undefined ? null : [...new Set(e.warehouses)].map((c) => whIds.get(c)),
        ...Object.fromEntries(PLATFORM_ID_KEYS.map((k) => [k, e[k] ?? null])),
      }));
      const inserted = await sql<{ code: string }[]>`
        insert into employees (company_id, code, name, department, roles, warehouse_scope,
                               dingtalk_user_id, feishu_open_id, feishu_union_id, wecom_user_id, wechaty_id)
        select ${actor.companyId}, r.code, r.name, r.department,
               array(select jsonb_array_elements_text(r.roles)),
               case when r.scope is null or jsonb_typeof(r.scope) = 'null' then null
                    else array(select (jsonb_array_elements_text(r.scope))::bigint) end,
               r."dingtalkUserId", r."feishuOpenId", r."feishuUnionId", r."wecomUserId", r."wechatyId"
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
          code text, name text, department text, roles jsonb, scope jsonb,
          "dingtalkUserId" text, "feishuOpenId" text, "feishuUnionId" text, "wecomUserId" text, "wechatyId" text)
        on conflict do nothing
        returning code`;
      if (inserted.length < chunk.length) {
        const got = new Set(inserted.map((r) => r.code));
        throw new DuplicateError('employee', chunk.find((r) => !got.has(r.code))?.code ?? '?');
      }
      done += chunk.length;
      progress(done);
      await breathe();
    }
    const links = rows.flatMap((e) => (e.manager === undefined ? [] : [{ code: e.code, manager: e.manager }]));
    for (const chunk of chunks(links, CHUNK)) {
      const linked = await sql<{ code: string }[]>`
        update employees e set manager_id = m.id
        from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(code text, manager text)
        join employees m on m.company_id = ${actor.companyId} and m.code = x.manager
        where e.company_id = ${actor.companyId} and e.code = x.code
        returning e.code`;
      if (linked.length < chunk.length) {
        const got = new Set(linked.map((r) => r.code));
        throw new NotFoundError('employee', chunk.find((l) => !got.has(l.code))?.manager ?? '?');
      }
    }
  });
}
