import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { encryptEvent, signature } from '../../bot/feishu/crypto.ts';
import type { SeenCard } from './adapter-contract.ts';
import { jsonBody, startJsonServer, type JsonAnswer } from './loopback.ts';
import { settled } from './settle.ts';

export interface FakeMessage {
  id: string;
  receiveIdType: string;
  receiveId: string;
  /** The card as last sent or patched (Feishu card JSON 2.0). */
  card: FeishuCardJson;
  uuid: string | null;
  patches: number;
}

export interface FeishuCardJson {
  header: { title: { content: string }; subtitle?: { content: string } };
  body: { elements: { tag: string; content?: string; text?: { content: string }; behaviors?: { type: string; value?: Record<string, string | number> }[] }[] };
}

export const FAKE_APP = { appId: 'cli_a1b2c3d4e5f60718', appSecret: 'fake-secret', encryptKey: 'fake-encrypt-key', verificationToken: 'fake-verification-token' };
const TOKEN_PREFIX = 't-fake-tenant-token';
/** Codes from `tt.requestAccess` live 3 minutes and work once. */
export const FEISHU_AUTH_CODE_TTL_MS = 3 * 60_000;

/**
 * Feishu's cloud on loopback, as far as the SDK and our adapter talk to it:
 * the tenant token endpoint and im/v1 message create (with `uuid` de-dup) and
 * patch. It can throttle the next sends with 429 like the real one, and it
 * sends event callbacks the way Feishu does: encrypted, signed, schema 2.0.
 */
export class FakeFeishuCloud {
  readonly messages: FakeMessage[] = [];
  tokenRequests = 0;
  private token = `${TOKEN_PREFIX}-1`;

  /** JSAPI tickets handed out (jssdk/ticket/get, behind the tenant token like the other endpoints). */
  ticketRequests = 0;
  readonly jsapiTicket = 'fake-feishu-jsapi-ticket-0560604568baf296731aa37f0c8ebe3e';

  /** Invalidates the current tenant token before its expiry, as a secret rotation does. */
  expireToken(): void {
    this.token = `${TOKEN_PREFIX}-${Number(this.token.split('-').at(-1)) + 1}`;
  }
  private throttle = 0;
  private readonly authCodes = new Map<string, { openId: string; unionId: string; expiresAt: number }>();
  private readonly userTokens = new Map<string, { openId: string; unionId: string }>();
  private readonly mounted = new Map<string, (body: Record<string, unknown>) => JsonAnswer>();
  private stopServer: (() => Promise<void>) | null = null;
  url = '';

  async start(): Promise<string> {
    const started = await startJsonServer((req) => this.handle(req));
    this.stopServer = started.stop;
    this.url = started.url;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.stopServer?.();
  }

  /**
   * The code `tt.requestAccess` gives a page opened by the user with this
   * open_id (union_id `on_…` unless given); `issuedAt` in the past makes an older one.
   */
  issueAuthCode(openId: string, opts: { unionId?: string; issuedAt?: number } = {}): string {
    const code = randomUUID().replaceAll('-', '');
    this.authCodes.set(code, { openId, unionId: opts.unionId ?? openId.replace(/^ou_/, 'on_'), expiresAt: (opts.issuedAt ?? Date.now()) + FEISHU_AUTH_CODE_TTL_MS });
    return code;
  }

  /** The next `n` sends are refused with 429, as under Feishu's frequency limit. */
  throttleNext(n: number): void {
    this.throttle = n;
  }

  /**
   * Serves `POST path` on this cloud ahead of the tenant-token check: for
   * endpoints that take the app's credentials in the body, like the long
   * connection's `/callback/ws/endpoint` (see fake-feishu-ws.ts).
   */
  mount(path: string, handle: (body: Record<string, unknown>) => JsonAnswer): void {
    this.mounted.set(path, handle);
  }

  /** Delivers an event to our callback URL as Feishu does; answers status and body. */
  async deliver(callbackUrl: string, eventType: string, event: unknown, opts: { eventId?: string; tamper?: boolean; timestamp?: number } = {}) {
    const plain = JSON.stringify({
      schema: '2.0',
      header: { event_id: opts.eventId ?? randomUUID(), event_type: eventType, create_time: String(Date.now()), token: FAKE_APP.verificationToken, app_id: FAKE_APP.appId, tenant_key: 'tk' },
      event,
    });
    const raw = JSON.stringify({ encrypt: encryptEvent(plain, FAKE_APP.encryptKey) });
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomUUID();
    const sig = signature(timestamp, nonce, FAKE_APP.encryptKey, opts.tamper ? `${raw} ` : raw);
    const res = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': sig },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  /** A signed callback without encryption (a URL verification of an app that has no encrypt key yet). */
  async deliverPlain(callbackUrl: string, body: unknown) {
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomUUID();
    const res = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature(timestamp, nonce, FAKE_APP.encryptKey, raw) },
      body: raw,
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await jsonBody(req);
    const mounted = req.method === 'POST' ? this.mounted.get(url.pathname) : undefined;
    if (mounted) return mounted(body);
    // OAuth 2.0 (RFC 6749) endpoint: refusals are HTTP 400 with error / error_description and Feishu's numeric code.
    if (req.method === 'POST' && url.pathname === '/open-apis/authen/v2/oauth/token') {
      if (body.grant_type !== 'authorization_code') return { status: 400, body: { code: 20001, error: 'unsupported_grant_type', error_description: 'The grant_type is not supported' } };
      if (body.client_id !== FAKE_APP.appId || body.client_secret !== FAKE_APP.appSecret) return { status: 400, body: { code: 20002, error: 'invalid_client', error_description: 'Client authentication failed' } };
      const issued = this.authCodes.get(String(body.code ?? ''));
      this.authCodes.delete(String(body.code ?? ''));
      if (!issued) return { status: 400, body: { code: 20003, error: 'invalid_grant', error_description: 'The authorization code is not found or has been used' } };
      if (issued.expiresAt <= Date.now()) return { status: 400, body: { code: 20004, error: 'invalid_grant', error_description: 'The authorization code has expired' } };
      const token = `u-${randomUUID()}`;
      this.userTokens.set(token, { openId: issued.openId, unionId: issued.unionId });
      return { status: 200, body: { code: 0, access_token: token, expires_in: 7200, token_type: 'Bearer', scope: '' } };
    }
    if (req.method === 'GET' && url.pathname === '/open-apis/authen/v1/user_info') {
      const user = this.userTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
      if (!user) return { status: 401, body: { code: 99991668, msg: 'Invalid access token for authorization' } };
      return { status: 200, body: { code: 0, msg: 'success', data: { name: user.openId, en_name: user.openId, open_id: user.openId, union_id: user.unionId, tenant_key: 'tk' } } };
    }
    if (req.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      this.tokenRequests++;
      if (body.app_id !== FAKE_APP.appId || body.app_secret !== FAKE_APP.appSecret) return { status: 200, body: { code: 10014, msg: 'app secret invalid' } };
      return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: this.token, expire: 7200 } };
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return { status: 401, body: { code: 99991663, msg: 'invalid access token' } };
    if (req.method === 'POST' && url.pathname === '/open-apis/jssdk/ticket/get') {
      this.ticketRequests++;
      return { status: 200, body: { code: 0, msg: 'ok', data: { expire_in: 7200, ticket: this.jsapiTicket } } };
    }
    if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') {
      if (this.throttle > 0) {
        this.throttle--;
        return { status: 429, body: { code: 99991400, msg: 'request trigger frequency limit' } };
      }
      const uuid = typeof body.uuid === 'string' ? body.uuid : null;
      const again = uuid ? this.messages.find((m) => m.uuid === uuid) : undefined;
      if (again) return { status: 200, body: { code: 0, msg: 'success', data: { message_id: again.id } } };
      if (body.msg_type !== 'interactive' || typeof body.content !== 'string') return { status: 400, body: { code: 230001, msg: 'invalid message content' } };
      const m: FakeMessage = {
        id: `om_${this.messages.length + 1}`,
        receiveIdType: url.searchParams.get('receive_id_type') ?? '',
        receiveId: String(body.receive_id),
        card: JSON.parse(body.content) as FeishuCardJson,
        uuid,
        patches: 0,
      };
      this.messages.push(m);
      return { status: 200, body: { code: 0, msg: 'success', data: { message_id: m.id } } };
    }
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && patch) {
      const m = this.messages.find((x) => x.id === patch[1]);
      if (!m) return { status: 400, body: { code: 230011, msg: 'message not found' } };
      m.card = JSON.parse(String(body.content)) as FeishuCardJson;
      m.patches++;
      return { status: 200, body: { code: 0, msg: 'success' } };
    }
    return { status: 404, body: { code: 404, msg: `no route ${req.method} ${url.pathname}` } };
  }
}

export const openId = (person: string) => `ou_${person.toLowerCase()}`;
export const dmChat = (person: string) => `oc_dm_${person.toLowerCase()}`;

/** What a Feishu user sees of a message: the card's title, its markdown, its callback buttons. */
export const seen = (m: FakeMessage): SeenCard => ({
  ref: m.id,
  title: m.card.header.title.content,
  text: [m.card.header.subtitle?.content ?? '', ...m.card.body.elements.filter((e) => e.tag === 'markdown').map((e) => e.content ?? '')].join('\n'),
  buttons: m.card.body.elements.flatMap((e) => {
    const b = e.behaviors?.[0];
    return e.tag === 'button' && b?.type === 'callback' && b.value ? [{ label: e.text?.content ?? '', value: b.value }] : [];
  }),
});

/** Watches a person's direct chat in the fake: `snapshot()` before an event, `afterwards()` for what the bot then did. */
export function watchChats(cloudOf: () => FakeFeishuCloud) {
  const inChatOf = (person: string) => (m: FakeMessage) => m.receiveId === dmChat(person) || m.receiveId === openId(person);
  const snapshot = () => ({ count: cloudOf().messages.length, patches: new Map(cloudOf().messages.map((m) => [m.id, m.patches])) });
  /** Waits for new messages and redrawn cards in the person's chat, until it has been quiet a moment. */
  const afterwards = async (before: ReturnType<typeof snapshot>, person: string): Promise<SeenCard[]> => {
    const cloud = cloudOf();
    const changed = () => [...cloud.messages.filter((m) => m.patches > (before.patches.get(m.id) ?? 0) && inChatOf(person)(m)), ...cloud.messages.slice(before.count).filter(inChatOf(person))];
    return (await settled(changed, () => JSON.stringify(cloud.messages.map((m) => [m.id, m.patches])))).map(seen);
  };
  return { inChatOf, snapshot, afterwards };
}
