import type { Card } from '../card.ts';
import type { Topic } from '../intent.ts';
import { nameOf, say } from '../words.ts';
import type { Turn } from './turn.ts';

/**
 * 订阅日报 / 订阅预警 [仓库] in a group: the group receives that topic for the
 * warehouse (or all the subscriber may see), in the language it asked in.
 */
export async function subscribe(turn: Turn, topic: Topic, warehouse: string | null): Promise<Card> {
  const target = checkTarget(turn, warehouse);
  if ('refusal' in target) return target.refusal;
  const [row] = await turn.deps.db.sql`
    insert into chat_subscriptions (company_id, platform, chat_id, chat_name, topic, warehouse_id, lang, created_by)
    values (${turn.user.companyId}, ${turn.platform}, ${turn.chat.id}, ${turn.chat.name ?? null}, ${topic}, ${target.id},
            ${turn.lang}, ${turn.user.employeeId})
    on conflict on constraint chat_subscriptions_uq do nothing
    returning id`;
  return { title: say(turn.lang, row ? 'subscribed' : 'alreadySubscribed', words(turn, topic, warehouse)), tone: 'success' };
}

export async function unsubscribe(turn: Turn, topic: Topic, warehouse: string | null): Promise<Card> {
  const target = checkTarget(turn, warehouse);
  if ('refusal' in target) return target.refusal;
  const rows = await turn.deps.db.sql`
    delete from chat_subscriptions
    where company_id = ${turn.user.companyId} and platform = ${turn.platform} and chat_id = ${turn.chat.id} and topic = ${topic}
      and warehouse_id is not distinct from ${target.id}
    returning id`;
  return { title: say(turn.lang, rows.length ? 'unsubscribed' : 'notSubscribed', words(turn, topic, warehouse)) };
}

function checkTarget(turn: Turn, warehouse: string | null): { id: number | null } | { refusal: Card } {
  if (turn.chat.kind !== 'group') return { refusal: { title: say(turn.lang, 'groupOnly'), tone: 'warning' } };
  if (warehouse === null) return { id: null };
  const w = turn.visible.find((v) => v.code === warehouse);
  if (!w) return { refusal: { title: say(turn.lang, 'warehouseOutOfScope', { warehouse }), tone: 'warning' } };
  return { id: w.id };
}

const words = (turn: Turn, topic: Topic, warehouse: string | null) => ({
  topic: nameOf(turn.lang, topic),
  scope: warehouse === null ? say(turn.lang, 'scopeAll') : say(turn.lang, 'scopeOne', { warehouse: turn.visible.find((w) => w.code === warehouse)?.name ?? warehouse }),
});
