import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Sql = postgres.Sql;

/**
 * The database handle passed to every verb. `sql` (postgres.js) runs the
 * hand-written stock statements; `orm` (drizzle) serves plain master-data CRUD.
 */
export interface Database {
  sql: Sql;
  orm: ReturnType<typeof drizzle<typeof schema>>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  max?: number;
  /** Statement and lock time-outs protect the API from a stuck transaction. */
  statementTimeoutMs?: number;
}

/**
 * drizzle installs pass-through parsers for dates on the shared client, so raw
 * queries see timestamps as text ("2026-11-24 08:30:00.123+00", UTC session),
 * and Date and JSON parameters must be passed as text (ISO strings, JSON.stringify(…)::jsonb).
 */
export const isoTime = (value: string | Date): string => new Date(value).toISOString();

export function connectDatabase(url: string, options: DatabaseOptions = {}): Database {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: {
      application_name: 'stockpilot',
      TimeZone: 'UTC',
      statement_timeout: options.statementTimeoutMs ?? 30_000,
      lock_timeout: 10_000,
    },
    types: {
      // int8 ids and counts come back as numbers (all ours stay below 2^53).
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
  const orm = drizzle(sql, { schema });
  return { sql, orm, close: () => sql.end({ timeout: 5 }) };
}

/**
 * Runs long report statements planned for their actual arguments.
 * postgres.js prepares every statement, and after a few runs PostgreSQL may
 * switch to a generic plan that cannot see which days or which warehouse are
 * asked for: over millions of roll-up rows such a plan was 20× slower. Planning
 * costs a millisecond; these statements run for hundreds.
 */
export function withCustomPlans<T>(db: Database, work: (sql: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return db.sql.begin(async (tx) => {
    await tx`set local plan_cache_mode = force_custom_plan`;
    return work(tx);
  }) as Promise<T>;
}
