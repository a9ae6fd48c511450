import type { Message, Wechaty } from 'wechaty';
import type { Database } from '../../db/client.ts';
import type { ChatAdapter, ChatRef, EmployeeIdentity, PlatformLimits } from '../adapter.ts';
import { Background } from '../background.ts';
import type { ActionValue, Card } from '../core/card.ts';
import type { Conversation } from '../core/conversation.ts';
import type { DeliveryService } from '../delivery.ts';
import { postReplies } from '../sent-cards.ts';

/**
 * WeChat has no cards: a card is text, its buttons numbered choices
 * ("[1] 同意  [2] 拒绝"); replying with the number taps the button.
 */
export function cardAsText(card: Card): string {
  const lines = [`【${card.title}】`];
  if (card.subtitle) lines.push(card.subtitle);
  for (const f of card.fields ?? []) lines.push(`${f.label}: ${f.value}`);
  if (card.table?.rows.length) lines.push(card.table.columns.join(' | '), ...card.table.rows.map((r) => r.join(' | ')));
  for (const n of card.notes ?? []) lines.push(`· ${n}`);
  if (card.buttons?.length) lines.push(card.buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('  '));
  if (card.link) lines.push(`${card.link.label}: ${card.link.url}`);
  return lines.join('\n');
}

export interface WechatyDeps {
  db: Database;
  companyId: number;
  conversation: Conversation;
  delivery: DeliveryService;
  log?: (message: string, err?: unknown) => void;
}

/**
 * Teams that run Wechaty (the puppet, and so WeChat or WeCom account, is
 * their configuration): messages in, text out. Sent messages cannot be
 * edited, so a tapped card's new state is sent as a new message; other
 * people's copies stay as they were.
 */
export class WechatyAdapter implements ChatAdapter {
  readonly platform = 'wechaty' as const;
  readonly limits: PlatformLimits = { maxTableRows: 20, maxTextLength: 2_000, sendsPerMinute: 20 };
  /** The latest card with choices per conversation: what a bare number answers. */
  private readonly choices = new Map<string, { ref: string; values: ActionValue[] }>();
  private readonly background: Background;

  constructor(
    private readonly bot: Wechaty,
    private readonly deps: WechatyDeps,
  ) {
    this.background = new Background('wechaty message', deps.log);
    bot.on('message', (m: Message) => {
      if (!m.self()) this.background.run(() => this.onMessage(m));
    });
  }

  directChat(e: EmployeeIdentity): ChatRef | null {
    return e.wechatyId ? { id: e.wechatyId, kind: 'direct' } : null;
  }

  async send(_companyId: number, chat: ChatRef, card: Card): Promise<string> {
    const target = chat.kind === 'group' ? await this.bot.Room.find({ id: chat.id }) : await this.bot.Contact.find({ id: chat.id });
    if (!target) throw new Error(`Wechaty: no ${chat.kind === 'group' ? 'room' : 'contact'} ${chat.id}`);
    const sent = await target.say(cardAsText(card));
    const ref = (sent && typeof sent === 'object' && 'id' in sent ? String(sent.id) : null) ?? `wx-${Date.now()}-${Math.random()}`;
    if (card.buttons?.length) this.choices.set(chat.id, { ref, values: card.buttons.map((b) => b.value) });
    return ref;
  }

  /** Sent WeChat messages cannot change; see the class comment. */
  async update(): Promise<void> {}

  async start(): Promise<void> {
    await this.bot.start();
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.background.idle();
  }

  idle(): Promise<void> {
    return this.background.idle();
  }

  private async onMessage(m: Message): Promise<void> {
    const room = m.room();
    const talker = m.talker();
    const chat: ChatRef = room ? { id: room.id, kind: 'group' } : { id: talker.id, kind: 'direct' };
    const text = room ? await m.mentionText() : m.text();
    const base = { platform: 'wechaty' as const, companyId: this.deps.companyId, chat, senderId: talker.id, eventId: m.id };
    const pick = /^\s*(\d{1,2})\s*$/.exec(text);
    const choice = pick ? this.choices.get(chat.id) : undefined;
    const value = choice && pick ? choice.values[Number(pick[1]) - 1] : undefined;
    const deps = { ...this.deps, adapter: this as ChatAdapter };
    if (choice && value) {
      const outcome = await this.deps.conversation.handleTap({ ...base, messageRef: choice.ref, value });
      const replies = outcome.update ? [outcome.update, ...outcome.replies] : outcome.replies;
      await postReplies(deps, chat, replies, `reply:${m.id}`, talker.id);
      return;
    }
    const replies = await this.deps.conversation.handleMessage({ ...base, text, mentioned: !room || (await m.mentionSelf()) });
    await postReplies(deps, chat, replies, `reply:${m.id}`, talker.id);
  }
}
