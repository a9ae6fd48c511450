import type { Locale } from '../errors.ts';
import { employeeInputSchema, type EmployeeInput } from '../master/employees.ts';
import { ROLES } from '../roles.ts';
import { optional, splitList } from './cells.ts';
import type { Column } from './columns.ts';
import { parseWith, repeats, type Cells, type ParsedRow, type RowProblem, type RowResult } from './kind.ts';
import { say, WHAT } from './messages.ts';

const note = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** The chat identities: each unique within the company. */
export const PLATFORM_ID_KEYS = ['dingtalkUserId', 'feishuOpenId', 'feishuUnionId', 'wecomUserId', 'wechatyId'] as const;

/** The employees sheet: the fields of employeeInputSchema. */
export const EMPLOYEE_COLUMNS = [
  { key: 'code', zh: '工号', en: 'code', required: true, example: 'E1001', note: note('唯一；字母、数字和 _ . -', 'Unique; letters, digits and _ . -') },
  { key: 'name', zh: '姓名', en: 'name', required: true, example: '张三', note: note('最多 64 字', 'Up to 64 characters') },
  { key: 'department', zh: '部门', en: 'department', example: '仓储部', note: note('可空', 'Optional') },
  { key: 'manager', zh: '上级工号', en: 'manager code', example: '', note: note('已有员工或本文件中员工的工号，可空', 'Code of an existing employee or of one in this file; optional') },
  { key: 'roles', zh: '角色', en: 'roles', example: 'warehouse_keeper', note: note(`多个用逗号分隔，可选：${ROLES.join(', ')}`, `Comma-separated, from: ${ROLES.join(', ')}`) },
  { key: 'warehouses', zh: '仓库范围', en: 'warehouse scope', example: 'SH', note: note('仓库编码，多个用逗号分隔；留空 = 所有仓库', 'Warehouse codes, comma-separated; empty = every warehouse') },
  { key: 'dingtalkUserId', zh: '钉钉用户ID', en: 'DingTalk user id', example: '', note: note('可空；公司内唯一', 'Optional; unique in the company') },
  { key: 'feishuOpenId', zh: '飞书 open_id', en: 'Feishu open_id', example: '', note: note('可空；公司内唯一', 'Optional; unique in the company') },
  { key: 'feishuUnionId', zh: '飞书 union_id', en: 'Feishu union_id', example: '', note: note('可空；公司内唯一', 'Optional; unique in the company') },
  { key: 'wecomUserId', zh: '企业微信用户ID', en: 'WeCom user id', example: '', note: note('可空；公司内唯一', 'Optional; unique in the company') },
  { key: 'wechatyId', zh: '微信ID', en: 'Wechaty id', example: '', note: note('可空；公司内唯一', 'Optional; unique in the company') },
] as const satisfies readonly Column[];

/** One row → the input createEmployee takes, checked by its schema. */
export function parseEmployeeRow(cells: Cells, locale: Locale): RowResult<EmployeeInput> {
  const list = (k: string) => {
    const v = optional(cells[k]);
    return v === undefined ? undefined : splitList(v);
  };
  const input = {
    code: optional(cells.code),
    name: optional(cells.name),
    department: optional(cells.department),
    manager: optional(cells.manager),
    roles: list('roles'),
    warehouses: list('warehouses'),
    ...Object.fromEntries(PLATFORM_ID_KEYS.map((k) => [k, optional(cells[k])])),
  };
  return parseWith(employeeInputSchema, input, locale, (field) => field);
}

export interface EmployeeFacts {
  existingCodes: ReadonlySet<string>;
  warehouses: ReadonlySet<string>;
  /** Platform ids already bound, per field. */
  takenIds: Readonly<Record<(typeof PLATFORM_ID_KEYS)[number], ReadonlySet<string>>>;
}

/**
 * Codes and chat identities repeated in the file or already taken; managers
 * that are neither employees nor in the file; unknown roles and warehouses.
 */
export function checkEmployees(rows: readonly ParsedRow<EmployeeInput>[], facts: EmployeeFacts, locale: Locale): RowProblem[] {
  const problems: RowProblem[] = [];
  const dup = (key: string) => (d: { row: number; value: string; first: number }) =>
    problems.push({ row: d.row, key, message: say(locale, 'duplicateInFile', { value: d.value, row: d.first }) });
  repeats(rows, (v) => v.code).forEach(dup('code'));
  for (const field of PLATFORM_ID_KEYS) repeats(rows, (v) => v[field]).forEach(dup(field));

  const inFile = new Set(rows.map((r) => r.value.code));
  const roles: readonly string[] = ROLES;
  for (const { row, value } of rows) {
    if (facts.existingCodes.has(value.code)) problems.push({ row, key: 'code', message: say(locale, 'exists', { value: value.code }) });
    if (value.manager !== undefined) {
      if (value.manager === value.code) problems.push({ row, key: 'manager', message: say(locale, 'ownManager') });
      else if (!inFile.has(value.manager) && !facts.existingCodes.has(value.manager)) {
        problems.push({ row, key: 'manager', message: say(locale, 'unknown', { ...WHAT.employee, value: value.manager }) });
      }
    }
    for (const role of value.roles ?? []) {
      if (!roles.includes(role)) problems.push({ row, key: 'roles', message: say(locale, 'unknownRole', { value: role }) });
    }
    for (const code of value.warehouses ?? []) {
      if (!facts.warehouses.has(code)) problems.push({ row, key: 'warehouses', message: say(locale, 'unknown', { ...WHAT.warehouse, value: code }) });
    }
    for (const field of PLATFORM_ID_KEYS) {
      const id = value[field];
      if (id !== undefined && facts.takenIds[field].has(id)) problems.push({ row, key: field, message: say(locale, 'exists', { value: id }) });
    }
  }
  return problems;
}
