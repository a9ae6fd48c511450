import type { Database } from '../db/client.ts';
import type { ChatAdapter, Platform } from './adapter.ts';
import type { Card } from './core/card.ts';
import type { Lang } from './core/words.ts';
import type { DeliveryService } from './delivery.ts';

export interface Subscriber {
  platform: Platform;
  chatId: string;
  chatName: string | null;
  lang: Lang;
  /** Null: every warehouse. */
  warehouseId: number | null;
}

export interface Published {
  /** Groups that received it now. */
  sent: number;
  /** Groups that had it already (the same key published before). */
  already: number;
  /** Groups whose platform refused it after retries (left in chat_deliveries as failed). */
  failed: { chatId: string; error: string }[];
}

/**
 * Sends what a group subscribed to (订阅日报 / 订阅预警): one card per
 * subscribed group, in the group's language, for the group's warehouse, each
 * under `${key}:${group}` so that publishing twice (a schedule firing twice,
 * a retried workflow) posts once. One group's failing platform does not stop
 * the others.
 */
export async function publishToSubscribers(
  deps: { db: Database; delivery: DeliveryService; adapters: () => readonly ChatAdapter[] },
  msg: {
    companyId: number;
    topic: 'digest' | 'alerts';
    key: string;
    build: (s: Subscriber) => Promise<Card | null> | Card | null;
    warehouseId?: number | null;
    /** Only groups whose send time (HH:MM, company time) is at or before this. */
    dueBy?: string;
  },
): Promise<Published> {
  // Groups that have it already are counted without building their card again.
  const rows = await deps.db.sql<{ platform: Platform; chat_id: string; chat_name: string | null; lang: Lang; warehouse_id: number | null; delivered: boolean }[]>`
    select platform, chat_id, chat_name, lang, warehouse_id,
      exists (select 1 from chat_deliveries d where d.company_id = s.company_id and d.status = 'sent'
                and d.delivery_key = ${msg.key} || ':' || s.platform || ':' || s.chat_id) as delivered
    from chat_subscriptions s
    where company_id = ${msg.companyId} and topic = ${msg.topic}
      and (${msg.warehouseId ?? null}::bigint is null or warehouse_id is null or warehouse_id = ${msg.warehouseId ?? null})
      and (${msg.dueBy ?? null}::text is null or send_at <= ${msg.dueBy ?? null})
    order by id`;
  const adapters = new Map(deps.adapters().map((a) => [a.platform, a]));
  const out: Published = { sent: 0, already: 0, failed: [] };
  for (const r of rows) {
    const adapter = adapters.get(r.platform);
    if (!adapter) continue;
    if (r.delivered) {
      out.already++;
      continue;
    }
    const subscriber: Subscriber = { platform: r.platform, chatId: r.chat_id, chatName: r.chat_name, lang: r.lang, warehouseId: r.warehouse_id };
    const card = await msg.build(subscriber);
    if (!card) continue;
    try {
      const done = await deps.delivery.deliver(adapter, msg.companyId, { id: r.chat_id, kind: 'group' }, card, `${msg.key}:${r.platform}:${r.chat_id}`, r.lang);
      if (done.fresh) out.sent++;
      else out.already++;
    } catch (err) {
      out.failed.push({ chatId: r.chat_id, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
