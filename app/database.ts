import path from 'node:path';
import { connectDatabase, type Database } from '../db/client.ts';
import { startEmbeddedPostgres } from '../db/embedded.ts';
import { migrateDatabase } from '../db/migrate.ts';
import type { Config } from './env.ts';

export interface OpenedDatabase {
  db: Database;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR/pg
 * (started, or shared with an `npm start` that already runs it). Migrated.
 */
export async function openDatabase(config: Config, opts: { log?: (m: string) => void } = {}): Promise<OpenedDatabase> {
  let url = config.DATABASE_URL;
  let stopEmbedded = async () => {};
  if (!url) {
    opts.log?.(`starting embedded PostgreSQL in ${path.join(config.DATA_DIR, 'pg')} …`);
    const pg = await startEmbeddedPostgres({ dir: path.join(config.DATA_DIR, 'pg') });
    url = pg.url;
    stopEmbedded = pg.stop;
  }
  const db = connectDatabase(url, { max: config.DB_POOL_MAX });
  try {
    await migrateDatabase(db);
  } catch (err) {
    await db.close();
    await stopEmbedded();
    throw err;
  }
  return {
    db,
    url,
    embedded: !config.DATABASE_URL,
    close: async () => {
      await db.close();
      await stopEmbedded();
    },
  };
}
