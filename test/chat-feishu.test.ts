import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { eventually } from './support/approvals.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { FakeFeishuCloud, dmChat, openId, seen, watchChats } from './support/fake-feishu.ts';

let db: Database;
let cloud: FakeFeishuCloud;
let app: ChatApp;
let callback: string;

beforeAll(async () => {
  db = await freshDatabase();
  cloud = new FakeFeishuCloud();
  const domain = await cloud.start();
  app = await startChatApp(db, { feishuDomain: domain });
  callback = `${app.base}/feishu/events`;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cloud?.stop();
});

const { inChatOf, snapshot, afterwards } = watchChats(() => cloud);


async function say(person: string, text: string, eventId?: string, chat = dmChat(person), chatType: 'p2p' | 'group' = 'p2p'): Promise<SeenCard[]> {
  const before = snapshot();
  const res = await cloud.deliver(
    callback,
    'im.message.receive_v1',
    {
      sender: { sender_id: { open_id: openId(person), union_id: `on_${person}` }, sender_type: 'user' },
      message: { message_id: `om_in_${Math.random()}`, chat_id: chat, chat_type: chatType, message_type: 'text', content: JSON.stringify({ text }), mentions: [] },
    },
    eventId ? { eventId } : {},
  );
  expect(res.status).toBe(200);
  return afterwards(before, person);
}

describe('the Feishu adapter passes the adapter contract', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      say: (person, text, opts) => say(person, text, opts?.eventId),
      tap: async (person, card, label, opts) => {
        const button = card.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no button ${label} on ${card.title}`);
        const before = snapshot();
        const res = await cloud.deliver(
          callback,
          'card.action.trigger',
          {
            operator: { open_id: openId(person), union_id: `on_${person}` },
            token: 'c-token',
            action: { tag: 'button', value: button.value },
            context: { open_message_id: card.ref, open_chat_id: dmChat(person) },
          },
          opts?.eventId ? { eventId: opts.eventId } : {},
        );
        expect(res).toEqual({ status: 200, body: {} });
        return afterwards(before, person);
      },
      inbox: async (person) => cloud.messages.filter(inChatOf(person)).map(seen),
      sayAsStranger: (text) => say('STRANGER', text),
    }),
  );
});

describe('Feishu callbacks', () => {
  it('answers the URL verification challenge, and only with the right token', async () => {
    const plain = (token: string) => ({ challenge: 'ch-123', token, type: 'url_verification' });
    const ok = await cloud.deliverPlain(callback, plain('fake-verification-token'));
    expect(ok).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    expect((await cloud.deliverPlain(callback, plain('wrong'))).status).toBe(401);
  });

  it('refuses forged and replayed callbacks and acts on none of them', async () => {
    const before = cloud.messages.length;
    const forged = await cloud.deliver(callback, 'im.message.receive_v1', { sender: { sender_id: { open_id: openId('KEEP') }, sender_type: 'user' } }, { tamper: true });
    expect(forged.status).toBe(401);
    const replayed = await cloud.deliver(callback, 'im.message.receive_v1', {}, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(replayed.status).toBe(401);
    const unsigned = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(cloud.messages.length).toBe(before);
  });

  it('answers in a group only when the bot is @-mentioned, and strips the mention', async () => {
    const quiet = await say('WM', 'A-1001还有多少', undefined, 'oc_group_1', 'group');
    expect(quiet).toHaveLength(0);
    const before = snapshot();
    await cloud.deliver(callback, 'im.message.receive_v1', {
      sender: { sender_id: { open_id: openId('WM') }, sender_type: 'user' },
      message: { message_id: 'om_g2', chat_id: 'oc_group_1', chat_type: 'group', message_type: 'text', content: JSON.stringify({ text: '@_user_1 A-1001还有多少' }), mentions: [{ key: '@_user_1' }] },
    });
    const reply = await eventually(async () => cloud.messages.slice(before.count).find((m) => m.receiveId === 'oc_group_1'), (m) => m !== undefined);
    expect(reply?.receiveIdType).toBe('chat_id');
    expect(reply?.card.header.title.content).toBe('螺丝M6 A-1001');
  });

  it('understands a recorded real-shaped group message (all of Feishu\'s fields, the mention stripped) and answers in the group', async () => {
    const recorded = JSON.parse(readFileSync(new URL('./fixtures/platforms/feishu-im-message-receive.json', import.meta.url), 'utf8')) as { header: { event_id: string }; event: { message: { chat_id: string } } };
    const before = cloud.messages.length;
    expect((await cloud.deliver(callback, 'im.message.receive_v1', recorded.event, { eventId: recorded.header.event_id })).status).toBe(200);
    const reply = await eventually(async () => cloud.messages.slice(before).find((m) => m.receiveId === recorded.event.message.chat_id), (m) => m !== undefined);
    expect(reply?.card.header.title.content).toBe('六角螺栓 B-2001');
  });

  it('fetches a new tenant token when Feishu declares the cached one invalid, and the reply still arrives', async () => {
    const fetched = cloud.tokenRequests;
    cloud.expireToken();
    expect((await say('FIN', 'B-2001 库存')).map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
    expect(cloud.tokenRequests).toBe(fetched + 1);
  });

  it('survives Feishu throttling: the reply is retried and posted once', async () => {
    cloud.throttleNext(2);
    const replies = await say('FIN', 'B-2001 库存');
    expect(replies.map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
  });
});
