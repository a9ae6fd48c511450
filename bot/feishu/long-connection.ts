import * as lark from '@larksuiteoapi/node-sdk';
import { Background } from '../background.ts';
import { feishuEventDispatcher, type FeishuEventDeps } from './events.ts';

export interface FeishuLongConnectionDeps extends FeishuEventDeps {
  appId: string;
  appSecret: string;
  /** The OpenAPI's base URL (Feishu, Lark, or a loopback cloud); the SDK asks `${domain}/callback/ws/endpoint` where to connect. */
  domain: string;
  /** How long `start()` waits for the first connection (default 30 s). */
  connectTimeoutMs?: number;
}

/** The long connection could not be opened: bad credentials, app not in long-connection mode, Feishu unreachable. */
export class FeishuConnectError extends Error {
  override readonly name = 'FeishuConnectError';
}

/** The SDK refuses (silently: it only logs) to start with an app id of another shape. */
const APP_ID = /^cli_[0-9a-fA-F]{16}$/;

/**
 * Feishu's long connection ("使用长连接接收事件"): the SDK's WSClient asks the
 * endpoint for a WebSocket URL with the app's credentials, then receives
 * events as protobuf frames and acks each with the dispatcher's answer. No
 * public callback URL, no signature or encryption (the socket is the
 * authentication), same handlers as the webhook. Events are acked at once and
 * worked on in the background, as with the webhook.
 */
export class FeishuLongConnection {
  private readonly background: Background;
  private readonly dispatcher: lark.EventDispatcher;
  private client: lark.WSClient | null = null;

  constructor(private readonly deps: FeishuLongConnectionDeps) {
    this.background = new Background('feishu event', deps.log);
    this.dispatcher = feishuEventDispatcher(deps, this.background);
  }

  /**
   * Connects and resolves once the socket is open. WSClient.start() itself
   * returns before connecting and reports failure only through `onError`, so
   * without this a wrong secret would leave the bot up but deaf.
   */
  async start(): Promise<void> {
    if (this.client) throw new FeishuConnectError('Feishu long connection already started');
    const { appId, appSecret, domain, log } = this.deps;
    if (!APP_ID.test(appId)) throw new FeishuConnectError(`Feishu app id ${JSON.stringify(appId)} is not of the form cli_ + 16 hex digits`);
    const timeoutMs = this.deps.connectTimeoutMs ?? 30_000;

    let settle: { ready: () => void; failed: (err: Error) => void } | null = null;
    const opened = new Promise<void>((resolve, reject) => {
      settle = { ready: resolve, failed: reject };
    });
    const client = new lark.WSClient({
      appId,
      appSecret,
      domain,
      loggerLevel: lark.LoggerLevel.warn,
      ...(log ? { logger: sdkLogger(log) } : {}),
      autoReconnect: true,
      // A handshake stuck on a proxy would otherwise hang the attempt (and the retry loop) forever.
      handshakeTimeoutMs: 10_000,
      onReady: () => settle?.ready(),
      // Fatal: the endpoint refused the credentials, or reconnecting gave up. Before `start()` resolved it rejects it; afterwards the bot has gone deaf, which must show in the log.
      onError: (err) => {
        if (settle) settle.failed(new FeishuConnectError(`Feishu long connection failed: ${err.message}`, { cause: err }));
        else log?.('feishu long connection gave up', err);
      },
      onReconnecting: () => log?.('feishu long connection lost, reconnecting'),
      onReconnected: () => log?.('feishu long connection restored'),
    });
    this.client = client;
    const timer = setTimeout(() => settle?.failed(new FeishuConnectError(`Feishu long connection not open after ${timeoutMs} ms (is ${domain} reachable?)`)), timeoutMs);
    try {
      await Promise.all([client.start({ eventDispatcher: this.dispatcher }), opened]);
    } catch (err) {
      // Stop the SDK's retry loop: a failed start must leave nothing running.
      client.close({ force: true });
      this.client = null;
      throw err;
    } finally {
      clearTimeout(timer);
      settle = null;
    }
  }

  /** Closes the socket (no new events), then waits for the work already acked. */
  async stop(): Promise<void> {
    this.client?.close();
    this.client = null;
    await this.idle();
  }

  idle(): Promise<void> {
    return this.background.idle();
  }
}

/** The SDK's logger (it passes each call's arguments as one array) onto ours. */
function sdkLogger(log: (message: string, err?: unknown) => void) {
  const line = (...msg: unknown[]) => log(`feishu long connection: ${msg.flat().map(String).join(' ')}`);
  const quiet = () => undefined;
  return { error: line, warn: line, info: quiet, debug: quiet, trace: quiet };
}
