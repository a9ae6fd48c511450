import { encrypt, getSignature } from '@wecom/crypto';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { toXml } from '../../bot/wecom/xml.ts';
import { jsonBody, startJsonServer } from './loopback.ts';

export const FAKE_WECOM = {
  corpId: 'wwfakecorp0001',
  corpSecret: 'fake-wecom-secret',
  agentId: 1000002,
  token: 'fakeWeComToken',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};
const TOKEN_PREFIX = 'fake-wecom-access-token';
/** OAuth2 codes live 5 minutes and work once. */
export const WECOM_AUTH_CODE_TTL_MS = 5 * 60_000;

export interface FakeTemplateCard {
  touser: string;
  taskId: string;
  card: {
    card_type: string;
    main_title: { title: string; desc?: string };
    sub_title_text?: string;
    horizontal_content_list?: { keyname: string; value: string }[];
    button_list?: { text: string; key: string }[];
  };
  updates: number;
}

/**
 * WeCom on loopback: gettoken, message/send (template cards) and
 * update_template_card (with a single-use response code from a click), and
 * callbacks sent as WeCom sends them: encrypted XML signed with the app's
 * token (@wecom/crypto).
 */
export class FakeWeComCloud {
  readonly cards: FakeTemplateCard[] = [];
  /** Markdown posted to group robots, by webhook key. */
  readonly robotMessages: { key: string; content: string }[] = [];
  /** Keys of the group robots that exist. */
  readonly robotKeys = new Set<string>();
  private readonly issuedCodes = new Set<string>();
  private readonly authCodes = new Map<string, { who: { userid: string } | { openid: string }; expiresAt: number }>();
  private throttle = 0;
  private stopServer: (() => Promise<void>) | null = null;
  url = '';

  async start(): Promise<string> {
    const started = await startJsonServer(async (req) => ({ status: 200, body: await this.handle(req) }));
    this.stopServer = started.stop;
    this.url = started.url;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.stopServer?.();
  }

  /** Tokens handed out; `expireToken()` ends the current one early (WeCom answers 42001). */
  tokenRequests = 0;
  private token = `${TOKEN_PREFIX}-1`;
  expireToken(): void {
    this.token = `${TOKEN_PREFIX}-${Number(this.token.split('-').at(-1)) + 1}`;
  }

  throttleNext(n: number): void {
    this.throttle = n;
  }

  /** The organisation's JSAPI tickets handed out (get_jsapi_ticket: 400 an hour per organisation). */
  ticketRequests = 0;
  readonly jsapiTicket = 'fake-wecom-jsapi-ticket-sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3V';

  /**
   * The code the OAuth2 redirect (snsapi_base) hands the page: for a member
   * by userid, or for someone outside the organisation (`{openid}`);
   * `issuedAt` in the past makes an older one.
   */
  issueAuthCode(who: string | { openid: string }, opts: { issuedAt?: number } = {}): string {
    const code = randomUUID().replaceAll('-', '');
    this.authCodes.set(code, { who: typeof who === 'string' ? { userid: who } : who, expiresAt: (opts.issuedAt ?? Date.now()) + WECOM_AUTH_CODE_TTL_MS });
    return code;
  }

  /** A click on a card as WeCom reports it, with a fresh single-use response code. */
  clickEvent(user: string, taskId: string, key: string): Record<string, string | number> {
    const code = randomUUID().replaceAll('-', '');
    this.issuedCodes.add(code);
    return { ToUserName: FAKE_WECOM.corpId, FromUserName: user, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'template_card_event', EventKey: key, TaskId: taskId, CardType: 'button_interaction', ResponseCode: code, AgentID: FAKE_WECOM.agentId };
  }

  /** POSTs a callback: inner XML encrypted, wrapped, signed. */
  async deliver(callbackUrl: string, fields: Record<string, string | number>, opts: { tamper?: boolean; timestamp?: number } = {}) {
    return this.deliverXml(callbackUrl, toXml(fields), opts);
  }

  /** POSTs a callback whose inner XML is given as is (a recorded message). */
  async deliverXml(callbackUrl: string, xml: string, opts: { tamper?: boolean; timestamp?: number } = {}) {
    const encrypted = encrypt(FAKE_WECOM.encodingAESKey, xml, FAKE_WECOM.corpId);
    const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = randomUUID().slice(0, 10);
    const sig = getSignature(FAKE_WECOM.token, timestamp, nonce, opts.tamper ? `${encrypted}x` : encrypted);
    const res = await fetch(`${callbackUrl}?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: toXml({ ToUserName: FAKE_WECOM.corpId, AgentID: FAKE_WECOM.agentId, Encrypt: encrypted }),
    });
    return { status: res.status, body: await res.text() };
  }

  /** The URL verification WeCom does when the callback URL is saved. */
  async verify(callbackUrl: string, plain: string) {
    const echostr = encrypt(FAKE_WECOM.encodingAESKey, plain, FAKE_WECOM.corpId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const sig = getSignature(FAKE_WECOM.token, timestamp, 'n1', echostr);
    const res = await fetch(`${callbackUrl}?msg_signature=${sig}&timestamp=${timestamp}&nonce=n1&echostr=${encodeURIComponent(echostr)}`);
    return { status: res.status, body: await res.text() };
  }

  private async handle(req: IncomingMessage): Promise<unknown> {
    const url = new URL(req.url ?? '/', this.url);
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== FAKE_WECOM.corpId || url.searchParams.get('corpsecret') !== FAKE_WECOM.corpSecret) return { errcode: 40001, errmsg: 'invalid credential' };
      this.tokenRequests++;
      return { errcode: 0, errmsg: 'ok', access_token: this.token, expires_in: 7200 };
    }
    if (url.pathname === '/cgi-bin/webhook/send') {
      const key = url.searchParams.get('key') ?? '';
      if (!this.robotKeys.has(key)) return { errcode: 93000, errmsg: 'invalid webhook url' };
      const body = await jsonBody(req);
      const content = (body.markdown as { content?: string } | undefined)?.content ?? '';
      if (body.msgtype !== 'markdown' || !content) return { errcode: 40008, errmsg: 'invalid message type' };
      if (Buffer.byteLength(content, 'utf8') > 4096) return { errcode: 40058, errmsg: 'markdown.content exceed max length 4096' };
      if (this.throttle > 0) {
        this.throttle--;
        return { errcode: 45009, errmsg: 'api freq out of limit' };
      }
      this.robotMessages.push({ key, content });
      return { errcode: 0, errmsg: 'ok' };
    }
    if (url.searchParams.get('access_token') !== this.token) return { errcode: 42001, errmsg: 'access_token expired' };
    if (req.method === 'GET' && url.pathname === '/cgi-bin/get_jsapi_ticket') {
      this.ticketRequests++;
      return { errcode: 0, errmsg: 'ok', ticket: this.jsapiTicket, expires_in: 7200 };
    }
    if (req.method === 'GET' && url.pathname === '/cgi-bin/auth/getuserinfo') {
      const code = url.searchParams.get('code') ?? '';
      const issued = this.authCodes.get(code);
      this.authCodes.delete(code);
      if (!issued || issued.expiresAt <= Date.now()) return { errcode: 40029, errmsg: 'invalid code' };
      return 'userid' in issued.who
        ? { errcode: 0, errmsg: 'ok', userid: issued.who.userid, user_ticket: randomUUID() }
        : { errcode: 0, errmsg: 'ok', openid: issued.who.openid, external_userid: '' };
    }
    const body = await jsonBody(req);
    if (url.pathname === '/cgi-bin/message/send') {
      if (this.throttle > 0) {
        this.throttle--;
        return { errcode: 45009, errmsg: 'api freq out of limit' };
      }
      const card = body.template_card as FakeTemplateCard['card'] & { task_id: string };
      if (body.msgtype !== 'template_card' || !card?.task_id) return { errcode: 40008, errmsg: 'invalid message type' };
      if (this.cards.some((c) => c.taskId === card.task_id)) return { errcode: 40059, errmsg: 'duplicate task_id' };
      if ((card.button_list?.length ?? 0) > 6) return { errcode: 40058, errmsg: 'too many buttons' };
      this.cards.push({ touser: String(body.touser), taskId: card.task_id, card, updates: 0 });
      return { errcode: 0, errmsg: 'ok', msgid: `msg${this.cards.length}` };
    }
    if (url.pathname === '/cgi-bin/message/update_template_card') {
      const code = String(body.response_code);
      if (!this.issuedCodes.delete(code)) return { errcode: 40137, errmsg: 'invalid response_code' };
      const card = body.template_card as FakeTemplateCard['card'] & { task_id: string };
      const existing = this.cards.find((c) => c.taskId === card.task_id);
      if (!existing) return { errcode: 40059, errmsg: 'task_id not found' };
      existing.card = card;
      existing.updates++;
      return { errcode: 0, errmsg: 'ok' };
    }
    return { errcode: 404, errmsg: `no route ${url.pathname}` };
  }
}
