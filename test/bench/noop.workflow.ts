import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** The least an approval decision can be: an Update with a validator whose handler only records it. */
export const noopDecision = defineUpdate<string, [string]>('noopDecision');

/**
 * The approval bench's yardstick: waits for one decision and ends, with no
 * projection and no posting — what Temporal itself costs per decision.
 */
export async function noopApproval(): Promise<string> {
  let decided: string | null = null;
  setHandler(
    noopDecision,
    (decision) => {
      decided = decision;
      return decision;
    },
    {
      validator: (decision) => {
        if (decision !== 'approve' && decision !== 'reject') throw new Error('unknown decision');
      },
    },
  );
  await condition(() => decided !== null);
  return decided ?? '';
}
