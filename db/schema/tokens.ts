import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, ref } from './columns.ts';
import { companies } from './companies.ts';
import { employees } from './employees.ts';

/** Integration API tokens. Only the SHA-256 of a token is stored. */
export const apiTokens = pgTable('api_tokens', {
  id: id(),
  companyId: ref('company_id').notNull().references(() => companies.id),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  scopes: text('scopes').array().notNull(),
  /** When set, the token acts as this employee (approvals, audit). */
  employeeId: ref('employee_id').references(() => employees.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  createdAt: createdAt(),
});
