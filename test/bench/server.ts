import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded.ts';
import type { Scale } from './config.ts';
import { DATASET_VERSION } from './config.ts';
import { log } from './log.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the embedded cluster (and so the generated dataset) is kept between runs. */
export const cacheDir = (scale: Scale): string => path.join(REPO_ROOT, 'data', 'bench-pg', `${scale}-v${DATASET_VERSION}`);

export interface BenchServer {
  kind: 'embedded' | 'external';
  /** Connection URL of a maintenance database on the server (create/drop database). */
  adminUrl: string;
  dataDir: string | null;
  urlFor(database: string): string;
  /** Embedded only: stop and start the same cluster (to load shared_preload_libraries). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A short-lived client for administrative statements. */
export function adminClient(url: string): postgres.Sql {
  return postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'stockpilot-bench-admin', statement_timeout: 0 } });
}

export async function openServer(scale: Scale): Promise<BenchServer> {
  const external = process.env.DATABASE_URL;
  if (external) {
    log(`using the external PostgreSQL at DATABASE_URL (${new URL(external).host})`);
    return {
      kind: 'external',
      adminUrl: external,
      dataDir: null,
      urlFor: (db) => withDatabase(external, db),
      restart: async () => {
        throw new Error('cannot restart an external server');
      },
      stop: async () => {},
    };
  }
  const dir = cacheDir(scale);
  // As root the server runs as user postgres: every directory above its data must be traversable.
  await mkdir(path.dirname(dir), { recursive: true });
  for (const d of [path.join(REPO_ROOT, 'data'), path.dirname(dir)]) await chmod(d, 0o755);
  log(`starting embedded PostgreSQL in ${path.relative(REPO_ROOT, dir)} (kept between runs: the dataset cache)`);
  let pg: EmbeddedDatabase = await startEmbeddedPostgres({ dir, persistent: true });
  const port = pg.port;
  return {
    kind: 'embedded',
    get adminUrl() {
      return pg.url;
    },
    dataDir: dir,
    urlFor: (db) => withDatabase(pg.url, db),
    restart: async () => {
      log('restarting embedded PostgreSQL');
      await pg.stop();
      pg = await startEmbeddedPostgres({ dir, port, persistent: true });
    },
    stop: () => pg.stop(),
  };
}

/**
 * --profile: pg_stat_statements must be preloaded, which needs a restart. On
 * runs without --profile it is unloaded again, so normal runs measure the
 * plain server.
 */
export async function configureProfiling(server: BenchServer, profile: boolean): Promise<boolean> {
  const admin = adminClient(server.adminUrl);
  try {
    const [row] = await admin<{ shared_preload_libraries: string }[]>`show shared_preload_libraries`;
    const loaded = (row?.shared_preload_libraries ?? '').includes('pg_stat_statements');
    if (server.kind === 'external') {
      if (profile && !loaded) log('--profile: pg_stat_statements is not preloaded on the external server; statement stats are skipped');
      return profile && loaded;
    }
    if (profile === loaded) return loaded;
    if (profile) {
      await admin.unsafe(`alter system set shared_preload_libraries = 'pg_stat_statements'`);
      await admin.unsafe('alter system set pg_stat_statements.track_planning = on');
    } else {
      await admin.unsafe('alter system reset shared_preload_libraries');
      await admin.unsafe('alter system reset pg_stat_statements.track_planning');
    }
  } finally {
    await admin.end();
  }
  await server.restart();
  return profile;
}
