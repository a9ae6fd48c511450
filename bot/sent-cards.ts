import type { Database } from '../db/client.ts';
import type { Platform } from './adapter.ts';
import { findChatUser } from './core/people.ts';

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
