import type { ChatRef } from '../adapter.ts';
import { postReplies, rememberCard, type ChatEventDeps } from '../sent-cards.ts';

/** Handling an event needs the same whichever transport (webhook, stream, long connection) brought it. */
export type DingTalkEventDeps = ChatEventDeps;

export interface RobotMessage {
  msgId: string;
  msgtype: string;
  text?: { content: string };
  content?: { recognition?: string };
  conversationId: string;
  conversationType: '1' | '2';
  senderStaffId?: string;
  isInAtList?: boolean;
}

export interface CardCallback {
  outTrackId: string;
  userId: string;
  content: string;
}

export async function onRobotMessage(deps: DingTalkEventDeps, m: RobotMessage): Promise<void> {
  const sender = m.senderStaffId;
  const text = m.msgtype === 'text' ? m.text?.content : m.msgtype === 'audio' ? m.content?.recognition : undefined;
  if (!sender || !text) return;
  const direct = m.conversationType === '1';
  // One-to-one replies go to the person (the robot's direct chat), group replies to the group.
  const chat: ChatRef = direct ? { id: sender, kind: 'direct' } : { id: m.conversationId, kind: 'group' };
  const replies = await deps.conversation.handleMessage({
    platform: 'dingtalk',
    companyId: deps.companyId,
    chat,
    senderId: sender,
    text,
    // In groups DingTalk pushes only messages that @ the robot.
    mentioned: direct || m.isInAtList !== false,
    eventId: m.msgId,
  });
  await postReplies(deps, chat, replies, `reply:${m.msgId}`, sender);
}

export async function onCardCallback(deps: DingTalkEventDeps, callbackId: string, c: CardCallback): Promise<void> {
  const params = (JSON.parse(c.content) as { cardPrivateData?: { params?: { value?: string } } }).cardPrivateData?.params;
  let value: unknown = null;
  try {
    value = params?.value ? JSON.parse(params.value) : null;
  } catch {
    value = null; // answered as "this button no longer works"
  }
  const chat: ChatRef = { id: c.userId, kind: 'direct' };
  const outcome = await deps.conversation.handleTap({
    platform: 'dingtalk',
    companyId: deps.companyId,
    chat,
    senderId: c.userId,
    messageRef: c.outTrackId,
    value,
    eventId: callbackId,
  });
  if (outcome.update) {
    await deps.adapter.update(deps.companyId, chat, c.outTrackId, outcome.update.card);
    if (outcome.update.requestId !== undefined) {
      await rememberCard(deps.db, { companyId: deps.companyId, requestId: outcome.update.requestId, platform: 'dingtalk', chatId: chat.id, recipientUserId: c.userId, messageRef: c.outTrackId });
    }
  }
  await postReplies(deps, chat, outcome.replies, `reply:${callbackId}`, c.userId);
}
