import * as lark from '@larksuiteoapi/node-sdk';
import type { ChatRef } from '../adapter.ts';
import type { Background } from '../background.ts';
import { postReplies, rememberCard, type ChatEventDeps } from '../sent-cards.ts';

/** Handling an event needs the same whichever transport (webhook, stream, long connection) brought it. */
export type FeishuEventDeps = ChatEventDeps;

/** `im.message.receive_v1` after the SDK's dispatcher has merged the schema-2.0 header (event_id …) into the event. */
export interface MessageEvent {
  event_id?: string;
  sender?: { sender_id?: { open_id?: string; union_id?: string }; sender_type?: string };
  message?: { message_id: string; chat_id: string; chat_type: 'p2p' | 'group'; message_type: string; content: string; mentions?: { key: string }[] };
}

/** `card.action.trigger`, header merged in the same way. */
export interface CardActionEvent {
  event_id?: string;
  operator?: { open_id?: string; union_id?: string };
  action?: { value?: unknown };
  context?: { open_message_id?: string; open_chat_id?: string };
}

/**
 * The SDK's dispatcher with our two handlers, shared by both transports.
 * Messages and taps are acknowledged at once and worked on in `background`:
 * Feishu redelivers anything not answered within 3 s, and the core acts once
 * per event id anyway. A tap answers `{}` (no toast, card left as is: the
 * redraw follows through the OpenAPI).
 */
export function feishuEventDispatcher(deps: FeishuEventDeps, background: Background): lark.EventDispatcher {
  return new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data: unknown) => {
      background.run(() => onMessage(deps, data as MessageEvent));
    },
    'card.action.trigger': async (data: unknown) => {
      background.run(() => onTap(deps, data as CardActionEvent));
      return {};
    },
  });
}

export async function onMessage(deps: FeishuEventDeps, e: MessageEvent): Promise<void> {
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

export async function onTap(deps: FeishuEventDeps, e: CardActionEvent): Promise<void> {
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
