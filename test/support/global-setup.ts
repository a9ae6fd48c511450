import { chmod, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { connectDatabase } from '../../db/client.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { buildMiniapp } from '../../miniapp/build.ts';
import { startTemporalDevServer } from '../../workflows/runtime/dev-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    /** `host:port` of the run's Temporal dev server (namespace `default`, in memory). */
    temporalAddress: string;
  }
}

/**
 * Servers shared by the whole run, started side by side:
 *
 * - One PostgreSQL: the server at DATABASE_URL when set, otherwise an embedded
 *   one in a temporary directory. Migrations run once into a template database;
 *   every test file then gets a fresh copy of it.
 * - One Temporal dev server (in memory); test files share it, each on task
 *   queues of its own (see test/support/temporal.ts).
 */
export default async function setup(project: TestProject) {
  // The mini-app's production build, as `npm start` serves it (skipped when its sources did not change).
  await buildMiniapp();
  const [pg, temporal] = await Promise.allSettled([setupPostgres(), startTemporalDevServer()]);
  if (pg.status === 'rejected' || temporal.status === 'rejected') {
    // Do not leave the one that did start behind.
    await Promise.all([
      pg.status === 'fulfilled' ? pg.value.stop() : undefined,
      temporal.status === 'fulfilled' ? temporal.value.stop() : undefined,
    ]);
    throw pg.status === 'rejected' ? pg.reason : (temporal as PromiseRejectedResult).reason;
  }
  project.provide('pgAdminUrl', pg.value.adminUrl);
  project.provide('pgTemplate', pg.value.template);
  project.provide('temporalAddress', temporal.value.address);

  return async () => {
    await Promise.all([temporal.value.stop(), pg.value.stop()]);
  };
}

async function setupPostgres(): Promise<{ adminUrl: string; template: string; stop(): Promise<void> }> {
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'stockpilot-test-pg-'));
    await chmod(dir, 0o755); // the server runs as the postgres user when we are root
    embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), persistent: false });
    adminUrl = embedded.url;
  }
  const template = `sp_template_${process.pid}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${template}`);
  await admin.unsafe(`create database ${template}`);
  const db = connectDatabase(withDatabase(adminUrl, template), { max: 1 });
  await migrateDatabase(db);
  await db.close();

  const stop = async () => {
    const leftovers = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`sp_t_${process.pid}_%`} or datname = ${template}`;
    for (const { datname } of leftovers) await admin.unsafe(`drop database if exists ${datname} with (force)`);
    await admin.end();
    await embedded?.stop();
  };
  return { adminUrl, template, stop };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
