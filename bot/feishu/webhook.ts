import * as lark from '@larksuiteoapi/node-sdk';
import { Hono } from 'hono';
import type { Database } from '../../db/client.ts';
import type { ChatAdapter, ChatRef } from '../adapter.ts';
import type { Conversation } from '../core/conversation.ts';
import type { DeliveryService } from '../delivery.ts';
import { Background } from '../background.ts';
import { postReplies, rememberCard } from '../sent-cards.ts';
import { decryptEvent, verifySignature } from './crypto.ts';

export interface FeishuWebhookDeps {
  db: Database;
  companyId: number;
  conversation: Conversation;
  adapter: ChatAdapter;
  delivery: DeliveryService;
  encryptKey: string;
  verificationToken: string;
  log?: (message: string, err?: unknown) => void;
}

interface MessageEvent {
  event_id?: string;
  sender?: { sender_id?: { open_id?: string; union_id?: string }; sender_type?: string };
  message?: { message_id: string; chat_id: string; chat_type: 'p2p' | 'group'; message_type: string; content: string; mentions?: { key: string }[] };
}

interface CardActionEvent {
  event_id?: string;
  operator?: { open_id?: string; union_id?: string };
  action?: { value?: unknown };
  context?: { open_message_id?: string; open_chat_id?: string };
}

/**
 * Feishu's event callback, mounted on Hono: our own checks on the raw body
 * (signature, freshness, decryption, verification token), then the SDK's
 * dispatcher routes by event type. Messages and taps are acknowledged at
 * once and worked on afterwards: Feishu redelivers anything not answered
 * within 3 s, and the core acts once per event id anyway.
 */
export function feishuWebhook(deps: FeishuWebhookDeps) {
  const background = new Background('feishu event', deps.log);

  const dispatcher = new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data: unknown) => {
      background.run(() => onMessage(deps, data as MessageEvent));
    },
    'card.action.trigger': async (data: unknown) => {
      background.run(() => onTap(deps, data as CardActionEvent));
      return {};
    },
  });

  const app = new Hono().post('/events', async (c) => {
    const raw = await c.req.text();
    const verdict = verifySignature(
      { timestamp: c.req.header('x-lark-request-timestamp'), nonce: c.req.header('x-lark-request-nonce'), signature: c.req.header('x-lark-signature') },
      deps.encryptKey,
      raw,
    );
    if (verdict !== 'ok') return c.json({ error: { code: 'UNAUTHORIZED', message: `Feishu signature ${verdict}`, details: null } }, 401);
    let body: Record<string, unknown>;
    try {
      const outer = JSON.parse(raw) as { encrypt?: string };
      body = JSON.parse(outer.encrypt ? decryptEvent(outer.encrypt, deps.encryptKey) : raw) as Record<string, unknown>;
    } catch {
      return c.json({ error: { code: 'VALIDATION_FAILED', message: 'Feishu event body is not valid (encrypted) JSON', details: null } }, 400);
    }
    const header = body.header as { token?: string } | undefined;
    const token = body.type === 'url_verification' ? body.token : header?.token;
    if (token !== deps.verificationToken) return c.json({ error: { code: 'UNAUTHORIZED', message: 'Feishu verification token mismatch', details: null } }, 401);
    if (body.type === 'url_verification') return c.json({ challenge: body.challenge });
    const answer = await dispatcher.invoke(body, { needCheck: false });
    return c.json(answer ?? {});
  });
  return { app, idle: () => background.idle() };
}

async function onMessage(deps: FeishuWebhookDeps, e: MessageEvent): Promise<void> {
  const m = e.message;
  const sender = e.sender?.sender_id?.open_id;
  if (!m || !sender || !e.event_id || e.sender?.sender_type !== 'user' || m.message_type !== 'text') return;
  let text = (JSON.parse(m.content) as { text?: string }).text ?? '';
  for (const mention of m.mentions ?? []) text = text.replaceAll(mention.key, ' ');
  const chat: ChatRef = { id: m.chat_id, kind: m.chat_type === 'p2p' ? 'direct' : 'group' };
  const replies = await deps.conversation.handleMessage({
    platform: 'feishu',
    companyId: deps.companyId,
    chat,
    senderId: sender,
    ...(e.sender?.sender_id?.union_id ? { senderAliases: [e.sender.sender_id.union_id] } : {}),
    text,
    // Feishu delivers group messages only when the bot is @-mentioned (unless the app may read every group message).
    mentioned: chat.kind === 'direct' || (m.mentions?.length ?? 0) > 0,
    eventId: e.event_id,
  });
  await postReplies(deps, chat, replies, `reply:${e.event_id}`, sender);
}

async function onTap(deps: FeishuWebhookDeps, e: CardActionEvent): Promise<void> {
  const sender = e.operator?.open_id;
  const messageId = e.context?.open_message_id;
  const chatId = e.context?.open_chat_id;
  if (!sender || !messageId || !chatId || !e.event_id) return;
  const chat: ChatRef = { id: chatId, kind: 'direct' };
  const outcome = await deps.conversation.handleTap({
    platform: 'feishu',
    companyId: deps.companyId,
    chat,
    senderId: sender,
    ...(e.operator?.union_id ? { senderAliases: [e.operator.union_id] } : {}),
    messageRef: messageId,
    value: e.action?.value,
    eventId: e.event_id,
  });
  if (outcome.update) {
    await deps.adapter.update(deps.companyId, chat, messageId, outcome.update.card);
    if (outcome.update.requestId !== undefined) await rememberCard(deps.db, { companyId: deps.companyId, requestId: outcome.update.requestId, platform: 'feishu', chatId, recipientUserId: sender, messageRef: messageId });
  }
  await postReplies(deps, chat, outcome.replies, `reply:${e.event_id}`, sender);
}
