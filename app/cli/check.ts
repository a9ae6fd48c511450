import { checkLedger } from '../../inventory/check-ledger.ts';
import { runCli } from './run-cli.ts';

/** `npm run db:check`: exits 1 and prints the offending rows when the ledger invariant is broken. */
await runCli(async ({ db }) => {
  const problems = await checkLedger(db);
  if (problems.length === 0) {
    console.log('ledger OK: every balance, reservation total and valuation equals its ledger rows');
    return 0;
  }
  console.error(`ledger check FAILED: ${problems.length} problem(s)`);
  for (const p of problems.slice(0, 200)) console.error(JSON.stringify(p));
  if (problems.length > 200) console.error(`… and ${problems.length - 200} more`);
  return 1;
});
