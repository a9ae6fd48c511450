import { readdirSync, readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { APPROVAL_WORKFLOWS } from './support/approvals.ts';
import { bundleOnce } from './support/temporal.ts';

const dir = new URL('./fixtures/histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

/**
 * Histories recorded from real runs (RECORD_HISTORIES=1, see test/approvals.test.ts)
 * replayed against today's workflow code: a change that would break running
 * approvals fails here (use `patched()` for such changes).
 */
describe('approval workflow replays its recorded histories', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
  });

  it.each(files)('%s', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await bundleOnce(APPROVAL_WORKFLOWS) }, history, file);
  }, 60_000);
});
