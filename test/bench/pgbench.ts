import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchConfig } from './config.ts';
import { log } from './log.ts';
import { adminClient, type BenchServer } from './server.ts';
import { cpuMeter, type CpuUsage } from './stats.ts';

export interface PgbenchRun {
  command: string;
  tps: number;
  latency_avg_ms: number | null;
  transactions: number | null;
  failed: number | null;
  cpu: CpuUsage;
}

export interface PgbenchResults {
  version: string;
  database: string;
  scale: number;
  simple_update: PgbenchRun;
  hot_row_c8: PgbenchRun;
  hot_row_c64: PgbenchRun;
}

export const PGBENCH_DATABASE = 'stockpilot_pgbench';

const HOT_SCRIPT = 'UPDATE hot SET v = v - 1 WHERE id = 1 AND v >= 1;\n';

function pgbenchBinary(): string {
  const bin = process.env.PGBENCH ?? 'pgbench';
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`pgbench not found (${bin}). Install it with: apt-get install -y postgresql-client (or set PGBENCH=/path/to/pgbench)`);
  }
  return bin;
}

/** libpq takes the password from the environment, so it never shows up in a process listing. */
function libpqTarget(url: string): { uri: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { uri: u.toString(), env: { ...process.env, PGPASSWORD: password, PGAPPNAME: 'pgbench' } };
}

function run(bin: string, args: string[], url: string): Promise<string> {
  const { uri, env } = libpqTarget(url);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args, uri], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench ${args.join(' ')} exited with ${code}:\n${out}`))));
  });
}

function parse(command: string, out: string, cpu: CpuUsage): PgbenchRun {
  const num = (re: RegExp): number | null => {
    const m = re.exec(out);
    return m?.[1] === undefined ? null : Number(m[1]);
  };
  const tps = num(/tps = ([\d.]+) \(without initial connection time\)/);
  if (tps === null) throw new Error(`no tps line in pgbench output:\n${out}`);
  return {
    command,
    tps: Math.round(tps * 10) / 10,
    latency_avg_ms: num(/latency average = ([\d.]+) ms/),
    transactions: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/),
    cpu,
  };
}

async function timed(bin: string, args: string[], url: string, label: string): Promise<PgbenchRun> {
  const admin = adminClient(url);
  await admin.unsafe('checkpoint').catch(() => undefined); // every timed phase starts right after a checkpoint
  await admin.end();
  const command = `pgbench ${args.join(' ')}`;
  log(`${label}: ${command}`);
  const stop = cpuMeter();
  const out = await run(bin, args, url);
  const r = parse(command, out, stop());
  log(`${label}: ${r.tps} tps (latency avg ${r.latency_avg_ms} ms)`);
  return r;
}

/** The pgbench database of a run: the yardstick's runs, and the load the query floor runs beside. */
export interface Pgbench {
  /** The calibration runs, each after a checkpoint. */
  calibrate(): Promise<PgbenchResults>;
  /** `pgbench -N` with the calibration's clients for `seconds`: a write load that is not ours. */
  simpleUpdateLoad(seconds: number): Promise<PgbenchRun>;
  drop(): Promise<void>;
}

/** Creates and fills the pgbench database on the bench's server; drop() it when the run ends. */
export async function openPgbench(server: BenchServer, cfg: BenchConfig): Promise<Pgbench> {
  const bin = pgbenchBinary();
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const drop = async (): Promise<void> => {
    const admin = adminClient(server.adminUrl);
    await admin.unsafe(`drop database if exists ${PGBENCH_DATABASE} with (force)`).catch(() => undefined);
    await admin.end();
  };
  await drop();
  const admin = adminClient(server.adminUrl);
  await admin.unsafe(`create database ${PGBENCH_DATABASE}`);
  await admin.end();
  const url = server.urlFor(PGBENCH_DATABASE);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'stockpilot-pgbench-'));
  const { scale, simpleSeconds, hotSeconds, clients } = cfg.pgbench;
  const script = path.join(tmp, 'hot-row.sql');
  try {
    log(`pgbench -i -s ${scale}`);
    await run(bin, ['-i', '-q', '-s', String(scale)], url);
    const db = adminClient(url);
    await db.unsafe('create table hot (id int primary key, v bigint not null)');
    await db.unsafe('insert into hot values (1, 1000000000000000)');
    await db.unsafe('vacuum analyze hot');
    await db.end();
    await writeFile(script, HOT_SCRIPT);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    await drop();
    throw err;
  }
  const simpleUpdate = (seconds: number, label: string) =>
    timed(bin, ['-N', '-c', String(clients), '-j', '2', '-T', String(seconds)], url, label);
  return {
    async calibrate() {
      const simple = await simpleUpdate(simpleSeconds, 'pgbench simple-update');
      const hot8 = await timed(bin, ['-n', '-f', script, '-c', '8', '-j', '2', '-T', String(hotSeconds)], url, 'pgbench hot row c8');
      const hot64 = await timed(bin, ['-n', '-f', script, '-c', '64', '-j', '2', '-T', String(hotSeconds)], url, 'pgbench hot row c64');
      return { version, database: PGBENCH_DATABASE, scale, simple_update: simple, hot_row_c8: hot8, hot_row_c64: hot64 };
    },
    simpleUpdateLoad: (seconds) => simpleUpdate(seconds, 'pgbench simple-update as the load'),
    async drop() {
      await rm(tmp, { recursive: true, force: true });
      await drop();
    },
  };
}
