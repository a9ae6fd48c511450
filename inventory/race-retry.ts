import { ConcurrentUpdateError } from './errors.ts';

/** PostgreSQL error fields we read (postgres.js PostgresError). */
interface PgError {
  code?: string;
  constraint_name?: string;
  message?: string;
}

const RACE_ASSERTS = new Set(['SOURCE_CHANGED', 'STOCK_CHANGED', 'KEY_TAKEN']);

/**
 * True when the database refused a write because another writer got there
 * first: a balance CHECK (stock taken meanwhile), an optimistic version guard,
 * a deadlock or a serialization failure. Planning again on fresh data is right.
 */
export function isRaceError(err: unknown): boolean {
  const e = err as PgError;
  if (e?.code === '23514' && e.constraint_name?.startsWith('stock_balances_')) return true;
  if (e?.code === 'SP409' && RACE_ASSERTS.has(e.message ?? '')) return true;
  return e?.code === '40P01' || e?.code === '40001';
}

const MAX_ATTEMPTS = 12;

/** Runs plan-and-write again while the database reports a race; a few ms of jitter spreads the retries. */
export async function withRaceRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRaceError(err)) throw err;
      if (n >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** n)));
    }
  }
}
