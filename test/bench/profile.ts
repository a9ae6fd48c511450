import postgres from 'postgres';

/**
 * --profile: where the server's time goes. Samples pg_stat_activity (what each
 * active backend is waiting on; no wait = on CPU) and reads
 * pg_stat_statements, when the server has it preloaded.
 */
export interface WaitProfile {
  samples: number;
  /** Average number of active backends seen per sample. */
  avg_active: number;
  /** wait_event_type:wait_event (or CPU) → share of active backend samples, %. */
  share_pct: Record<string, number>;
}

export interface StatementStat {
  query: string;
  calls: number;
  total_ms: number;
  mean_ms: number;
  /** Planning (pg_stat_statements.track_planning): how often the statement was planned, and the mean planning time. */
  plans: number;
  mean_plan_ms: number;
  rows: number;
  share_pct: number;
}

export class WaitSampler {
  private readonly sql: postgres.Sql;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private samples = 0;
  private active = 0;
  private readonly counts = new Map<string, number>();

  constructor(
    url: string,
    private readonly database: string,
    private readonly intervalMs = 50,
  ) {
    this.sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'stockpilot-bench-sampler' } });
  }

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const rows = await this.sql<{ w: string; n: number }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') as w, count(*)::int as n
        from pg_stat_activity
        where datname = ${this.database} and backend_type = 'client backend' and state = 'active'
          and application_name <> 'stockpilot-bench-sampler'
        group by 1`;
      this.samples++;
      for (const r of rows) {
        this.active += r.n;
        this.counts.set(r.w, (this.counts.get(r.w) ?? 0) + r.n);
      }
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<WaitProfile> {
    if (this.timer) clearInterval(this.timer);
    await this.sql.end({ timeout: 5 });
    const share: Record<string, number> = {};
    for (const [k, v] of [...this.counts].sort((a, b) => b[1] - a[1])) share[k] = Math.round((1000 * v) / Math.max(1, this.active)) / 10;
    return { samples: this.samples, avg_active: Math.round((100 * this.active) / Math.max(1, this.samples)) / 100, share_pct: share };
  }
}

export async function resetStatements(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`create extension if not exists pg_stat_statements`;
    await sql`select pg_stat_statements_reset()`;
  } finally {
    await sql.end();
  }
}

export async function topStatements(url: string, limit = 12): Promise<StatementStat[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<
      { query: string; calls: number; total_ms: number; mean_ms: number; plans: number; mean_plan_ms: number; rows: number; share: number }[]
    >`
      select regexp_replace(query, '\\s+', ' ', 'g') as query, calls::float8 as calls, total_exec_time as total_ms,
             mean_exec_time as mean_ms, plans::float8 as plans, mean_plan_time as mean_plan_ms, rows::float8 as rows,
             100 * total_exec_time / nullif(sum(total_exec_time) over (), 0) as share
      from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database())
      order by total_exec_time desc limit ${limit}`;
    return rows.map((r) => ({
      query: r.query.length > 240 ? `${r.query.slice(0, 240)}…` : r.query,
      calls: r.calls,
      total_ms: Math.round(r.total_ms),
      mean_ms: Math.round(r.mean_ms * 1000) / 1000,
      plans: r.plans,
      mean_plan_ms: Math.round(r.mean_plan_ms * 1000) / 1000,
      rows: r.rows,
      share_pct: Math.round((r.share ?? 0) * 10) / 10,
    }));
  } finally {
    await sql.end();
  }
}

export interface TableWrites {
  inserts: number;
  updates: number;
  /** Updates that stayed on the same page without new index entries (HOT). */
  hot_updates: number;
}

/** Cumulative write counters of the stock tables (pg_stat_user_tables); diff two readings. */
export async function tableWrites(url: string): Promise<Record<string, TableWrites>> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ relname: string; ins: number; upd: number; hot: number }[]>`
      select relname, n_tup_ins::float8 as ins, n_tup_upd::float8 as upd, n_tup_hot_upd::float8 as hot
      from pg_stat_user_tables
      where relname in ('stock_balances', 'item_valuations', 'stock_ledger', 'stock_documents', 'document_lines', 'reservations', 'reservation_lines')`;
    return Object.fromEntries(rows.map((r) => [r.relname, { inserts: r.ins, updates: r.upd, hot_updates: r.hot }]));
  } finally {
    await sql.end();
  }
}

export function diffWrites(before: Record<string, TableWrites>, after: Record<string, TableWrites>): Record<string, TableWrites> {
  return Object.fromEntries(
    Object.entries(after).map(([t, a]) => {
      const b = before[t] ?? { inserts: 0, updates: 0, hot_updates: 0 };
      return [t, { inserts: a.inserts - b.inserts, updates: a.updates - b.updates, hot_updates: a.hot_updates - b.hot_updates }];
    }),
  );
}
