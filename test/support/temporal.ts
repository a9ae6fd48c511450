import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, inject } from 'vitest';
import { findTimeSkippingServer } from '../../workflows/runtime/temporal-binaries.ts';

/**
 * Temporal for tests. Two servers:
 *
 * - the run's shared dev server (started by global-setup.ts): a real server, for
 *   updates, signals, queries, schedules. Test files share it, so give every
 *   worker a task queue of its own ({@link uniqueTaskQueue}).
 * - a time-skipping test server per file ({@link createTimeSkippingEnv}), for
 *   "24 h pass → escalate". It skips time only while the client awaits a result
 *   or in `env.sleep`, and it supports no schedules.
 *
 * Call the helpers anywhere (top level, `beforeAll`, a test): what they open is
 * closed after the calling file's tests.
 */

/** Warnings and errors only, minus the ones every activity-less test worker prints. */
class TestLogger extends DefaultLogger {
  override log(level: LogLevel, message: string, meta?: LogMetadata): void {
    if (!/^No (activities|Nexus services) registered/.test(message)) super.log(level, message, meta);
  }
}
// Workers log every state change at INFO. (Installing fails harmlessly when
// something in this process already created the Runtime.)
try {
  Runtime.install({ logger: new TestLogger('WARN') });
} catch {
  /* keep the existing runtime */
}

// One afterAll registered while the test file is collected. (vitest 4 silently
// ignores an afterAll registered inside beforeAll, so helpers cannot register
// their own when called from a hook.) Each file re-imports this module.
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((err: unknown) => console.error(err));
});

export interface SharedTemporal {
  client: Client;
  /** For `Worker.create({ connection: nativeConnection, namespace, taskQueue, workflowBundle })`. */
  nativeConnection: NativeConnection;
  address: string;
  namespace: string;
}

/** A client and a worker connection to the run's shared dev server, closed after the calling file's tests. */
export async function temporalClient(): Promise<SharedTemporal> {
  const address = inject('temporalAddress');
  const namespace = 'default';
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  cleanups.push(async () => {
    await nativeConnection.close();
    await connection.close();
  });
  return { client: new Client({ connection, namespace }), nativeConnection, address, namespace };
}

/**
 * A time-skipping environment of its own (the Java test server from
 * TEMPORAL_TEST_SERVER_PATH, PATH or pip; the SDK's download otherwise), torn
 * down after the calling file's tests. Use `env.client`, `env.nativeConnection`,
 * `env.sleep('25h')`. Not for concurrent tests: skipped time is global to it.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const exe = findTimeSkippingServer();
  const server = exe ? { executable: { type: 'existing-path' as const, path: exe } } : {};
  let env: TestWorkflowEnvironment | undefined;
  // It is up in ~0.2 s here; the SDK allows 5 s, so a retry only covers a badly stalled machine.
  for (let attempt = 1; !env; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({ server });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  const started = env;
  const teardown = started.teardown.bind(started);
  let tornDown: Promise<void> | undefined;
  started.teardown = () => (tornDown ??= teardown()); // safe to call early; the file's end calls it anyway
  cleanups.push(() => started.teardown());
  return started;
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The workflow bundle for `workflowsPath` (a file path or `import.meta`-relative
 * URL), built once per test file: webpack takes seconds, workers reuse it via
 * `Worker.create({ workflowBundle: await bundleOnce(path), … })`.
 */
export function bundleOnce(workflowsPath: string | URL): Promise<WorkflowBundleWithSourceMap> {
  const file = path.resolve(typeof workflowsPath === 'string' ? workflowsPath : fileURLToPath(workflowsPath));
  let bundle = bundles.get(file);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath: file, logger: new DefaultLogger('WARN') });
    bundles.set(file, bundle);
    bundle.catch(() => bundles.delete(file)); // a failed build is retried by the next caller
  }
  return bundle;
}

/** A task queue no other test file (or earlier run on the same server) uses. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}
