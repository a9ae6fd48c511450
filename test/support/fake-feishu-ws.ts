import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { FAKE_APP, type FakeFeishuCloud } from './fake-feishu.ts';

/**
 * Feishu's frame on the long connection (`pbbp2.Frame`), field numbers as in
 * the SDK's generated code. `method` is the frame type: 0 control (ping/pong),
 * 1 data (events, and the client's acks of them).
 */
const PBBP2 = protobuf.parse(`
  syntax = "proto2";
  package pbbp2;
  message Header { required string key = 1; required string value = 2; }
  message Frame {
    required uint64 SeqID = 1;
    required uint64 LogID = 2;
    required int32 service = 3;
    required int32 method = 4;
    repeated Header headers = 5;
    optional string payload_encoding = 6;
    optional string payload_type = 7;
    optional bytes payload = 8;
    optional string LogIDNew = 9;
  }
`).root.lookupType('pbbp2.Frame');

const CONTROL = 0;
const DATA = 1;
const SERVICE_ID = 33554678;

interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

/** The client's answer to an event frame. */
export interface FeishuAck {
  /** 200 handled, 500 the handler threw. */
  code: number;
  /** The dispatcher's result (decoded from base64 JSON); undefined when it returned nothing. */
  data?: unknown;
  /** The frame's headers as echoed back, plus `biz_rt`. */
  headers: Record<string, string>;
}

/** Server-pushed timings (seconds), as the endpoint and each pong carry them. */
export interface ClientConfig {
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
  PingInterval: number;
}

const decode = (raw: Buffer): Frame => PBBP2.toObject(PBBP2.decode(raw), { longs: Number, defaults: true }) as Frame;
const encode = (f: Frame): Uint8Array => PBBP2.encode(PBBP2.fromObject(f)).finish();
const headerMap = (f: Frame) => Object.fromEntries(f.headers.map((h) => [h.key, h.value]));

/**
 * Feishu's long-connection endpoint on loopback, next to a FakeFeishuCloud:
 * `POST /callback/ws/endpoint` on the cloud hands out a one-time WebSocket
 * URL for the right credentials; the socket then carries protobuf frames.
 * It pushes events as Feishu does (schema 2.0 JSON, unencrypted, split into
 * `sum` fragments if asked), answers pings with pongs, and resolves each push
 * with the client's ack.
 */
export class FakeFeishuLongConnection {
  readonly acks: FeishuAck[] = [];
  pings = 0;
  config: ClientConfig = { ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30, PingInterval: 120 };
  private readonly tickets = new Set<string>();
  private readonly waiting = new Map<string, (ack: FeishuAck) => void>();
  private wss: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  /** Resolves ~100 ms after the latest upgrade (see `start`). */
  private open: Promise<void> | null = null;
  private seq = 0;

  constructor(private readonly cloud: FakeFeishuCloud) {}

  async start(): Promise<void> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    this.wss = wss;
    const wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/v2`;
    this.cloud.mount('/callback/ws/endpoint', (body) => {
      if (body.AppID !== FAKE_APP.appId || body.AppSecret !== FAKE_APP.appSecret) return { status: 200, body: { code: 514, msg: 'auth failed: app id or secret invalid', data: {} } };
      const ticket = randomUUID();
      this.tickets.add(ticket);
      // device_id/service_id are read by the SDK with qs.parse on the whole URL: they must not be the first parameter.
      const url = `${wsUrl}?fpid=1&aid=1&device_id=${randomUUID()}&access_key=${randomUUID()}&service_id=${SERVICE_ID}&ticket=${ticket}`;
      return { status: 200, body: { code: 0, msg: 'ok', data: { URL: url, ClientConfig: this.config } } };
    });
    wss.on('headers', (headers) => headers.push('handshake-status: 200'));
    wss.on('connection', (ws, req) => {
      const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
      if (!this.tickets.delete(ticket)) {
        ws.close(1008, 'invalid ticket');
        return;
      }
      this.socket?.terminate();
      this.socket = ws;
      // The SDK attaches its message handler only after `open` has resolved its connect promise: frames sent at once may be dropped.
      this.open = new Promise((r) => setTimeout(r, 100));
      ws.on('message', (raw: Buffer) => this.receive(ws, decode(raw)));
    });
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === this.socket.OPEN;
  }

  /** Waits until a client has connected and had time to listen. */
  async connection(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.connected || !this.open) {
      if (Date.now() > deadline) throw new Error('no long connection from the client');
      await new Promise((r) => setTimeout(r, 20));
    }
    await this.open;
  }

  /** Drops the client's socket as a network failure would. */
  drop(): void {
    this.socket?.terminate();
    this.socket = null;
    this.open = null;
  }

  async stop(): Promise<void> {
    this.socket?.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  /**
   * Pushes a schema-2.0 event as a data frame (in `parts` fragments) and
   * resolves with the client's ack; rejects if none comes within 5 s.
   */
  async pushEvent(eventType: string, event: unknown, opts: { eventId?: string; parts?: number } = {}): Promise<FeishuAck> {
    await this.connection();
    const ws = this.socket as WebSocket;
    const payload = Buffer.from(
      JSON.stringify({
        schema: '2.0',
        header: { event_id: opts.eventId ?? randomUUID(), event_type: eventType, create_time: String(Date.now()), token: FAKE_APP.verificationToken, app_id: FAKE_APP.appId, tenant_key: 'tk' },
        event,
      }),
      'utf8',
    );
    const messageId = `msg_${randomUUID()}`;
    const traceId = randomUUID();
    const sum = opts.parts ?? 1;
    const size = Math.ceil(payload.length / sum);
    const acked = new Promise<FeishuAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        reject(new Error(`no ack for ${eventType} (${messageId})`));
      }, 5_000);
      this.waiting.set(messageId, (ack) => {
        clearTimeout(timer);
        resolve(ack);
      });
    });
    for (let seq = 0; seq < sum; seq++) {
      ws.send(
        encode({
          SeqID: ++this.seq,
          LogID: this.seq,
          service: SERVICE_ID,
          method: DATA,
          headers: [
            { key: 'type', value: 'event' },
            { key: 'message_id', value: messageId },
            { key: 'sum', value: String(sum) },
            { key: 'seq', value: String(seq) },
            { key: 'trace_id', value: traceId },
          ],
          payload: payload.subarray(seq * size, (seq + 1) * size),
        }),
      );
    }
    return acked;
  }

  private receive(ws: WebSocket, f: Frame): void {
    const headers = headerMap(f);
    if (f.method === CONTROL && headers.type === 'ping') {
      this.pings++;
      ws.send(encode({ SeqID: 0, LogID: 0, service: f.service, method: CONTROL, headers: [{ key: 'type', value: 'pong' }], payload: Buffer.from(JSON.stringify(this.config)) }));
      return;
    }
    if (f.method !== DATA || !headers.message_id) return;
    const body = JSON.parse(Buffer.from(f.payload ?? []).toString('utf8')) as { code: number; data?: string };
    const ack: FeishuAck = { code: body.code, headers, ...(body.data ? { data: JSON.parse(Buffer.from(body.data, 'base64').toString('utf8')) as unknown } : {}) };
    this.acks.push(ack);
    this.waiting.get(headers.message_id)?.(ack);
    this.waiting.delete(headers.message_id);
  }
}
