import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/auth/tokens.ts';
import { valueOfKey } from '../bot/wecom/adapter.ts';
import { robotMarkdown } from '../bot/wecom/group-robot.ts';
import type { Database } from '../db/client.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { settled } from './support/settle.ts';
import { FakeWeComCloud, type FakeTemplateCard } from './support/fake-wecom.ts';

let db: Database;
let cloud: FakeWeComCloud;
let app: ChatApp;
let callback: string;

beforeAll(async () => {
  db = await freshDatabase();
  cloud = new FakeWeComCloud();
  app = await startChatApp(db, { wecomApiBase: await cloud.start() });
  callback = `${app.base}/wecom/events`;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cloud?.stop();
});

const userId = (person: string) => `wx_${person.toLowerCase()}`;

/** What a WeCom user sees of a template card: title, key/value pairs, sub-title text, buttons. */
const seen = (c: FakeTemplateCard): SeenCard => ({
  ref: c.taskId,
  title: c.card.main_title.title,
  text: [c.card.main_title.desc ?? '', ...(c.card.horizontal_content_list ?? []).map((p) => `${p.keyname}: ${p.value}`), c.card.sub_title_text ?? ''].join('\n'),
  buttons: (c.card.button_list ?? []).map((b) => ({ label: b.text, value: valueOfKey(b.key) as Record<string, string | number> })),
});

const snapshot = () => ({ count: cloud.cards.length, updates: new Map(cloud.cards.map((c) => [c.taskId, c.updates])) });

async function afterwards(before: ReturnType<typeof snapshot>, person: string): Promise<SeenCard[]> {
  const mine = (c: FakeTemplateCard) => c.touser === userId(person);
  const changed = () => [...cloud.cards.filter((c) => mine(c) && c.updates > (before.updates.get(c.taskId) ?? 0)), ...cloud.cards.slice(before.count).filter(mine)];
  return (await settled(changed, () => JSON.stringify(cloud.cards.map((c) => [c.taskId, c.updates])))).map(seen);
}

let msgSeq = 1_000;
async function say(person: string, text: string, msgId = String(++msgSeq)): Promise<SeenCard[]> {
  const before = snapshot();
  const res = await cloud.deliver(callback, { ToUserName: 'wwfakecorp0001', FromUserName: userId(person), CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: text, MsgId: msgId, AgentID: 1000002 });
  expect(res).toEqual({ status: 200, body: '' });
  return afterwards(before, person);
}

/** Click ids are per click: a redelivery repeats the event with the same response code. */
const clicks = new Map<string, Record<string, string | number>>();

describe('the WeCom adapter passes the adapter contract', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      say: (person, text, opts) => say(person, text, opts?.eventId),
      tap: async (person, card, label, opts) => {
        const button = cloud.cards.find((c) => c.taskId === card.ref)?.card.button_list?.find((b) => b.text === label) ?? { key: Buffer.from(JSON.stringify(card.buttons.find((b) => b.label === label)?.value ?? {})).toString('base64url') };
        const id = opts?.eventId;
        const event = (id && clicks.get(id)) || cloud.clickEvent(userId(person), card.ref, button.key);
        if (id) clicks.set(id, event);
        const before = snapshot();
        expect((await cloud.deliver(callback, event)).status).toBe(200);
        return afterwards(before, person);
      },
      inbox: async (person) => cloud.cards.filter((c) => c.touser === userId(person)).map(seen),
      sayAsStranger: (text) => say('STRANGER', text),
    }),
  );
});

describe('WeCom callbacks', () => {
  it('answers the URL verification with the decrypted echostr', async () => {
    expect(await cloud.verify(callback, 'echo-1234567890')).toEqual({ status: 200, body: 'echo-1234567890' });
  });

  it('refuses forged and replayed callbacks and acts on none of them', async () => {
    const before = cloud.cards.length;
    const event = { ToUserName: 'wwfakecorp0001', FromUserName: userId('KEEP'), MsgType: 'text', Content: 'A-1001', MsgId: '99' };
    expect((await cloud.deliver(callback, event, { tamper: true })).status).toBe(401);
    expect((await cloud.deliver(callback, event, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(cloud.cards.length).toBe(before);
  });

  it('understands a recorded real-shaped text message (CDATA, 19-digit MsgId)', async () => {
    const xml = readFileSync(new URL('./fixtures/platforms/wecom-text-message.xml', import.meta.url), 'utf8');
    const before = snapshot();
    expect(await cloud.deliverXml(callback, xml)).toEqual({ status: 200, body: '' });
    expect((await afterwards(before, 'FIN')).map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
  });

  it('fetches a new access token when WeCom says the cached one expired, and the reply still arrives', async () => {
    const fetched = cloud.tokenRequests;
    cloud.expireToken();
    expect((await say('FIN', 'B-2001 库存')).map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
    expect(cloud.tokenRequests).toBe(fetched + 1);
  });

  it('survives WeCom frequency limits: the reply is retried and sent once', async () => {
    cloud.throttleNext(2);
    expect((await say('FIN', 'B-2001 库存')).map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
  });
});

describe('WeCom group robots (群机器人) for digests and alerts', () => {
  it('an admin subscribes a group through its robot; the digest arrives there once a day as markdown', async () => {
    const { token } = await createApiToken(db, { companyId: app.co.admin.companyId, name: 'admin', scopes: ['admin'] });
    const api = (body: unknown) =>
      fetch(`${app.base}/api/v1/chat-subscriptions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // An ordinary WeCom group id cannot be reached by the app: refused, nothing saved.
    const wrong = await api({ platform: 'wecom', chatId: 'wrOrdinaryGroup', topic: 'digest' });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain('robot:<webhook key>');
    const badTime = await api({ platform: 'wecom', chatId: 'robot:k-ops', topic: 'digest', sendAt: '25:00' });
    expect(badTime.status).toBe(400);
    const [none] = await db.sql<{ n: number }[]>`select count(*)::int as n from chat_subscriptions where platform = 'wecom'`;
    expect(none?.n).toBe(0);

    cloud.robotKeys.add('k-ops');
    const saved = await api({ platform: 'wecom', chatId: 'robot:k-ops', chatName: '仓储运营群', topic: 'digest', sendAt: '00:00' });
    expect(saved.status).toBe(201);
    expect(await saved.json()).toMatchObject({ platform: 'wecom', chatId: 'robot:k-ops', topic: 'digest', warehouse: null, lang: 'zh', sendAt: '00:00' });

    cloud.throttleNext(1); // the robot's 20-a-minute limit: retried, posted once
    const first = await app.chat.reports.publishDueDigests(app.co.admin.companyId);
    expect(first).toMatchObject({ sent: 1, already: 0, failed: [] });
    expect((await app.chat.reports.publishDueDigests(app.co.admin.companyId)).already).toBe(1);
    expect(cloud.robotMessages).toHaveLength(1);
    expect(cloud.robotMessages[0]?.content).toMatch(/^### <font color="\w+">每日库存日报 · \d{4}-\d{2}-\d{2}<\/font>/);
    expect(cloud.robotMessages[0]?.content).toContain('[打开看板](http://stockpilot.test/app/#/dashboard)');
  });

  it('trims what does not fit in 4096 bytes, says how much was left out, and keeps the link', () => {
    const notes = Array.from({ length: 300 }, (_, i) => `· A-${1000 + i} 螺丝M6：可用 ${i}/100 个`);
    const md = robotMarkdown({ title: '缺货预警 300 项', notes, link: { label: '打开看板', url: 'http://x/app/#/dashboard' } }, 'zh');
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(4096);
    const kept = md.split('\n').filter((l) => l.startsWith('· ')).length;
    expect(md).toContain(`……还有 ${300 - kept} 行`);
    expect(md.endsWith('[打开看板](http://x/app/#/dashboard)')).toBe(true);
  });
});
