import { seedDemo } from '../seed/seed-demo.ts';
import { runCli } from './run-cli.ts';

await runCli(async ({ db }) => {
  const started = Date.now();
  const { seeded } = await seedDemo(db);
  console.log(seeded ? `demo company DEMO seeded in ${Date.now() - started} ms` : 'demo company DEMO already present; nothing to do');
  return 0;
});
