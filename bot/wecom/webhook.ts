import { decrypt, getSignature } from '@wecom/crypto';
import { Hono } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import type { ChatRef } from '../adapter.ts';
import type { Conversation } from '../core/conversation.ts';
import type { DeliveryService } from '../delivery.ts';
import { Background } from '../background.ts';
import { postReplies, rememberCard } from '../sent-cards.ts';
import { valueOfKey, type WeComAdapter } from './adapter.ts';
import { xmlFields } from './xml.ts';

export interface WeComWebhookDeps {
  db: Database;
  companyId: number;
  conversation: Conversation;
  adapter: WeComAdapter;
  delivery: DeliveryService;
  corpId: string;
  token: string;
  encodingAESKey: string;
  log?: (message: string, err?: unknown) => void;
}

/** A signed callback older than this is a replay. */
const MAX_SKEW_SECONDS = 300;

function signed(deps: WeComWebhookDeps, q: { msg_signature?: string; timestamp?: string; nonce?: string }, encrypted: string): 'ok' | string {
  if (!q.msg_signature || !q.timestamp || !q.nonce) return 'missing msg_signature, timestamp or nonce';
  if (!/^\d+$/.test(q.timestamp) || Math.abs(Date.now() / 1000 - Number(q.timestamp)) > MAX_SKEW_SECONDS) return 'stale timestamp';
  const expected = Buffer.from(getSignature(deps.token, q.timestamp, q.nonce, encrypted));
  const given = Buffer.from(q.msg_signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'signature mismatch';
}

/** Decrypts and checks the message was meant for this corporation. */
function opened(deps: WeComWebhookDeps, encrypted: string): string | null {
  try {
    const { message, id } = decrypt(deps.encodingAESKey, encrypted);
    return id === deps.corpId ? message : null;
  } catch {
    return null;
  }
}

/**
 * The self-built app's callback URL: URL verification (GET) and encrypted XML
 * events (POST), each checked on its signature and freshness and decrypted
 * with @wecom/crypto. WeCom retries anything not answered within 5 s, so the
 * answer is immediate and the work follows; the core acts once per MsgId /
 * click.
 */
export function wecomWebhook(deps: WeComWebhookDeps) {
  const background = new Background('wecom event', deps.log);
  const refuse = (why: string) => new Response(JSON.stringify({ error: { code: 'UNAUTHORIZED', message: `WeCom callback refused: ${why}`, details: null } }), { status: 401, headers: { 'content-type': 'application/json' } });

  const app = new Hono()
    .get('/events', (c) => {
      const q = c.req.query();
      const echostr = q.echostr ?? '';
      const verdict = signed(deps, q, echostr);
      if (verdict !== 'ok') return refuse(verdict);
      const plain = opened(deps, echostr);
      return plain === null ? refuse('echostr does not decrypt for this corp') : c.text(plain);
    })
    .post('/events', async (c) => {
      const encrypted = xmlFields(await c.req.text()).Encrypt ?? '';
      const verdict = signed(deps, c.req.query(), encrypted);
      if (verdict !== 'ok') return refuse(verdict);
      const plain = opened(deps, encrypted);
      if (plain === null) return refuse('message does not decrypt for this corp');
      const f = xmlFields(plain);
      if (f.MsgType === 'text' && f.FromUserName && f.MsgId) background.run(() => onText(deps, f));
      else if (f.MsgType === 'event' && f.Event === 'template_card_event' && f.TaskId && f.ResponseCode) background.run(() => onClick(deps, f));
      return c.text('');
    });
  return { app, idle: () => background.idle() };
}

async function onText(deps: WeComWebhookDeps, f: Record<string, string>): Promise<void> {
  const user = f.FromUserName ?? '';
  const chat: ChatRef = { id: user, kind: 'direct' };
  const replies = await deps.conversation.handleMessage({
    platform: 'wecom',
    companyId: deps.companyId,
    chat,
    senderId: user,
    text: f.Content ?? '',
    mentioned: true,
    eventId: `msg:${f.MsgId}`,
  });
  await postReplies(deps, chat, replies, `reply:${f.MsgId}`, user);
}

async function onClick(deps: WeComWebhookDeps, f: Record<string, string>): Promise<void> {
  const user = f.FromUserName ?? '';
  const taskId = f.TaskId ?? '';
  const chat: ChatRef = { id: user, kind: 'direct' };
  const outcome = await deps.conversation.handleTap({
    platform: 'wecom',
    companyId: deps.companyId,
    chat,
    senderId: user,
    messageRef: taskId,
    value: valueOfKey(f.EventKey ?? ''),
    eventId: `click:${taskId}:${f.ResponseCode}`,
  });
  // The click's single-use code is what lets this card be redrawn; a redelivered click (answered with nothing) brings a spent one.
  if (outcome.update || outcome.replies.length > 0) deps.adapter.noteClick(taskId, f.ResponseCode ?? '');
  if (outcome.update) {
    await deps.adapter.update(deps.companyId, chat, taskId, outcome.update.card);
    if (outcome.update.requestId !== undefined) {
      await rememberCard(deps.db, { companyId: deps.companyId, requestId: outcome.update.requestId, platform: 'wecom', chatId: user, recipientUserId: user, messageRef: taskId });
    }
  }
  await postReplies(deps, chat, outcome.replies, `reply:${taskId}:${f.ResponseCode}`, user);
}
