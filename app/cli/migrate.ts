import { runCli } from './run-cli.ts';

// Opening the database migrates it; this command only reports that it did.
await runCli(async () => {
  console.log('migrations applied');
  return 0;
});
