import { pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './columns.ts';
import { companies } from './companies.ts';

const partnerColumns = () => ({
  id: id(),
  companyId: ref('company_id').notNull().references(() => companies.id),
  code: text('code').notNull(),
  name: text('name').notNull(),
  contact: text('contact'),
  phone: text('phone'),
  createdAt: createdAt(),
});

export const suppliers = pgTable('suppliers', partnerColumns(), (t) => [
  unique('suppliers_company_code_uq').on(t.companyId, t.code),
]);

export const customers = pgTable('customers', partnerColumns(), (t) => [
  unique('customers_company_code_uq').on(t.companyId, t.code),
]);
