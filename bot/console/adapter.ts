import type { ChatAdapter, ChatRef, EmployeeIdentity, PlatformLimits } from '../adapter.ts';
import type { Card } from '../core/card.ts';
import type { ConsoleStore } from './store.ts';

export const BOT_NAME = '库存领航';

/** Every employee has a direct chat with the bot in the console, named by their code. */
export const directChatId = (employeeCode: string) => `dm:${employeeCode}`;

/**
 * The local console as a chat platform: sending posts into the in-memory
 * store the console page shows, updating replaces the card in place.
 */
export class ConsoleAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly limits: PlatformLimits = { maxTableRows: 30, maxTextLength: 6000, sendsPerMinute: 600 };

  constructor(private readonly store: ConsoleStore) {}

  directChat(e: EmployeeIdentity): ChatRef {
    const id = directChatId(e.code);
    if (!this.store.chat(id)) this.store.addChat({ id, kind: 'direct', name: e.code, userId: e.code });
    return { id, kind: 'direct' };
  }

  async send(_companyId: number, chat: ChatRef, card: Card): Promise<string> {
    return String(this.store.post(chat.id, { from: { kind: 'bot', name: BOT_NAME }, card }).id);
  }

  async update(_companyId: number, _chat: ChatRef, messageRef: string, card: Card): Promise<void> {
    this.store.update(Number(messageRef), card);
  }
}
