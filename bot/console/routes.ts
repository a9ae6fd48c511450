import { Hono } from 'hono';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { ValidationError } from '../../inventory/errors.ts';
import { parseInput } from '../../inventory/validate.ts';
import type { Reply } from '../adapter.ts';
import type { Conversation } from '../core/conversation.ts';
import { rememberCard } from '../sent-cards.ts';
import { BOT_NAME, directChatId, type ConsoleAdapter } from './adapter.ts';
import { CONSOLE_PAGE } from './page.ts';
import type { ConsoleMessage, ConsoleStore } from './store.ts';

export interface ConsoleDeps {
  db: Database;
  companyId: number;
  conversation: Conversation;
  store: ConsoleStore;
  adapter: ConsoleAdapter;
}

/** The group chats the console starts with; more appear as people use them. */
export const CONSOLE_GROUPS = [
  { id: 'g-warehouse', name: '仓储运营群' },
  { id: 'g-managers', name: '管理层群' },
  { id: 'g-purchase', name: '采购协同群' },
] as const;

const messageSchema = z.object({
  chatId: z.string().min(1).max(100),
  userId: z.string().min(1).max(64).describe('Employee code of the persona speaking'),
  text: z.string().trim().min(1).max(2000),
  eventId: z.string().min(1).max(200).optional().describe('Platform message id; repeat it to simulate a redelivery'),
});

const actionSchema = z.object({
  messageId: z.number().int().positive(),
  userId: z.string().min(1).max(64),
  value: z.record(z.string(), z.union([z.string(), z.number()])),
  eventId: z.string().min(1).max(200).optional().describe('Tap id; repeat it to simulate a redelivery'),
});

const MAX_WAIT_MS = 25_000;
const BOT_MENTIONS = [`@${BOT_NAME}`, '@StockPilot'];

/**
 * The local console: a page that plays the messenger, and the JSON API the
 * page and the end-to-end tests use. It trusts whoever calls it (any persona
 * can speak), so it is only mounted when no platform is configured or when
 * explicitly enabled.
 */
export function consoleRoutes(deps: ConsoleDeps) {
  const { store } = deps;
  for (const g of CONSOLE_GROUPS) if (!store.chat(g.id)) store.addChat({ id: g.id, kind: 'group', name: g.name });

  const users = async () =>
    deps.db.sql<{ id: string; name: string; department: string | null; roles: string[] }[]>`
      select code as id, name, department, roles from employees where company_id = ${deps.companyId} and active order by code`;

  return new Hono()
    .get('/', (c) => c.html(CONSOLE_PAGE))
    .get('/api/users', async (c) => c.json({ users: await users() }))
    .get('/api/chats', async (c) => {
      for (const u of await users()) deps.adapter.directChat({ code: u.id, dingtalkUserId: null, feishuOpenId: null, wecomUserId: null, wechatyId: null });
      return c.json({ chats: store.listChats(), cursor: store.cursor });
    })
    .post('/api/messages', async (c) => {
      const input = parseInput(messageSchema, await c.req.json().catch(() => null));
      const chat = await chatFor(deps, input.chatId, input.userId);
      const [user] = await deps.db.sql<{ name: string }[]>`
        select name from employees where company_id = ${deps.companyId} and code = ${input.userId} and active`;
      store.post(chat.id, { from: { kind: 'user', userId: input.userId, name: user?.name ?? input.userId }, text: input.text });
      const replies = await deps.conversation.handleMessage({
        platform: 'console',
        companyId: deps.companyId,
        chat,
        senderId: input.userId,
        text: input.text,
        // Only a mention of the bot itself wakes it in a group, as on the real platforms (@张三 does not).
        mentioned: chat.kind === 'direct' || BOT_MENTIONS.some((m) => input.text.includes(m)),
        // Message ids restart with the process; event ids must not (the inbox remembers a week).
        eventId: input.eventId ?? `msg-${crypto.randomUUID()}`,
      });
      return c.json({ messages: await postReplies(deps, chat.id, input.userId, replies) });
    })
    .post('/api/actions', async (c) => {
      const input = parseInput(actionSchema, await c.req.json().catch(() => null));
      const tapped = store.message(input.messageId);
      if (!tapped?.card) throw new ValidationError([{ path: 'messageId', message: `no card message ${input.messageId}` }]);
      // Like a platform, only echo values of buttons that are really on the card.
      const button = store.buttonsEverOn(tapped.id).find((b) => sameValue(b.value, input.value));
      if (!button) throw new ValidationError([{ path: 'value', message: 'not the payload of a button on that card' }]);
      const chat = await chatFor(deps, tapped.chatId, input.userId);
      const outcome = await deps.conversation.handleTap({
        platform: 'console',
        companyId: deps.companyId,
        chat,
        senderId: input.userId,
        messageRef: String(tapped.id),
        value: button.value,
        eventId: input.eventId ?? `tap-${crypto.randomUUID()}`,
      });
      const updated = outcome.update ? store.update(tapped.id, outcome.update.card) : undefined;
      if (updated && outcome.update?.requestId !== undefined) {
        await rememberCard(deps.db, { companyId: deps.companyId, requestId: outcome.update.requestId, platform: 'console', chatId: chat.id, recipientUserId: input.userId, messageRef: String(updated.id) });
      }
      const posted = await postReplies(deps, chat.id, input.userId, outcome.replies);
      return c.json({ messages: [...(updated ? [updated] : []), ...posted] });
    })
    .get('/api/chats/:chatId/messages', async (c) => {
      const chatId = c.req.param('chatId');
      if (!store.chat(chatId)) throw new ValidationError([{ path: 'chatId', message: `no chat ${chatId}` }]);
      const after = Number(c.req.query('after') ?? '0');
      if (!Number.isInteger(after) || after < 0) throw new ValidationError([{ path: 'after', message: 'a cursor: a whole number ≥ 0' }]);
      const wait = Math.min(Number(c.req.query('wait') ?? '0') || 0, MAX_WAIT_MS);
      if (wait > 0 && store.after(chatId, after).length === 0) await store.waitForChange(wait);
      return c.json({ messages: store.after(chatId, after), cursor: store.cursor });
    });
}

async function chatFor(deps: ConsoleDeps, chatId: string, userId: string) {
  // Every employee has a direct chat with the bot, opened on first use.
  if (!deps.store.chat(chatId) && chatId === directChatId(userId)) {
    const [known] = await deps.db.sql`select 1 from employees where company_id = ${deps.companyId} and code = ${userId} and active`;
    if (known) deps.adapter.directChat({ code: userId, dingtalkUserId: null, feishuOpenId: null, wecomUserId: null, wechatyId: null });
  }
  const chat = deps.store.chat(chatId);
  if (!chat) throw new ValidationError([{ path: 'chatId', message: `no chat ${chatId}; GET /console/api/chats lists them` }]);
  if (chat.kind === 'direct' && chatId !== directChatId(userId)) {
    throw new ValidationError([{ path: 'userId', message: `${chatId} is the direct chat of ${chat.userId}, not of ${userId}` }]);
  }
  return { id: chat.id, kind: chat.kind, name: chat.name };
}

/** Posts the bot's replies; a reply about a request is remembered so later decisions redraw it. */
async function postReplies(deps: ConsoleDeps, chatId: string, userCode: string, replies: Reply[]): Promise<ConsoleMessage[]> {
  const out: ConsoleMessage[] = [];
  for (const r of replies) {
    const m = deps.store.post(chatId, { from: { kind: 'bot', name: BOT_NAME }, card: r.card });
    out.push(m);
    if (r.requestId !== undefined) {
      await rememberCard(deps.db, { companyId: deps.companyId, requestId: r.requestId, platform: 'console', chatId, recipientUserId: userCode, messageRef: String(m.id) });
    }
  }
  return out;
}


function sameValue(a: Record<string, string | number>, b: Record<string, string | number>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => String(a[k]) === String(b[k]));
}
