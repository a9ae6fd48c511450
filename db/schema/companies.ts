import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.ts';

/** A tenant. Every business row carries its company id; every verb is scoped to one. */
export const companies = pgTable('companies', {
  id: id(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  locale: text('locale').notNull().default('zh-CN'),
  createdAt: createdAt(),
});
