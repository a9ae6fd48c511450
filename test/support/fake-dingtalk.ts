import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { SeenCard } from './adapter-contract.ts';
import { jsonBody, startJsonServer } from './loopback.ts';
import { settled } from './settle.ts';

export const FAKE_DINGTALK = { clientId: 'dingfakeclientid0001', clientSecret: 'fake-dingtalk-secret', cardTemplateId: 'tpl-stockpilot.schema' };
const TOKEN_PREFIX = 'fake-dingtalk-access-token';
/** H5 免登 codes from `requestAuthCode` live 5 minutes and work once. */
export const DINGTALK_AUTH_CODE_TTL_MS = 5 * 60_000;

export interface FakeCard {
  /** Where taps go: the stream, or the HTTP callback registered under a route key. */
  callback: 'STREAM' | 'HTTP';
  outTrackId: string;
  /** IM_ROBOT.<staffId> or IM_GROUP.<openConversationId> */
  space: string;
  params: Record<string, string>;
  updates: number;
}

export interface FakeMarkdown {
  to: string;
  title: string;
  text: string;
}

/**
 * DingTalk on loopback, as the stream SDK and our adapter use it: the stream
 * gateway (connections/open → a WebSocket with a ticket) pushing CALLBACK
 * frames and collecting acks, the OAuth2 token, interactive cards
 * (createAndDeliver, update) and robot markdown sends.
 */
export class FakeDingTalkCloud {
  readonly cards: FakeCard[] = [];
  readonly markdown: FakeMarkdown[] = [];
  readonly acks = new Map<string, unknown>();
  private readonly tickets = new Set<string>();
  private readonly authCodes = new Map<string, { userId: string; expiresAt: number }>();
  private socket: WebSocket | null = null;
  private throttle = 0;
  private server: Server | null = null;
  private stopServer: (() => Promise<void>) | null = null;
  private wss: WebSocketServer | null = null;
  url = '';

  async start(): Promise<string> {
    const started = await startJsonServer((req) => this.handle(req));
    this.server = started.server;
    this.stopServer = started.stop;
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, sock, head) => {
      const ticket = new URL(req.url ?? '/', 'http://x').searchParams.get('ticket') ?? '';
      if (!this.tickets.delete(ticket)) {
        sock.destroy();
        return;
      }
      this.wss?.handleUpgrade(req, sock, head, (ws) => {
        this.socket = ws;
        ws.on('message', (raw) => {
          const ack = JSON.parse(String(raw)) as { headers?: { messageId?: string }; data?: string };
          if (ack.headers?.messageId) this.acks.set(ack.headers.messageId, ack.data ? JSON.parse(ack.data) : null);
        });
      });
    });
    this.url = started.url;
    return this.url;
  }

  get gatewayUrl(): string {
    return `${this.url}/v1.0/gateway/connections/open`;
  }

  get connected(): boolean {
    return this.socket !== null && this.socket.readyState === this.socket.OPEN;
  }

  async stop(): Promise<void> {
    this.socket?.terminate();
    this.wss?.close();
    await this.stopServer?.();
  }

  /** POSTs an HTTP-mode callback as DingTalk does: timestamp and sign headers (HMAC of the timestamp with the app secret). */
  async deliverHttp(url: string, body: unknown, opts: { timestamp?: number; secret?: string } = {}) {
    const timestamp = String(opts.timestamp ?? Date.now());
    const secret = opts.secret ?? FAKE_DINGTALK.clientSecret;
    const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', timestamp, sign }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  /** Tokens handed out; `expireToken()` revokes the current one before its time, as DingTalk may. */
  tokenRequests = 0;
  private token = `${TOKEN_PREFIX}-1`;
  expireToken(): void {
    this.token = `${TOKEN_PREFIX}-${Number(this.token.split('-').at(-1)) + 1}`;
  }

  throttleNext(n: number): void {
    this.throttle = n;
  }

  /** JSAPI tickets handed out (get_jsapi_ticket), so a test can see the cache spare the daily quota. */
  ticketRequests = 0;
  readonly jsapiTicket = 'fake-dingtalk-jsapi-ticket-8T7tKdlbRbD8aHPLb6631q6ZpwYT7fYj';

  /**
   * The code `dd.runtime.permission.requestAuthCode` gives a page opened by
   * staff member `userId`; `issuedAt` in the past makes an older one.
   */
  issueAuthCode(userId: string, opts: { issuedAt?: number } = {}): string {
    const code = randomUUID().replaceAll('-', '');
    this.authCodes.set(code, { userId, expiresAt: (opts.issuedAt ?? Date.now()) + DINGTALK_AUTH_CODE_TTL_MS });
    return code;
  }

  /** Pushes a CALLBACK frame on the stream, as DingTalk does; answers its message id. */
  push(topic: string, data: unknown, messageId: string = randomUUID()): string {
    if (!this.socket) throw new Error('no stream connection');
    this.socket.send(
      JSON.stringify({
        specVersion: '1.0',
        type: 'CALLBACK',
        headers: { appId: 'app', connectionId: 'c1', contentType: 'application/json', messageId, time: String(Date.now()), topic },
        data: JSON.stringify(data),
      }),
    );
    return messageId;
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await jsonBody(req);
    if (url.pathname === '/v1.0/gateway/connections/open') {
      if (body.clientId !== FAKE_DINGTALK.clientId || body.clientSecret !== FAKE_DINGTALK.clientSecret) return { status: 401, body: { code: 'InvalidAuthentication' } };
      const ticket = randomUUID();
      this.tickets.add(ticket);
      return { status: 200, body: { endpoint: `${this.url.replace('http', 'ws')}/connect`, ticket } };
    }
    if (url.pathname === '/v1.0/oauth2/accessToken') {
      if (body.appKey !== FAKE_DINGTALK.clientId || body.appSecret !== FAKE_DINGTALK.clientSecret) return { status: 400, body: { code: 'invalidClientSecret', message: 'bad secret' } };
      this.tokenRequests++;
      return { status: 200, body: { accessToken: this.token, expireIn: 7200 } };
    }
    // Old-style (oapi) API: the token rides in the query and errors come as errcode with HTTP 200.
    if (req.method === 'GET' && url.pathname === '/gettoken') {
      if (url.searchParams.get('appkey') !== FAKE_DINGTALK.clientId || url.searchParams.get('appsecret') !== FAKE_DINGTALK.clientSecret) return { status: 200, body: { errcode: 40089, errmsg: '不合法的appKey或appSecret' } };
      this.tokenRequests++;
      return { status: 200, body: { errcode: 0, errmsg: 'ok', access_token: this.token, expires_in: 7200 } };
    }
    if (req.method === 'POST' && url.pathname === '/topapi/v2/user/getuserinfo') {
      if (url.searchParams.get('access_token') !== this.token) return { status: 200, body: { errcode: 40014, errmsg: '不合法的access_token' } };
      const issued = this.authCodes.get(String(body.code ?? ''));
      this.authCodes.delete(String(body.code ?? ''));
      if (!issued || issued.expiresAt <= Date.now()) return { status: 200, body: { errcode: 40078, errmsg: '不存在的临时授权码' } };
      return {
        status: 200,
        body: { errcode: 0, errmsg: 'ok', result: { userid: issued.userId, unionid: `union${issued.userId}`, name: issued.userId, sys: false, sys_level: 0, associated_unionid: '', device_id: 'fake-device' }, request_id: randomUUID() },
      };
    }
    // JSAPI鉴权: one ticket per app, the same one again while it lives (as DingTalk renews rather than replaces it).
    if (req.method === 'GET' && url.pathname === '/get_jsapi_ticket') {
      if (url.searchParams.get('access_token') !== this.token) return { status: 200, body: { errcode: 40014, errmsg: '不合法的access_token' } };
      this.ticketRequests++;
      return { status: 200, body: { errcode: 0, errmsg: 'ok', ticket: this.jsapiTicket, expires_in: 7200 } };
    }
    if (req.headers['x-acs-dingtalk-access-token'] !== this.token) return { status: 401, body: { code: 'InvalidAuthentication', message: 'token' } };
    if (this.throttle > 0 && req.method === 'POST') {
      this.throttle--;
      return { status: 403, body: { code: 'Forbidden.AccessDenied.QpsLimitForApi', message: 'send.too.fast' } };
    }
    if (req.method === 'POST' && url.pathname === '/v1.0/card/instances/createAndDeliver') {
      const callback = body.callbackType === 'STREAM' ? 'STREAM' : body.callbackType === 'HTTP' && typeof body.callbackRouteKey === 'string' ? 'HTTP' : null;
      if (!callback || body.cardTemplateId !== FAKE_DINGTALK.cardTemplateId) return { status: 400, body: { code: 'param.invalid' } };
      const outTrackId = String(body.outTrackId);
      if (this.cards.some((c) => c.outTrackId === outTrackId)) return { status: 400, body: { code: 'param.duplicate', message: 'outTrackId exists' } };
      const params = (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap;
      this.cards.push({ outTrackId, space: String(body.openSpaceId).replace('dtv1.card//', ''), params, updates: 0, callback });
      return { status: 200, body: { success: true, result: { outTrackId } } };
    }
    if (req.method === 'PUT' && url.pathname === '/v1.0/card/instances') {
      const card = this.cards.find((c) => c.outTrackId === body.outTrackId);
      if (!card) return { status: 400, body: { code: 'card.notFound' } };
      Object.assign(card.params, (body.cardData as { cardParamMap: Record<string, string> }).cardParamMap);
      card.updates++;
      return { status: 200, body: { success: true } };
    }
    if (req.method === 'POST' && (url.pathname === '/v1.0/robot/oToMessages/batchSend' || url.pathname === '/v1.0/robot/groupMessages/send')) {
      const p = JSON.parse(String(body.msgParam)) as { title: string; text: string };
      const to = url.pathname.endsWith('batchSend') ? (body.userIds as string[]).join(',') : String(body.openConversationId);
      this.markdown.push({ to, ...p });
      return { status: 200, body: { processQueryKey: `pq-${this.markdown.length}` } };
    }
    return { status: 404, body: { code: 'NotFound', message: `${req.method} ${url.pathname}` } };
  }
}

export const staffId = (person: string) => `staff${person.toLowerCase()}`;
export const space = (person: string) => `IM_ROBOT.${staffId(person)}`;

/** A robot message `person` types to the robot in a direct chat, as DingTalk delivers it (stream data or HTTP body). */
export const directMessage = (person: string, text: string, msgId: string) => ({
  msgtype: 'text',
  text: { content: ` ${text}` },
  msgId,
  createAt: Date.now(),
  conversationId: `cid-dm-${person}`,
  conversationType: '1',
  senderStaffId: staffId(person),
  senderNick: person,
  isInAtList: true,
  robotCode: FAKE_DINGTALK.clientId,
});

/** What a DingTalk user sees of an interactive card: its title, its markdown, its buttons. */
export const seen = (c: FakeCard): SeenCard => ({
  ref: c.outTrackId,
  title: c.params.title ?? '',
  text: [c.params.subtitle ?? '', c.params.markdown ?? ''].join('\n'),
  buttons: (JSON.parse(c.params.buttons ?? '[]') as { text: string; value: string }[]).map((b) => ({ label: b.text, value: JSON.parse(b.value) as Record<string, string | number> })),
});

/** Watches a person's robot chat in the fake: `snapshot()` before an event, `afterwards()` for what the bot then did. */
export function watchCards(cloudOf: () => FakeDingTalkCloud) {
  const snapshot = () => ({ count: cloudOf().cards.length, updates: new Map(cloudOf().cards.map((c) => [c.outTrackId, c.updates])) });
  const afterwards = async (before: ReturnType<typeof snapshot>, person: string): Promise<SeenCard[]> => {
    const cloud = cloudOf();
    const mine = (c: FakeCard) => c.space === space(person);
    const changed = () => [...cloud.cards.filter((c) => mine(c) && c.updates > (before.updates.get(c.outTrackId) ?? 0)), ...cloud.cards.slice(before.count).filter(mine)];
    return (await settled(changed, () => JSON.stringify(cloud.cards.map((c) => [c.outTrackId, c.updates])))).map(seen);
  };
  return { snapshot, afterwards };
}
