import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, ref, updatedAt } from './columns.ts';
import { companies } from './companies.ts';
import { employees } from './employees.ts';
import { requests } from './requests.ts';
import { warehouses } from './warehouses.ts';

export const CHAT_PLATFORMS = ['console', 'dingtalk', 'feishu', 'wecom', 'wechaty'] as const;
export const CHAT_TOPICS = ['digest', 'alerts'] as const;

/**
 * A group chat that asked for digests or alerts (订阅日报 / 订阅预警). `warehouseId`
 * null = every warehouse; the group's language is the language it subscribed in.
 */
export const chatSubscriptions = pgTable(
  'chat_subscriptions',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    platform: text('platform', { enum: CHAT_PLATFORMS }).notNull(),
    chatId: text('chat_id').notNull(),
    chatName: text('chat_name'),
    topic: text('topic', { enum: CHAT_TOPICS }).notNull(),
    warehouseId: ref('warehouse_id').references(() => warehouses.id),
    lang: text('lang', { enum: ['zh', 'en'] }).notNull().default('zh'),
    /** Local time of day the digest is due, HH:MM in the company's time zone. */
    sendAt: text('send_at').notNull().default('08:30'),
    createdBy: ref('created_by').references(() => employees.id),
    createdAt: createdAt(),
  },
  (t) => [unique('chat_subscriptions_uq').on(t.companyId, t.platform, t.chatId, t.topic, t.warehouseId).nullsNotDistinct()],
);

/**
 * Every card sent about a request (to an approver, the requester, a group), so
 * that a decision can update all of them in place.
 */
export const chatCards = pgTable(
  'chat_cards',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    requestId: ref('request_id').notNull().references(() => requests.id),
    platform: text('platform', { enum: CHAT_PLATFORMS }).notNull(),
    chatId: text('chat_id').notNull(),
    /** The employee the card was built for: buttons and figures depend on who looks. */
    recipientId: ref('recipient_id').references(() => employees.id),
    /** The platform's handle for the sent message (message id, card instance id …). */
    messageRef: text('message_ref').notNull(),
    lang: text('lang', { enum: ['zh', 'en'] }).notNull().default('zh'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('chat_cards_request_idx').on(t.requestId), unique('chat_cards_message_uq').on(t.platform, t.messageRef)],
);

/**
 * Outgoing messages by idempotency key: a retried send (a replayed activity, a
 * schedule firing twice) finds its key here and posts nothing twice.
 */
export const chatDeliveries = pgTable(
  'chat_deliveries',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    deliveryKey: text('delivery_key').notNull(),
    platform: text('platform', { enum: CHAT_PLATFORMS }).notNull(),
    target: text('target').notNull(),
    status: text('status', { enum: ['sending', 'sent', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    messageRefs: text('message_refs').array().notNull().default([]),
    lastError: jsonb('last_error'),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [unique('chat_deliveries_key_uq').on(t.companyId, t.deliveryKey)],
);

/**
 * Incoming platform events already acted on: platforms redeliver messages and
 * taps (timeouts, reconnects), and each must be acted on once.
 */
export const chatInbox = pgTable(
  'chat_inbox',
  {
    platform: text('platform', { enum: CHAT_PLATFORMS }).notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.eventId] }), index('chat_inbox_received_idx').on(t.receivedAt)],
);
