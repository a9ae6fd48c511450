/**
 * StockPilot benchmark: `npm run bench -- [--quick] [--json] [--fresh] [--profile]`.
 * See BENCHMARKS.md. Not a test: it measures, prints one result and exits
 * non-zero only when the bench itself failed (an unexpected error, oversold
 * stock, a ledger that does not check out), never because a target was missed.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { connectDatabase } from '../../db/client.ts';
import { systemActor } from '../../inventory/actor.ts';
import { checkLedger } from '../../inventory/check-ledger.ts';
import { postingStats } from '../../inventory/posting-batcher.ts';
import { CONFIGS, type BenchConfig, type Scale } from './config.ts';
import { ensureDataset, type Dataset } from './dataset.ts';
import { runHotReservations, type HotResults, type PhaseHooks } from './hot-reservations.ts';
import { log, routeConsoleToStderr } from './log.ts';
import { runApprovalBench } from './approvals.ts';
import { openPgbench, type PgbenchResults } from './pgbench.ts';
import { diffWrites, resetStatements, tableWrites, topStatements, WaitSampler, type StatementStat, type TableWrites, type WaitProfile } from './profile.ts';
import { runPostings, type PostingsResult } from './postings.ts';
import { besideQueries, queryLoop } from './queries.ts';
import { adminClient, configureProfiling, openServer, REPO_ROOT, type BenchServer } from './server.ts';
import { round, summarize, type LatencySummary } from './stats.ts';

const SUITES = ['ledger', 'approvals', 'chat', 'reports', 'imports', 'miniapp'] as const;
type Suite = (typeof SUITES)[number];

const USAGE = `usage: tsx test/bench/run.ts [--quick|--medium] [--json] [--fresh] [--profile] [--only=ledger,approvals]
  --quick    small dataset and short phases (< 3 minutes)
  --medium   40k items × 5 warehouses (about 1M ledger rows)
  --json     print exactly one JSON object on stdout (logs go to stderr)
  --fresh    rebuild the cached dataset
  --profile  also sample wait events and read pg_stat_statements (restarts the embedded server)
  --only     run only these suites (default: all of ${SUITES.join(', ')})`;

interface Flags {
  scale: Scale;
  json: boolean;
  fresh: boolean;
  profile: boolean;
  suites: Set<Suite>;
}

function parseFlags(argv: string[]): Flags {
  const known = new Set(['--quick', '--medium', '--json', '--fresh', '--profile']);
  const only = argv.find((a) => a.startsWith('--only='));
  const suites = only ? only.slice('--only='.length).split(',') : [...SUITES];
  const unknown = [...argv.filter((a) => !known.has(a) && a !== only), ...suites.filter((x) => !(SUITES as readonly string[]).includes(x)).map((x) => `--only=${x}`)];
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument(s): ${unknown.join(' ')}\n${USAGE}\n`);
    process.exit(2);
  }
  return {
    scale: argv.includes('--quick') ? 'quick' : argv.includes('--medium') ? 'medium' : 'full',
    json: argv.includes('--json'),
    fresh: argv.includes('--fresh'),
    profile: argv.includes('--profile'),
    suites: new Set(suites as Suite[]),
  };
}

type Target = { min: number; value: number; pass: boolean } | { max: number; value: number; pass: boolean };
const atLeast = (value: number, min: number): Target => ({ min, value, pass: Number.isFinite(value) && value >= min });
const atMost = (value: number, max: number): Target => ({ max, value, pass: Number.isFinite(value) && value <= max });

interface PhaseProfile {
  waits: WaitProfile;
  statements: StatementStat[];
  table_writes: Record<string, TableWrites>;
}

interface ProfileResults {
  postings?: PhaseProfile;
  hot_reservations_64?: PhaseProfile;
}

async function checkpoint(url: string): Promise<void> {
  const sql = adminClient(url);
  await sql.unsafe('checkpoint').catch(() => undefined); // needs pg_checkpoint on an external server; best effort
  await sql.end();
}

/** Which code was measured: the commit and whether inventory/ or db/ had uncommitted changes. */
function gitState(): { commit: string | null; dirty_paths: string[] } {
  const run = (args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const head = run(['rev-parse', '--short', 'HEAD']);
  const status = run(['status', '--porcelain', '--', 'inventory', 'db']);
  return {
    commit: head.status === 0 ? head.stdout.trim() : null,
    dirty_paths: status.status === 0 ? status.stdout.split('\n').filter(Boolean).map((l) => l.slice(3)) : [],
  };
}

function machine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    memory_gb: round(os.totalmem() / 2 ** 30, 1),
    cpu_model: cpus[0]?.model ?? 'unknown',
    /** Other work on the machine disturbs the numbers: the 1-minute load average when the run started. */
    loadavg_1m_at_start: round(os.loadavg()[0] ?? 0, 2),
  };
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags.json) routeConsoleToStderr();
  const cfg: BenchConfig = CONFIGS[flags.scale];
  const startedAt = new Date();
  const t0 = performance.now();
  const git = gitState();
  const machineAtStart = machine();
  const partial: Record<string, unknown> = { scale: cfg.scale, started_at: startedAt.toISOString(), git, node: process.version, machine: machineAtStart };
  let server: BenchServer | undefined;
  let exitCode = 0;
  try {
    server = await openServer(cfg.scale);
    partial.database = server.kind;
    const out: Record<string, unknown> = { ok: true, ...partial };
    const targets: Record<string, Target> = {};
    const dataset = flags.suites.has('ledger') || flags.suites.has('chat') || flags.suites.has('reports') ? await ensureDataset(server, cfg, { fresh: flags.fresh }) : null;
    if (dataset) {
      partial.dataset = out.dataset = { database: dataset.database, cached: !dataset.generated, generation_s: dataset.generation_s, cache_dir: server.dataDir };
    }
    if (dataset && flags.suites.has('ledger')) {
      const ledger = await ledgerSuite(server, dataset, cfg, flags, partial, startedAt, t0);
      Object.assign(targets, ledger.result.targets);
      Object.assign(out, ledger.result);
      if (ledger.failed) exitCode = 1;
    }
    if (flags.suites.has('approvals')) {
      const approvals = await runApprovalBench(server.adminUrl, cfg.approvals);
      Object.assign(out, approvals.summary);
      targets.requests_per_s = atLeast(approvals.summary.requests_per_s, 50);
      targets.click_to_answer_p95_ms = atMost(approvals.summary.click_to_answer_p95_ms, 300);
      targets.decision_to_posted_p95_ms = atMost(approvals.summary.decision_to_posted_p95_ms, 500);
      out.details = { ...(out.details as object | undefined), approvals: approvals.details };
    }
    if (dataset && flags.suites.has('chat')) {
      // As before each ledger phase: the pages the ledger suite dirtied are written now, not while replies are timed.
      await checkpoint(dataset.url);
      const db = connectDatabase(dataset.url, { max: 20 });
      try {
        // Loaded only when asked for: the chat stack is not needed by the other suites.
        const { runChatBench } = await import('./chat.ts');
        const chat = await runChatBench(db, dataset.companyId, cfg);
        const { details, ...keys } = chat;
        Object.assign(out, keys);
        targets.chat_reply_p99_ms = atMost(chat.chat_reply_p99_ms, 30);
        targets.chat_replies_per_s = atLeast(chat.chat_replies_per_s, 1000);
        out.details = { ...(out.details as object | undefined), chat: details };
      } finally {
        await db.close();
      }
    }
    if (dataset && flags.suites.has('reports')) {
      const db = connectDatabase(dataset.url, { max: 10, statementTimeoutMs: 0 });
      try {
        const { runReportBench } = await import('./reports.ts');
        const reports = await runReportBench(db, dataset.companyId);
        Object.assign(out, reports);
        // The issue's keys: at the full scale (≥ 10M ledger rows) the digest is digest_s_10m, at the medium one (≈ 1M) digest_s_1m.
        if (cfg.scale === 'full') {
          out.digest_s_10m = reports.digest_s;
          targets.digest_ratio = atMost(reports.digest_ratio, 3);
        }
        if (cfg.scale === 'medium') {
          out.digest_s_1m = reports.digest_s;
          targets.digest_s_1m = atMost(reports.digest_s, 0.3);
        }
      } finally {
        await db.close();
      }
    }
    if (flags.suites.has('imports')) {
      const { runImportBench } = await import('./imports.ts');
      const { details, ...keys } = await runImportBench(server.adminUrl);
      Object.assign(out, keys);
      targets.import_50k_rows_s = atMost(keys.import_50k_rows_s, 30);
      out.details = { ...(out.details as object | undefined), imports: details };
    }
    if (flags.suites.has('miniapp')) {
      const { runMiniappBench } = await import('./miniapp.ts');
      const { details, ...keys } = await runMiniappBench(server.adminUrl);
      Object.assign(out, keys);
      targets.first_screen_js_gzip_kb = atMost(keys.first_screen_js_gzip_kb, 200);
      targets.home_interactive_ms = atMost(keys.home_interactive_ms, 1500);
      out.details = { ...(out.details as object | undefined), miniapp: details };
    }
    emit(flags, { ...out, duration_s: round((performance.now() - t0) / 1000, 1), targets, all_targets_pass: Object.values(targets).every((t) => t.pass) });
  } catch (err) {
    exitCode = 1;
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`FAILED: ${message}`);
    emit(flags, { ok: false, error: message, ...partial, duration_s: round((performance.now() - t0) / 1000, 1) });
  } finally {
    await server?.stop().catch(() => undefined);
  }
  return exitCode;
}

/** The ledger suite (issue 2): pgbench yardstick, postings, queries, hot reservations, ledger check. */
async function ledgerSuite(
  server: BenchServer,
  dataset: Dataset,
  cfg: BenchConfig,
  flags: Flags,
  partial: Record<string, unknown>,
  startedAt: Date,
  t0: number,
): Promise<{ result: Record<string, unknown> & { targets: Record<string, Target> }; failed: boolean }> {
  const machineAtStart = partial.machine as ReturnType<typeof machine>;
  const git = partial.git;
    const profiling = await configureProfiling(server, flags.profile);

    const meta = connectDatabase(dataset.url, { max: 1, statementTimeoutMs: 0 });
    const [{ server_version: pgVersion } = { server_version: '?' }] = await meta.sql<{ server_version: string }[]>`show server_version`;
    partial.postgres = pgVersion;
    log(`PostgreSQL ${pgVersion} (${server.kind}), Node ${process.version}, ${machineAtStart.cores} cores`);

    // 1. The yardstick first, on the same server.
    const pgbenchDb = await openPgbench(server, cfg);
    const pgbench: PgbenchResults = await pgbenchDb.calibrate().catch(async (err: unknown) => {
      await pgbenchDb.drop();
      throw err;
    });
    partial.pgbench_simple_update_tps = pgbench.simple_update.tps;
    partial.pgbench_hot_row_tps_c8 = pgbench.hot_row_c8.tps;
    partial.pgbench_hot_row_tps_c64 = pgbench.hot_row_c64.tps;

    const db = connectDatabase(dataset.url, { max: cfg.postings.poolMax });
    const qdb = connectDatabase(dataset.url, { max: 1 });
    const actor = systemActor(dataset.companyId, 'bench');
    const runId = `${startedAt.getTime().toString(36)}`;
    const profile: ProfileResults = {};
    let sampler: WaitSampler | null = null;
    let writesBefore: Record<string, TableWrites> = {};
    const hooks: PhaseHooks | undefined = profiling
      ? {
          begin: async () => {
            await resetStatements(dataset.url);
            writesBefore = await tableWrites(dataset.url);
            sampler = new WaitSampler(dataset.url, dataset.database);
            sampler.start();
          },
          end: async (label) => {
            const waits = await (sampler as WaitSampler | null)?.stop();
            sampler = null;
            await new Promise((r) => setTimeout(r, 600)); // table statistics are flushed at most once per 500 ms
            const tableWritesDiff = diffWrites(writesBefore, await tableWrites(dataset.url));
            const statements = await topStatements(dataset.url);
            if (waits && (label === 'postings' || label === 'hot_reservations_64')) profile[label] = { waits, statements, table_writes: tableWritesDiff };
          },
        }
      : undefined;

    try {
      // 2. Warm the posting path (prepared statements, caches), then the idle query latency.
      const p = cfg.postings;
      await runPostings(db, actor, cfg, { seconds: p.warmupSeconds, clients: p.clients, seed: 1, keyPrefix: `${runId}-w`, label: 'postings warm-up' });
      await queryLoop(qdb, actor, cfg.items, { seed: 11, calls: cfg.queries.warmup });
      const idle: LatencySummary = summarize(await queryLoop(qdb, actor, cfg.items, { seed: 12, calls: cfg.queries.calls }));
      log(`stockOfItem idle: p50 ${idle.p50_ms} ms, p99 ${idle.p99_ms} ms (${idle.count} calls)`);

      // 3. Postings alone.
      await checkpoint(dataset.url);
      await hooks?.begin('postings');
      const postings: PostingsResult = await runPostings(db, actor, cfg, { seconds: p.seconds, clients: p.clients, seed: 2, keyPrefix: `${runId}-a`, label: 'postings' });
      await hooks?.end('postings');
      partial.postings_per_s = postings.postings_per_s;

      // 4. Postings again, with stockOfItem callers alongside: one in a worker thread, one on the main event loop.
      await checkpoint(dataset.url);
      const loaded = await besideQueries(qdb, dataset.url, actor, cfg, 21, () =>
        runPostings(db, actor, cfg, { seconds: p.loadedSeconds, clients: p.clients, seed: 3, keyPrefix: `${runId}-b`, label: 'postings + queries' }),
      );
      const { load: loadedPostings, worker: loadedWorker, main: loadedMain } = loaded;
      log(`stockOfItem under load: worker thread p50 ${loadedWorker.p50_ms} / p99 ${loadedWorker.p99_ms} ms; main loop p50 ${loadedMain.p50_ms} / p99 ${loadedMain.p99_ms} ms`);

      // 4b. The same query callers beside pgbench's write load instead of ours. Not a target: it shows
      // what this machine gives the query while something else keeps it busy, so that the figure
      // above can be read as the query's own cost or as our postings' doing.
      await checkpoint(dataset.url);
      const beside = await besideQueries(qdb, dataset.url, actor, cfg, 31, () => pgbenchDb.simpleUpdateLoad(p.loadedSeconds));
      log(`stockOfItem beside pgbench -N: worker thread p50 ${beside.worker.p50_ms} / p99 ${beside.worker.p99_ms} ms (machine ${beside.load.cpu.machine_busy_pct}% busy)`);

      // 5. One hot item.
      await checkpoint(dataset.url);
      const hot: HotResults = await runHotReservations(db, actor, cfg, runId, hooks);

      // 6. The ledger invariant over the whole database (generated + everything this run posted).
      const tc = performance.now();
      const problems = await checkLedger(meta);
      const checkS = round((performance.now() - tc) / 1000, 1);
      log(`checkLedger: ${problems.length} problem(s) in ${checkS}s`);

      const [counts] = await meta.sql<{ items: number; warehouses: number; ledger_rows: number; balance_rows: number }[]>`
        select (select count(*) from items where company_id = ${dataset.companyId})::float8 as items,
               (select count(*) from warehouses where company_id = ${dataset.companyId})::float8 as warehouses,
               (select count(*) from stock_ledger)::float8 as ledger_rows,
               (select count(*) from stock_balances)::float8 as balance_rows`;

      const oversold = Math.max(hot.oversold.from_callers, hot.oversold.from_db);
      const postingsRatio = round(postings.postings_per_s / pgbench.simple_update.tps, 3);
      const hot64 = hot.c64.reservations_per_s;
      const hot256 = hot.c256.reservations_per_s;
      const hotRatio = round(hot64 / pgbench.hot_row_c8.tps, 3);
      const hotCollapse = round(hot256 / Math.max(hot64, hot256), 3);
      // Machine time (all cores, every process) per posting and per pgbench transaction: their
      // quotient is the postings_ratio both would reach if each kept every core busy.
      const cpuMsPer = (busyPct: number | null, perS: number) => (busyPct === null || perS === 0 ? null : round((busyPct / 100) * machineAtStart.cores * 1000 / perS, 3));
      const postingsCpuMs = cpuMsPer(postings.cpu.machine_busy_pct, postings.postings_per_s);
      const pgbenchCpuMs = cpuMsPer(pgbench.simple_update.cpu.machine_busy_pct, pgbench.simple_update.tps);
      const targets = {
        postings_ratio: atLeast(postingsRatio, 1.0),
        hot_ratio: atLeast(hotRatio, 5),
        hot_collapse: atLeast(hotCollapse, 0.8),
        oversold: atMost(oversold, 0),
        query_p50_ms: atMost(idle.p50_ms, 0.5),
        query_p99_loaded_ms: atMost(loadedWorker.p99_ms, 2),
      };
      const result = {
        ok: true,
        scale: cfg.scale,
        database: server.kind,
        postgres: pgVersion,
        node: process.version,
        machine: machineAtStart,
        started_at: startedAt.toISOString(),
        git,
        duration_s: round((performance.now() - t0) / 1000, 1),
        items: counts?.items ?? 0,
        warehouses: counts?.warehouses ?? 0,
        ledger_rows: counts?.ledger_rows ?? 0,
        balance_rows: counts?.balance_rows ?? 0,
        pgbench_simple_update_tps: pgbench.simple_update.tps,
        pgbench_hot_row_tps_c8: pgbench.hot_row_c8.tps,
        pgbench_hot_row_tps_c64: pgbench.hot_row_c64.tps,
        postings_per_s: postings.postings_per_s,
        postings_ratio: postingsRatio,
        postings_cpu_ms: postingsCpuMs,
        pgbench_cpu_ms: pgbenchCpuMs,
        postings_ratio_at_full_use: postingsCpuMs && pgbenchCpuMs && round(pgbenchCpuMs / postingsCpuMs, 3),
        insufficient_stock: postings.insufficient_stock,
        hot_reservations_per_s_64: hot64,
        hot_reservations_per_s_256: hot256,
        hot_ratio: hotRatio,
        hot_collapse: hotCollapse,
        oversold,
        query_p50_ms: idle.p50_ms,
        query_p99_ms: idle.p99_ms,
        query_p99_loaded_ms: loadedWorker.p99_ms,
        query_p99_loaded_same_loop_ms: loadedMain.p99_ms,
        query_p99_beside_pgbench_ms: beside.worker.p99_ms,
        check_ledger_problems: problems.length,
        targets,
        all_targets_pass: Object.values(targets).every((t) => t.pass),
        dataset: partial.dataset,
        details: {
          config: cfg,
          pgbench,
          postings,
          postings_loaded: loadedPostings,
          queries: {
            idle,
            loaded_worker_thread: loadedWorker,
            loaded_main_loop: loadedMain,
            beside_pgbench: { pgbench: beside.load, worker_thread: beside.worker, main_loop: beside.main },
          },
          hot_reservations: hot,
          /** How postMovement's batcher grouped the run's postings (all phases). */
          posting_batcher: postingStats(db),
          check_ledger: { problems: problems.slice(0, 20), seconds: checkS },
          ...(profiling ? { profile } : {}),
        },
      };
      return { result, failed: oversold > 0 || problems.length > 0 };
    } finally {
      await db.close();
      await qdb.close();
      await meta.close();
      await pgbenchDb.drop();
    }
}

function emit(flags: Flags, result: Record<string, unknown>): void {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const targets = (result.targets ?? {}) as Record<string, Target>;
  const lines = Object.entries(result)
    .filter(([, v]) => typeof v !== 'object' || v === null)
    .map(([k, v]) => `${k.padEnd(32)} ${String(v)}${targets[k] ? `   target ${'min' in targets[k] ? `≥ ${targets[k].min}` : `≤ ${targets[k].max}`}: ${targets[k].pass ? 'PASS' : 'MISS'}` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n(--json for every detail)\n`);
}

process.exitCode = await main();
