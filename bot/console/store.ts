import type { Card } from '../core/card.ts';

export interface ConsoleChat {
  id: string;
  kind: 'direct' | 'group';
  name: string;
  /** For a direct chat: the employee code the bot talks to. */
  userId?: string;
}

export interface ConsoleMessage {
  id: number;
  /** Bumped on every change (post or in-place update): clients poll with `after=<seq>`. */
  seq: number;
  chatId: string;
  from: { kind: 'user' | 'bot'; userId?: string; name: string };
  text?: string;
  card?: Card;
  at: string;
  updatedAt: string;
}

/** Most messages kept per chat: a console is for trying things, not an archive. */
const KEEP_PER_CHAT = 500;

/**
 * The console's conversations, in memory: it plays the messenger for one
 * process, so what a restart forgets a real platform would have kept.
 */
export class ConsoleStore {
  private readonly chats = new Map<string, ConsoleChat>();
  private readonly messages = new Map<string, ConsoleMessage[]>();
  private readonly byId = new Map<number, ConsoleMessage>();
  private nextId = 1;
  private seq = 0;
  private readonly waiters = new Set<() => void>();
  /** Button payloads each message has carried: a card open on another screen may still be tapped after it was redrawn. */
  private readonly offered = new Map<number, Card['buttons']>();

  addChat(chat: ConsoleChat): void {
    this.chats.set(chat.id, chat);
  }

  chat(id: string): ConsoleChat | undefined {
    return this.chats.get(id);
  }

  listChats(): ConsoleChat[] {
    return [...this.chats.values()];
  }

  post(chatId: string, m: Pick<ConsoleMessage, 'from' | 'text' | 'card'>): ConsoleMessage {
    const now = new Date().toISOString();
    const message: ConsoleMessage = { id: this.nextId++, seq: ++this.seq, chatId, ...m, at: now, updatedAt: now };
    const list = this.messages.get(chatId) ?? [];
    list.push(message);
    if (list.length > KEEP_PER_CHAT) {
      for (const old of list.splice(0, list.length - KEEP_PER_CHAT)) {
        this.byId.delete(old.id);
        this.offered.delete(old.id);
      }
    }
    this.messages.set(chatId, list);
    this.byId.set(message.id, message);
    this.offered.set(message.id, [...(m.card?.buttons ?? [])]);
    this.wake();
    return message;
  }

  update(id: number, card: Card): ConsoleMessage | undefined {
    const m = this.byId.get(id);
    if (!m) return undefined;
    m.card = card;
    this.offered.get(id)?.push(...(card.buttons ?? []));
    m.seq = ++this.seq;
    m.updatedAt = new Date().toISOString();
    this.wake();
    return m;
  }

  message(id: number): ConsoleMessage | undefined {
    return this.byId.get(id);
  }

  /** Every button the message has shown, current and earlier versions. */
  buttonsEverOn(id: number): NonNullable<Card['buttons']> {
    return this.offered.get(id) ?? [];
  }

  /** Messages of a chat posted or changed after `seq`, in change order. */
  after(chatId: string, seq: number): ConsoleMessage[] {
    return (this.messages.get(chatId) ?? []).filter((m) => m.seq > seq).sort((a, b) => a.seq - b.seq);
  }

  get cursor(): number {
    return this.seq;
  }

  /** Resolves at the next change or after `ms` (long polling). */
  waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
