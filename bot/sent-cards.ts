import type { Database } from '../db/client.ts';
import type { ChatAdapter, ChatRef, Platform, Reply } from './adapter.ts';
import { findChatUser } from './core/people.ts';
import type { Conversation } from './core/conversation.ts';
import type { DeliveryService } from './delivery.ts';

/** What a platform's incoming side needs to hand events to the core and post its answers, whatever the transport. */
export interface ChatEventDeps {
  db: Database;
  companyId: number;
  conversation: Conversation;
  adapter: ChatAdapter;
  delivery: DeliveryService;
  log?: (message: string, err?: unknown) => void;
}

/**
 * Remembers a card sent about a request (to whom, where, under which platform
 * message id), so that every later change of the request redraws it.
 */
export async function rememberCard(
  db: Database,
  card: { companyId: number; requestId: number; platform: Platform; chatId: string; recipientUserId: string; messageRef: string },
): Promise<void> {
  const recipient = await findChatUser(db, card.companyId, card.platform, card.recipientUserId);
  await db.sql`
    insert into chat_cards (company_id, request_id, platform, chat_id, recipient_id, message_ref)
    values (${card.companyId}, ${card.requestId}, ${card.platform}, ${card.chatId}, ${recipient?.employeeId ?? null}, ${card.messageRef})
    on conflict (platform, message_ref) do nothing`;
}

/**
 * Posts the core's replies in a conversation, each under `${key}:${n}` (a
 * redelivered event posts nothing twice), remembering those about a request.
 */
export async function postReplies(
  deps: { db: Database; delivery: DeliveryService; adapter: ChatAdapter; companyId: number },
  chat: ChatRef,
  replies: readonly Reply[],
  key: string,
  recipientUserId: string,
): Promise<void> {
  for (const [i, r] of replies.entries()) {
    const sent = await deps.delivery.deliver(deps.adapter, deps.companyId, chat, r.card, `${key}:${i}`);
    const ref = sent.messageRefs[0];
    if (sent.fresh && ref && r.requestId !== undefined) {
      await rememberCard(deps.db, { companyId: deps.companyId, requestId: r.requestId, platform: deps.adapter.platform, chatId: chat.id, recipientUserId, messageRef: ref });
    }
  }
}
