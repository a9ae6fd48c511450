import { boolean, index, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './columns.ts';
import { companies } from './companies.ts';

/**
 * People who ask, request and approve. One identity per platform; roles and
 * warehouse scope decide what they may see and do. `warehouseScope` null = all.
 */
export const employees = pgTable(
  'employees',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    department: text('department'),
    managerId: ref('manager_id'),
    roles: text('roles').array().notNull().default([]),
    warehouseScope: ref('warehouse_scope').array(),
    dingtalkUserId: text('dingtalk_user_id'),
    feishuOpenId: text('feishu_open_id'),
    feishuUnionId: text('feishu_union_id'),
    wecomUserId: text('wecom_user_id'),
    /** The contact id the company's Wechaty puppet reports for this person. */
    wechatyId: text('wechaty_id'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    unique('employees_company_code_uq').on(t.companyId, t.code),
    unique('employees_dingtalk_uq').on(t.companyId, t.dingtalkUserId),
    unique('employees_feishu_open_uq').on(t.companyId, t.feishuOpenId),
    unique('employees_feishu_union_uq').on(t.companyId, t.feishuUnionId),
    unique('employees_wecom_uq').on(t.companyId, t.wecomUserId),
    unique('employees_wechaty_uq').on(t.companyId, t.wechatyId),
    index('employees_manager_idx').on(t.managerId),
  ],
);
