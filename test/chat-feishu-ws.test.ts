import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { FeishuConnectError, FeishuLongConnection } from '../bot/feishu/long-connection.ts';
import { eventually } from './support/approvals.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { FAKE_APP, FakeFeishuCloud, dmChat, openId, seen, watchChats } from './support/fake-feishu.ts';
import { FakeFeishuLongConnection, type FeishuAck } from './support/fake-feishu-ws.ts';

let db: Database;
let cloud: FakeFeishuCloud;
let gateway: FakeFeishuLongConnection;
let app: ChatApp;
let connection: FeishuLongConnection;
let domain: string;
/** What our side logged (the SDK's warnings included). */
const logs: string[] = [];

/** A long connection wired to the chat composition `startChatApp` built, as `npm start` would with long-connection mode on. */
function longConnection(opts: { appSecret?: string; domain?: string; connectTimeoutMs?: number } = {}): FeishuLongConnection {
  const adapter = app.chat.adapters.find((a) => a.platform === 'feishu');
  if (!adapter) throw new Error('startChatApp built no Feishu adapter');
  return new FeishuLongConnection({
    db,
    companyId: app.co.admin.companyId,
    conversation: app.chat.conversation,
    adapter,
    delivery: app.chat.delivery,
    appId: FAKE_APP.appId,
    appSecret: opts.appSecret ?? FAKE_APP.appSecret,
    domain: opts.domain ?? domain,
    ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    log: (m, err) => {
      logs.push(m);
      console.error(m, err ?? '');
    },
  });
}

beforeAll(async () => {
  db = await freshDatabase();
  cloud = new FakeFeishuCloud();
  domain = await cloud.start();
  gateway = new FakeFeishuLongConnection(cloud);
  // Feishu's own timings make a reconnect wait up to 30 s; these let a dropped connection come back within a test.
  gateway.config = { ...gateway.config, ReconnectInterval: 1, ReconnectNonce: 0 };
  await gateway.start();
  app = await startChatApp(db, { feishuDomain: domain });
  connection = longConnection();
  await connection.start();
}, 120_000);

afterAll(async () => {
  await connection?.stop();
  await app?.close();
  await gateway?.stop();
  await cloud?.stop();
});

const { inChatOf, snapshot, afterwards } = watchChats(() => cloud);

/** `person` types `text` in their direct chat; the event travels over the long connection. Answers the ack and what the bot then did. */
async function say(person: string, text: string, opts: { eventId?: string; parts?: number } = {}): Promise<{ ack: FeishuAck; replies: SeenCard[] }> {
  const before = snapshot();
  const ack = await gateway.pushEvent(
    'im.message.receive_v1',
    {
      sender: { sender_id: { open_id: openId(person), union_id: `on_${person}` }, sender_type: 'user' },
      message: { message_id: `om_in_${Math.random()}`, chat_id: dmChat(person), chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text }), mentions: [] },
    },
    opts,
  );
  return { ack, replies: await afterwards(before, person) };
}

async function tap(person: string, messageRef: string, value: unknown, eventId?: string): Promise<{ ack: FeishuAck; replies: SeenCard[] }> {
  const before = snapshot();
  const ack = await gateway.pushEvent(
    'card.action.trigger',
    {
      operator: { open_id: openId(person), union_id: `on_${person}` },
      token: 'c-token',
      action: { tag: 'button', value },
      context: { open_message_id: messageRef, open_chat_id: dmChat(person) },
    },
    eventId ? { eventId } : {},
  );
  return { ack, replies: await afterwards(before, person) };
}

describe('Feishu long connection', () => {
  it('connects before start() resolves, and keeps the connection alive with pings', async () => {
    expect(gateway.connected).toBe(true);
    // The SDK pings as soon as the socket opens (the ping may still be on its way when start() resolves); the pong carries the server's timings.
    expect(await eventually(async () => gateway.pings, (n) => n >= 1, 20)).toBeGreaterThanOrEqual(1);
  });

  it('acks a direct message with 200 and answers it with a stock card through the OpenAPI', async () => {
    const { ack, replies } = await say('KEEP', 'A-1001还有多少');
    expect(ack.code).toBe(200);
    expect(ack.data).toBeUndefined();
    expect(replies).toHaveLength(1);
    expect(replies[0]?.title).toBe('螺丝M6 A-1001');
    expect(replies[0]?.text).toContain('可用');
  });

  it('answers an event pushed twice with the same event_id once', async () => {
    const first = await say('FIN', 'A-1002 库存', { eventId: 'ws-dup-1' });
    const again = await say('FIN', 'A-1002 库存', { eventId: 'ws-dup-1' });
    expect(first.ack.code).toBe(200);
    expect(again.ack.code).toBe(200);
    expect(first.replies.map((c) => c.title)).toEqual(['螺丝M8 A-1002']);
    expect(again.replies).toHaveLength(0);
  });

  it('reassembles an event Feishu splits into several frames', async () => {
    const { ack, replies } = await say('WM', 'B-2001 库存', { parts: 3 });
    expect(ack.code).toBe(200);
    expect(replies.map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
  });

  it('answers a tap on a button that no longer parses, and acks the tap with an empty callback answer', async () => {
    const [card] = (await say('SALES', 'A-1001还有多少')).replies;
    const { ack, replies } = await tap('SALES', card?.ref ?? '', { act: 'retired-action' });
    expect(ack).toMatchObject({ code: 200, data: {} });
    expect(replies.map((c) => c.title)).toEqual(['这个按钮已失效，请重新查询']);
  });

  it('comes back after the connection drops, and events flow again', async () => {
    gateway.drop();
    await gateway.connection();
    const { ack, replies } = await say('KEEP', 'A-1002 库存');
    expect(ack.code).toBe(200);
    expect(replies.map((c) => c.title)).toEqual(['螺丝M8 A-1002']);
    expect(logs).toContain('feishu long connection lost, reconnecting');
    expect(logs).toContain('feishu long connection restored');
  });

  it('refuses to start with a wrong app secret, with a clear error', async () => {
    const wrong = longConnection({ appSecret: 'not-the-secret' });
    const failure = wrong.start();
    await expect(failure).rejects.toBeInstanceOf(FeishuConnectError);
    await expect(failure).rejects.toThrow(/code=514.*auth failed/);
    await wrong.stop();
  });

  it('gives up on start() when Feishu cannot be reached, with a clear error', async () => {
    const nowhere = longConnection({ domain: 'http://127.0.0.1:9', connectTimeoutMs: 1_000 });
    await expect(nowhere.start()).rejects.toThrow(/not open after 1000 ms/);
    await nowhere.stop();
  });
});

describe('the Feishu adapter over the long connection passes the adapter contract', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      say: async (person, text, opts) => {
        const { ack, replies } = await say(person, text, opts?.eventId ? { eventId: opts.eventId } : {});
        expect(ack.code).toBe(200);
        return replies;
      },
      tap: async (person, card, label, opts) => {
        const button = card.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no button ${label} on ${card.title}`);
        const { ack, replies } = await tap(person, card.ref, button.value, opts?.eventId);
        expect(ack).toMatchObject({ code: 200, data: {} });
        return replies;
      },
      inbox: async (person) => cloud.messages.filter(inChatOf(person)).map(seen),
      sayAsStranger: async (text) => (await say('STRANGER', text)).replies,
    }),
  );
});
