import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  pingsQuery,
  pingUpdate,
  pingWorkflow,
  sleepADayWorkflow,
} from './fixtures/workflows/ping.workflow.ts';
import { bundleOnce, createTimeSkippingEnv, temporalClient, uniqueTaskQueue, type SharedTemporal } from './support/temporal.ts';

const workflowsPath = new URL('./fixtures/workflows/ping.workflow.ts', import.meta.url);
const HOUR = 3_600_000;

describe('the shared Temporal dev server', () => {
  let temporal: SharedTemporal;
  beforeAll(async () => {
    temporal = await temporalClient();
  });

  it('runs a workflow that answers an update, refusing invalid ones in the validator', async () => {
    const { client, nativeConnection, namespace } = temporal;
    const taskQueue = uniqueTaskQueue('ping');
    const worker = await Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowBundle: await bundleOnce(workflowsPath) });
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(pingWorkflow, {
        taskQueue,
        workflowId: `ping-${taskQueue}`,
        args: [{ expect: 2, timeoutMs: HOUR }],
      });

      expect(await handle.executeUpdate(pingUpdate, { args: ['hello'], updateId: 'click-1' })).toBe('pong:hello');
      // The same update id answers the first result and changes nothing.
      expect(await handle.executeUpdate(pingUpdate, { args: ['hello again'], updateId: 'click-1' })).toBe('pong:hello');
      await expect(handle.executeUpdate(pingUpdate, { args: ['  '] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(handle.executeUpdate(pingUpdate, { args: ['boom'] })).rejects.toThrow(WorkflowUpdateFailedError);
      expect(await handle.query(pingsQuery)).toEqual(['hello']);

      expect(await handle.executeUpdate(pingUpdate, { args: ['world'] })).toBe('pong:world');
      expect(await handle.result()).toEqual({ pings: ['hello', 'world'], timedOut: false });
    });
  });

  it('fires short timers in real time', async () => {
    const { client, nativeConnection, namespace } = temporal;
    const taskQueue = uniqueTaskQueue('ping');
    const worker = await Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowBundle: await bundleOnce(workflowsPath) });
    const result = await worker.runUntil(
      client.workflow.execute(pingWorkflow, { taskQueue, workflowId: `ping-${taskQueue}`, args: [{ expect: 1, timeoutMs: 300 }] }),
    );
    expect(result).toEqual({ pings: [], timedOut: true });
  });
});

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  it('lets 24 hours of workflow time pass in a moment with env.sleep', async () => {
    const taskQueue = uniqueTaskQueue('sleep');
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundleOnce(workflowsPath) });
    await worker.runUntil(async () => {
      const realStart = Date.now();
      const serverStart = await env.currentTimeMs();
      const handle = await env.client.workflow.start(sleepADayWorkflow, { taskQueue, workflowId: `sleep-${taskQueue}` });

      await env.sleep('25h');
      // describe() does not skip time itself: the day has passed because of env.sleep.
      await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');

      expect(await handle.result()).toBeGreaterThanOrEqual(24 * HOUR);
      expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(25 * HOUR);
      expect(Date.now() - realStart).toBeLessThan(20_000);
    });
  });
});
