import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // 2 cores: two files at a time, each on its own database.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A poll waits only until its condition holds; on a loaded 2-core CI machine a browser frame or a smooth
    // scroll can take longer than the 1 s default.
    expect: { poll: { timeout: 5_000 } },
  },
});
