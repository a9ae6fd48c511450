import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { CHAT_PLATFORMS, CHAT_TOPICS } from '../db/schema/index.ts';
import { requireScope, type Actor } from '../inventory/actor.ts';
import { NotFoundError, ValidationError } from '../inventory/errors.ts';
import { parseInput } from '../inventory/validate.ts';
import { WECOM_ROBOT_PREFIX } from './wecom/chat-ids.ts';


export const subscriptionInputSchema = z.object({
  platform: z.enum(CHAT_PLATFORMS),
  chatId: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe('The group: DingTalk openConversationId, Feishu chat_id, WeCom "robot:<webhook key>", console group id'),
  chatName: z.string().trim().min(1).max(100).optional(),
  topic: z.enum(CHAT_TOPICS),
  warehouse: z.string().trim().min(1).max(32).optional().describe('Warehouse code; every warehouse when omitted'),
  lang: z.enum(['zh', 'en']).default('zh'),
  sendAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 00:00–23:59')
    .default('08:30')
    .describe('Digest time of day, company time zone'),
});

export interface SubscriptionView {
  id: number;
  platform: string;
  chatId: string;
  chatName: string | null;
  topic: string;
  warehouse: string | null;
  lang: string;
  sendAt: string;
}

/**
 * Subscriptions an admin sets up: groups that cannot ask for themselves (a
 * WeCom group robot only receives), a group's digest time or language.
 * Creating one that exists updates its name, language and time.
 */
export async function saveSubscription(db: Database, actor: Actor, raw: unknown): Promise<SubscriptionView> {
  requireScope(actor, 'admin');
  const input = parseInput(subscriptionInputSchema, raw);
  if (input.platform === 'wecom' && !input.chatId.startsWith(WECOM_ROBOT_PREFIX)) {
    // A self-built app's messages go to people, not to ordinary groups: a group is reached through its robot.
    throw new ValidationError([{ path: 'chatId', message: `WeCom groups are reached through a group robot: "${WECOM_ROBOT_PREFIX}<webhook key>"` }]);
  }
  let warehouseId: number | null = null;
  if (input.warehouse) {
    const [w] = await db.sql<{ id: number }[]>`select id from warehouses where company_id = ${actor.companyId} and code = ${input.warehouse}`;
    if (!w) throw new NotFoundError('warehouse', input.warehouse);
    warehouseId = w.id;
  }
  const [row] = await db.sql<{ id: number }[]>`
    insert into chat_subscriptions (company_id, platform, chat_id, chat_name, topic, warehouse_id, lang, send_at, created_by)
    values (${actor.companyId}, ${input.platform}, ${input.chatId}, ${input.chatName ?? null}, ${input.topic}, ${warehouseId},
            ${input.lang}, ${input.sendAt}, ${actor.employeeId})
    on conflict on constraint chat_subscriptions_uq do update
      set chat_name = coalesce(excluded.chat_name, chat_subscriptions.chat_name), lang = excluded.lang, send_at = excluded.send_at
    returning id`;
  return (await listSubscriptions(db, actor)).find((s) => s.id === row!.id)!;
}

export async function listSubscriptions(db: Database, actor: Actor): Promise<SubscriptionView[]> {
  requireScope(actor, 'admin');
  const rows = await db.sql<{ id: number; platform: string; chat_id: string; chat_name: string | null; topic: string; warehouse: string | null; lang: string; send_at: string }[]>`
    select s.id, s.platform, s.chat_id, s.chat_name, s.topic, w.code as warehouse, s.lang, s.send_at
    from chat_subscriptions s left join warehouses w on w.id = s.warehouse_id
    where s.company_id = ${actor.companyId} order by s.id`;
  return rows.map((r) => ({ id: r.id, platform: r.platform, chatId: r.chat_id, chatName: r.chat_name, topic: r.topic, warehouse: r.warehouse, lang: r.lang, sendAt: r.send_at }));
}

export async function deleteSubscription(db: Database, actor: Actor, id: number): Promise<void> {
  requireScope(actor, 'admin');
  const rows = await db.sql`delete from chat_subscriptions where company_id = ${actor.companyId} and id = ${id} returning id`;
  if (rows.length === 0) throw new NotFoundError('subscription', String(id));
}
