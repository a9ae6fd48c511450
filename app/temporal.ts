import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Database } from '../db/client.ts';
import { createActivities } from '../workflows/activities.ts';
import type { WorkflowGateway } from '../workflows/gateway.ts';
import type { Notifier } from '../workflows/notifier.ts';
import { startTemporalDevServer } from '../workflows/runtime/dev-server.ts';
import { APPROVAL_TASK_QUEUE, TemporalGateway } from '../workflows/temporal-gateway.ts';
import type { Config } from './env.ts';

export interface Approvals {
  gateway: WorkflowGateway;
  /** The connections, for the report worker and schedules (app/reports.ts). */
  client: Client;
  nativeConnection: NativeConnection;
  namespace: string;
  /** Where the Temporal Web UI is, when we run the dev server with it. */
  uiUrl?: string;
  address: string;
  stop(): Promise<void>;
}

const WORKFLOWS = fileURLToPath(new URL('../workflows/approval/approval.workflow.ts', import.meta.url));

/**
 * Temporal for approvals: the cluster at TEMPORAL_ADDRESS (namespace, TLS and
 * API key through @temporalio/envconfig), or a local dev server whose state
 * lives in DATA_DIR/temporal (approvals survive a restart). The worker runs in
 * this process.
 */
export async function startApprovals(config: Config, db: Database, notifier: Notifier, log: (m: string) => void): Promise<Approvals> {
  let stopServer = async () => {};
  let uiUrl: string | undefined;
  let connectionOptions: { address: string; tls?: unknown; apiKey?: string; metadata?: Record<string, string> };
  let namespace: string;
  if (config.TEMPORAL_ADDRESS) {
    const loaded = loadClientConnectConfig();
    connectionOptions = { ...(loaded.connectionOptions as typeof connectionOptions), address: config.TEMPORAL_ADDRESS };
    namespace = loaded.namespace ?? 'default';
  } else {
    log(`starting the Temporal dev server (state in ${path.join(config.DATA_DIR, 'temporal')}) …`);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(config.DATA_DIR, 'temporal'), { recursive: true });
    const server = await startTemporalDevServer({
      dbFile: path.join(config.DATA_DIR, 'temporal', 'temporal.db'),
      uiPort: config.TEMPORAL_UI_PORT ?? false,
    });
    stopServer = server.stop;
    uiUrl = server.uiUrl;
    connectionOptions = { address: server.address };
    namespace = server.namespace;
  }
  // The worker logs every state change at INFO; the product's own log stays readable.
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* a runtime exists already (tests, a second start in one process) */
  }
  const connection = await Connection.connect(connectionOptions as Parameters<typeof Connection.connect>[0]);
  const nativeConnection = await NativeConnection.connect(connectionOptions as Parameters<typeof NativeConnection.connect>[0]);
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue: APPROVAL_TASK_QUEUE,
    workflowsPath: WORKFLOWS,
    activities: createActivities({ db, notifier }),
  });
  const running = worker.run();
  running.catch((err: unknown) => log(`approval worker stopped: ${String(err)}`));
  const client = new Client({ connection, namespace });
  return {
    gateway: new TemporalGateway(client),
    client,
    nativeConnection,
    namespace,
    address: connectionOptions.address,
    ...(uiUrl ? { uiUrl } : {}),
    stop: async () => {
      worker.shutdown();
      await running.catch(() => {});
      await nativeConnection.close();
      await connection.close();
      await stopServer();
    },
  };
}
