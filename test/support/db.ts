import postgres from 'postgres';
import { afterAll, inject } from 'vitest';
import { connectDatabase, type Database } from '../../db/client.ts';

let counter = 0;
const cleanups: (() => Promise<void>)[] = [];
// Registered when the file loads: vitest ignores an afterAll registered inside a beforeAll.
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * A database of its own for the calling test file, copied from the migrated
 * template (fast) and dropped after the file's tests.
 */
export async function freshDatabase(options: { max?: number } = {}): Promise<Database & { url: string }> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `sp_t_${template.split('_').pop()}_${process.pid}_${++counter}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${template}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = connectDatabase(url.toString(), { max: options.max ?? 10 });
  cleanups.push(async () => {
    await db.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { ...db, url: url.toString() };
}
