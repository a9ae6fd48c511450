import { openDatabase, type OpenedDatabase } from '../database.ts';
import { loadConfig } from '../env.ts';

/** Opens the configured database, runs a command, closes it, and exits with the command's code. */
export async function runCli(command: (opened: OpenedDatabase) => Promise<number>): Promise<void> {
  let opened: OpenedDatabase | undefined;
  let code = 1;
  try {
    opened = await openDatabase(loadConfig(), { log: (m) => console.error(m) });
    code = await command(opened);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
  } finally {
    await opened?.close();
  }
  process.exit(code);
}
