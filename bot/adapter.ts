import type { Card } from './core/card.ts';

export type Platform = 'console' | 'dingtalk' | 'feishu' | 'wecom' | 'wechaty';

export interface ChatRef {
  /** The platform's id of the conversation (DingTalk openConversationId, Feishu chat_id, console chat id …). */
  id: string;
  kind: 'direct' | 'group';
  name?: string;
}

/** A message someone typed, as an adapter hands it to the core. */
export interface IncomingMessage {
  platform: Platform;
  companyId: number;
  chat: ChatRef;
  /** The sender's platform user id (DingTalk senderStaffId, Feishu open_id, WeCom userid …). */
  senderId: string;
  /** Other ids of the same person an employee may be bound by (Feishu union_id). */
  senderAliases?: readonly string[];
  text: string;
  /** In a group the bot answers only when @-mentioned. */
  mentioned: boolean;
  /** The platform's message id: a redelivery carries the same one and is acted on once. */
  eventId: string;
}

/** A button tap on a card the bot sent. */
export interface IncomingTap {
  platform: Platform;
  companyId: number;
  chat: ChatRef;
  senderId: string;
  senderAliases?: readonly string[];
  /** The tapped message, as the platform names it. */
  messageRef: string;
  /** The button's action payload, as the platform echoed it (untrusted). */
  value: unknown;
  eventId: string;
}

/** What the bot says: cards, each optionally about a request (so later decisions update it in place). */
export interface Reply {
  card: Card;
  requestId?: number;
}

export interface TapOutcome {
  /** New messages to post in the conversation. */
  replies: Reply[];
  /** The tapped card's new content, when the tap changed it (with its request, if it now shows one). */
  update?: Reply;
}

/** How much a platform's message may hold; cards are trimmed or split to fit. */
export interface PlatformLimits {
  maxTableRows: number;
  maxTextLength: number;
  /** Sends per minute to one conversation before the platform throttles. */
  sendsPerMinute: number;
}

/** The identities an employee has; an adapter picks the one for its platform. */
export interface EmployeeIdentity {
  code: string;
  dingtalkUserId: string | null;
  feishuOpenId: string | null;
  wecomUserId: string | null;
  wechatyId: string | null;
}

/**
 * What every platform adapter implements for the outgoing side; the incoming
 * side calls the conversation core (`handleMessage`, `handleTap`) and renders
 * what comes back. The contract suite in test/support/adapter-contract.ts
 * holds every adapter to the same behaviour.
 */
export interface ChatAdapter {
  readonly platform: Platform;
  readonly limits: PlatformLimits;
  /** The direct conversation with an employee, or null when they have no identity on this platform. */
  directChat(e: EmployeeIdentity): ChatRef | null;
  /** Posts a card; answers the platform's message ref. */
  send(companyId: number, chat: ChatRef, card: Card, idempotencyKey: string): Promise<string>;
  /** Replaces a card already sent (approved by whom, when). */
  update(companyId: number, chat: ChatRef, messageRef: string, card: Card): Promise<void>;
}

/** A platform answered with an error worth retrying (429, 5xx, a timeout). */
export class TransientSendError extends Error {
  readonly code = 'CHAT_SEND_TRANSIENT';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
