import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardToText } from '../bot/core/card.ts';
import { createChat } from '../app/chat.ts';
import { publishToSubscribers } from '../bot/group-delivery.ts';
import type { Database } from '../db/client.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { fulfilRequest } from '../inventory/requests/actions.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { eventually } from './support/approvals.ts';
import { consoleClient, startChatApp, type ChatApp, type ConsoleMessageJson } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';

let db: Database;
let app: ChatApp;
let api: ReturnType<typeof consoleClient>;

beforeAll(async () => {
  db = await freshDatabase();
  app = await startChatApp(db);
  api = consoleClient(app.base);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

const seen = (m: ConsoleMessageJson): SeenCard => ({
  ref: String(m.id),
  title: m.card?.title ?? '',
  text: m.card ? cardToText(m.card) : (m.text ?? ''),
  buttons: (m.card?.buttons ?? []).map((b) => ({ label: b.label, value: b.value })),
});

const botCards = (messages: ConsoleMessageJson[]) => messages.filter((m) => m.from.kind === 'bot' && m.card).map(seen);

/** Current state of a chat: later versions of a message replace earlier ones. */
async function chatState(chatId: string): Promise<ConsoleMessageJson[]> {
  const { body } = await api.since(chatId, 0);
  const byId = new Map<number, ConsoleMessageJson>();
  for (const m of body.messages) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

describe('the local console passes the adapter contract', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      say: async (person, text, opts) => botCards((await api.say(`dm:${person}`, person, text, opts?.eventId)).body.messages),
      tap: async (person, card, label, opts) => {
        const button = card.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no button ${label} on ${card.title}`);
        const res = await api.tap(Number(card.ref), person, button.value, opts?.eventId);
        if (res.status !== 200) throw new Error(`tap refused: ${JSON.stringify(res.body)}`);
        return botCards(res.body.messages);
      },
      inbox: async (person) => botCards(await chatState(`dm:${person}`)),
      sayAsStranger: async () => {
        // The console speaks for employees by code; a code nobody has is a stranger.
        await api.call('GET', '/chats');
        return botCards((await api.say('g-warehouse', 'NOBODY', '@库存领航 A-1001还有多少')).body.messages);
      },
    }),
  );
});

describe('console API', () => {
  it('lists users and chats', async () => {
    const users = await api.call<{ users: { id: string; name: string }[] }>('GET', '/users');
    expect(users.body.users.map((u) => u.id)).toEqual(expect.arrayContaining(['KEEP', 'WM', 'DIR']));
    const chats = await api.call<{ chats: { id: string; kind: string }[] }>('GET', '/chats');
    expect(chats.body.chats).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'g-warehouse', kind: 'group' }), expect.objectContaining({ id: 'dm:KEEP', kind: 'direct' })]));
  });

  it('refuses bad input clearly and posts nothing', async () => {
    const before = (await chatState('dm:KEEP')).length;
    const empty = await api.call<{ error: { code: string; details: { issues: { path: string }[] } } }>('POST', '/messages', { chatId: 'dm:KEEP', userId: 'KEEP', text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues[0]?.path).toBe('text');
    const foreign = await api.say('dm:KEEP', 'WM', '我的待办');
    expect(foreign.status).toBe(400);
    const forged = await api.tap(1, 'KEEP', { act: 'approve', req: 1 });
    expect(forged.status).toBe(400);
    expect((await chatState('dm:KEEP')).length).toBe(before);
  });

  it('still answers after a restart (a new console starts its message ids again)', async () => {
    await api.say('dm:SALES', 'SALES', 'A-1001还有多少');
    const restarted = createChat({ ...app.deps, publicUrl: 'http://stockpilot.test', consoleCompanyId: app.co.admin.companyId });
    const res = await restarted.console?.routes.request('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatId: 'dm:SALES', userId: 'SALES', text: 'A-1001还有多少' }),
    });
    const body = (await res?.json()) as { messages: ConsoleMessageJson[] };
    expect(body.messages.map((m) => [m.id, m.card?.title])).toEqual([[2, '螺丝M6 A-1001']]);
  });

  it('answers in a group only when the bot is mentioned', async () => {
    const quiet = await api.say('g-warehouse', 'KEEP', 'A-1001还有多少');
    expect(botCards(quiet.body.messages)).toHaveLength(0);
    const someoneElse = await api.say('g-warehouse', 'KEEP', '@张三 A-1001还有多少');
    expect(botCards(someoneElse.body.messages)).toHaveLength(0);
    const asked = await api.say('g-warehouse', 'KEEP', '@库存领航 A-1001还有多少');
    expect(botCards(asked.body.messages)[0]?.title).toContain('A-1001');
  });
});

describe('what each person may see', () => {
  it('shows only the warehouses in the asker’s scope', async () => {
    const [keep] = botCards((await api.say('dm:KEEP', 'KEEP', 'A-1001还有多少')).body.messages);
    expect(keep?.text).toContain('上海仓');
    expect(keep?.text).not.toContain('苏州仓');
    const [dir] = botCards((await api.say('dm:DIR', 'DIR', 'A-1001还有多少')).body.messages);
    expect(dir?.text).toContain('苏州仓');
    const [out] = botCards((await api.say('dm:KEEP', 'KEEP', '苏州仓 A-1001 库存')).body.messages);
    expect(out?.title).toBe('你没有查看SZ的权限');
  });

  it('shows cost and value only to roles allowed to see them', async () => {
    const [keep] = botCards((await api.say('dm:KEEP', 'KEEP', 'A-1001')).body.messages);
    expect(keep?.text).not.toMatch(/单位成本|库存金额|¥/);
    const [fin] = botCards((await api.say('dm:FIN', 'FIN', 'A-1001')).body.messages);
    expect(fin?.text).toContain('单位成本: ¥0.12');
  });

  it('answers an ambiguous name with a pick list, never a guess', async () => {
    const [pick] = botCards((await api.say('dm:WM', 'WM', '螺丝 库存')).body.messages);
    expect(pick?.buttons.map((b) => b.label)).toEqual(['螺丝M6 A-1001', '螺丝M8 A-1002']);
    const after = await api.tap(Number(pick?.ref), 'WM', pick?.buttons[1]?.value ?? {});
    expect(botCards(after.body.messages)[0]?.title).toBe('螺丝M8 A-1002');
  });

  it('finds an item by its name in any word order, and by pinyin initials', async () => {
    const [ordered] = botCards((await api.say('dm:WM', 'WM', 'M6螺丝上海仓还有多少?')).body.messages);
    expect(ordered?.title).toBe('螺丝M6 A-1001');
    expect(ordered?.text).toContain('上海仓 |');
    expect(ordered?.text).not.toContain('苏州仓 |');
    const [initials] = botCards((await api.say('dm:WM', 'WM', 'lsm6')).body.messages);
    expect(initials?.title).toBe('螺丝M6 A-1001');
    const [barcode] = botCards((await api.say('dm:WM', 'WM', '6901234567001')).body.messages);
    expect(barcode?.title).toBe('螺丝M6 A-1001');
  });

  it('says when nothing matches and suggests close matches', async () => {
    const [none] = botCards((await api.say('dm:WM', 'WM', '螺丝M7还有多少')).body.messages);
    expect(none?.title).toBe('没有找到物料「螺丝M7」');
    expect(none?.buttons.map((b) => b.label)).toEqual(expect.arrayContaining(['螺丝M6 A-1001']));
  });

  it('says how long the stock lasts at the last 30 days’ outbound rate', async () => {
    const admin = app.co.admin;
    await item(db, admin, { code: 'C-3001', name: '平垫圈', spec: 'M6', unit: '个', unitCost: '0.05' });
    const [quiet] = botCards((await api.say('dm:WM', 'WM', 'C-3001')).body.messages);
    expect(quiet?.text).toContain('可供天数: 近30天无出库');
    await postMovement(db, admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'C-3001', qty: 100 }], idempotencyKey: idem() });
    await postMovement(db, admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'C-3001', qty: 60 }], idempotencyKey: idem() });
    const [busy] = botCards((await api.say('dm:WM', 'WM', 'C-3001')).body.messages);
    expect(busy?.text).toContain('可供天数: 约 20 天（近30天日均出库 2 个）');
    // An average reads as a person would write it, not to the sixth decimal.
    await postMovement(db, admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'C-3001', qty: 5 }], idempotencyKey: idem() });
    const [more] = botCards((await api.say('dm:WM', 'WM', 'C-3001')).body.messages);
    expect(more?.text).toContain('可供天数: 约 16 天（近30天日均出库 2.2 个）');
  });

  it('answers in English when asked in English', async () => {
    const [en] = botCards((await api.say('dm:WM', 'WM', 'stock of A-1001')).body.messages);
    expect(en?.text).toContain('Available');
  });
});

describe('end to end through the console', () => {
  it('ask stock → request outbound → approver taps approve → shipped → the stock answer changes', async () => {
    const ask = async () => botCards((await api.say('dm:KEEP', 'KEEP', 'A-1001 上海仓还有多少')).body.messages)[0];
    const before = await ask();
    expect(before?.text).toContain('可用: 500 个');

    const [confirm] = botCards((await api.say('dm:KEEP', 'KEEP', '申请出库 A-1001 5 个 上海仓 用途 样品')).body.messages);
    const submitted = botCards((await api.tap(Number(confirm?.ref), 'KEEP', confirm?.buttons[0]?.value ?? {})).body.messages)[0];
    const no = submitted?.title.split(' ')[1] ?? '';
    expect(submitted?.title).toBe(`出库申请 ${no}`);

    const held = await ask();
    expect(held?.text).toContain('可用: 495 个');
    expect(held?.text).toContain(`5 个 已为 ${no} 预占`);

    const task = await eventually(
      async () => botCards(await chatState('dm:WM')).find((c) => c.title === `出库申请 ${no}` && c.buttons.length > 0),
      (c) => c !== undefined,
    );
    expect(task?.text).toContain('螺丝M6 A-1001 | 5 个');
    const approve = task?.buttons.find((b) => b.label === '同意');
    await api.tap(Number(task?.ref), 'WM', approve?.value ?? {});
    const [row] = await eventually(
      () => db.sql<{ id: number; status: string }[]>`select id, status from requests where request_no = ${no}`,
      (rows) => rows[0]?.status === 'approved',
    );
    expect(row?.status).toBe('approved');

    // The requester hears the outcome in their chat.
    const told = await eventually(
      async () => botCards(await chatState('dm:KEEP')).find((c) => c.title === `出库申请 ${no}` && c.text.includes('已通过')),
      (c) => c !== undefined,
    );
    expect(told).toBeDefined();

    // Warehouse staff ship it (the pick/check/ship steps belong to the mini-app); the ledger moves.
    for (const stage of ['accept', 'pick', 'check', 'ship'] as const) {
      await fulfilRequest(app.deps, app.co.as('KEEP'), row?.id ?? 0, { stage, clickId: `e2e-${stage}` });
    }
    const after = await eventually(ask, (c) => c?.text.includes('现有: 495 个') ?? false);
    expect(after?.text).toContain('现有: 495 个');
    expect(after?.text).toContain('可用: 495 个');
  });
});

describe('group delivery', () => {
  it('groups subscribe by asking; what is published reaches each subscribed group once, in its language', async () => {
    const sub = async (chat: string, text: string) => botCards((await api.say(chat, 'WM', text)).body.messages)[0]?.title;
    expect(await sub('g-warehouse', '@库存领航 订阅预警 上海仓')).toBe('本群已订阅库存预警（上海仓）');
    expect(await sub('g-warehouse', '@库存领航 订阅预警 上海仓')).toBe('本群已经订阅过库存预警（上海仓）');
    expect(await sub('g-managers', '@StockPilot subscribe alerts')).toBe('This group now receives the stock alerts (all warehouses)');
    expect(await sub('g-purchase', '@库存领航 订阅日报')).toBe('本群已订阅库存日报（全部仓库）');
    expect(botCards((await api.say('dm:WM', 'WM', '订阅预警')).body.messages)[0]?.title).toBe('订阅只能在群聊中进行：在群里 @我 发送「订阅日报」');

    const [sh] = await db.sql<{ id: number }[]>`select id from warehouses where company_id = ${app.co.admin.companyId} and code = 'SH'`;
    const chat = app.chat;
    const publish = () =>
      publishToSubscribers(
        { db, delivery: chat.delivery, adapters: () => chat.adapters },
        {
          companyId: app.co.admin.companyId,
          topic: 'alerts',
          key: 'shortage:A-1001:2026-11-24',
          warehouseId: sh?.id ?? null,
          build: (s) => ({ title: s.lang === 'zh' ? '缺货预警：螺丝M6' : 'Shortage: 螺丝M6', tone: 'warning' }),
        },
      );
    expect(await publish()).toEqual({ sent: 2, already: 0, failed: [] });
    expect(await publish()).toEqual({ sent: 0, already: 2, failed: [] });
    const titles = async (chatId: string) => botCards(await chatState(chatId)).map((c) => c.title).filter((t) => t.includes('螺丝M6') && !t.startsWith('螺丝'));
    expect(await titles('g-warehouse')).toEqual(['缺货预警：螺丝M6']);
    expect(await titles('g-managers')).toEqual(['Shortage: 螺丝M6']);
    expect(await titles('g-purchase')).toEqual([]);

    expect(await sub('g-managers', '@StockPilot unsubscribe alerts')).toBe('This group no longer receives the stock alerts (all warehouses)');
    const next = await publishToSubscribers(
      { db, delivery: chat.delivery, adapters: () => chat.adapters },
      { companyId: app.co.admin.companyId, topic: 'alerts', key: 'shortage:A-1001:2026-11-25', build: () => ({ title: '缺货预警：螺丝M6' }) },
    );
    expect(next).toEqual({ sent: 1, already: 0, failed: [] });
  });
});
