import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeComSmartBot, WeComSmartBotError } from '../bot/wecom/smart-bot.ts';
import type { Database } from '../db/client.ts';
import { eventually } from './support/approvals.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { FAKE_AIBOT, FakeWeComSmartBotGateway } from './support/fake-wecom-aibot.ts';

let db: Database;
let gateway: FakeWeComSmartBotGateway;
let app: ChatApp;

beforeAll(async () => {
  db = await freshDatabase();
  gateway = new FakeWeComSmartBotGateway();
  const wsUrl = await gateway.start();
  app = await startChatApp(db, { wecomSmartBot: { ...FAKE_AIBOT, wsUrl } });
  await eventually(async () => gateway.connected, (c) => c, 50);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await gateway?.stop();
});

const userId = (person: string) => `wx_${person.toLowerCase()}`;
const repliesIn = (chatid: string, after: number) => eventually(async () => gateway.sent.slice(after).filter((s) => s.chatid === chatid), (s) => s.length > 0);

describe('the WeCom smart bot (智能机器人)', () => {
  it('answers a question @-asked in an ordinary group, in that group, as markdown', async () => {
    const before = gateway.sent.length;
    gateway.pushText(userId('WM'), '@库存领航 A-1001还有多少', { chatid: 'wrkSFfCgAAgroup1' });
    const [reply] = await repliesIn('wrkSFfCgAAgroup1', before);
    expect(reply?.content).toContain('螺丝M6 A-1001');
    expect(reply?.content).toContain('**可用**：620 个');
  });

  it('lets a group subscribe to the digest by asking, and delivers it there', async () => {
    let before = gateway.sent.length;
    gateway.pushText(userId('WM'), '@库存领航 订阅日报', { chatid: 'wrkSFfCgAAgroup2' });
    expect((await repliesIn('wrkSFfCgAAgroup2', before))[0]?.content).toContain('本群已订阅库存日报（全部仓库）');
    await db.sql`update chat_subscriptions set send_at = '00:00' where chat_id = 'aibot:wrkSFfCgAAgroup2'`;
    before = gateway.sent.length;
    expect(await app.chat.reports.publishDueDigests(app.co.admin.companyId)).toMatchObject({ sent: 1, failed: [] });
    expect((await repliesIn('wrkSFfCgAAgroup2', before))[0]?.content).toContain('每日库存日报');
  });

  it('acts once on a message WeCom pushes twice, and tells a stranger to get bound', async () => {
    const before = gateway.sent.length;
    gateway.pushText(userId('WM'), '我的待办', { msgid: 'dup-1' });
    gateway.pushText(userId('WM'), '我的待办', { msgid: 'dup-1' });
    await repliesIn(userId('WM'), before);
    await new Promise((r) => setTimeout(r, 300));
    expect(gateway.sent.slice(before).filter((s) => s.chatid === userId('WM'))).toHaveLength(1);

    const mark = gateway.sent.length;
    gateway.pushText('wx_stranger', 'A-1001还有多少');
    expect((await repliesIn('wx_stranger', mark))[0]?.content).toContain('账号未绑定');
  });

  it('refuses to start with a wrong secret, with a clear error', async () => {
    const bot = new WeComSmartBot({
      db,
      companyId: app.co.admin.companyId,
      conversation: app.chat.conversation,
      adapter: app.chat.adapters.find((a) => a.platform === 'wecom')!,
      delivery: app.chat.delivery,
      botId: FAKE_AIBOT.botId,
      secret: 'wrong',
      wsUrl: gateway.url,
      connectTimeoutMs: 5_000,
    });
    await expect(bot.start()).rejects.toThrow(WeComSmartBotError);
    await bot.stop();
  });
});
