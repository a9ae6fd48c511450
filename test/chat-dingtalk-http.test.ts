import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/approvals.ts';
import type { Database } from '../db/client.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { directMessage, FakeDingTalkCloud, seen, space, staffId, watchCards } from './support/fake-dingtalk.ts';

let db: Database;
let cloud: FakeDingTalkCloud;
let app: ChatApp;
let callback: string;

beforeAll(async () => {
  db = await freshDatabase();
  cloud = new FakeDingTalkCloud();
  const base = await cloud.start();
  app = await startChatApp(db, { dingtalk: { apiBase: base, gatewayUrl: cloud.gatewayUrl, mode: 'http' } });
  callback = `${app.base}/dingtalk/events`;
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cloud?.stop();
});

const { snapshot, afterwards } = watchCards(() => cloud);


async function say(person: string, text: string, msgId = `msg${Math.random()}`): Promise<SeenCard[]> {
  const before = snapshot();
  const res = await cloud.deliverHttp(callback, directMessage(person, text, msgId));
  expect(res.status).toBe(200);
  return afterwards(before, person);
}

const stamps = new Map<string, number>();

describe('the DingTalk adapter in HTTP mode passes the adapter contract', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      say: (person, text, opts) => say(person, text, opts?.eventId),
      tap: async (person, card, label, opts) => {
        const button = card.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no button ${label} on ${card.title}`);
        const before = snapshot();
        // A redelivery is the same signed request again: same timestamp.
        const timestamp = opts?.eventId ? (stamps.get(opts.eventId) ?? Date.now()) : Date.now();
        if (opts?.eventId) stamps.set(opts.eventId, timestamp);
        const res = await cloud.deliverHttp(callback, {
          type: 'actionCallback',
          outTrackId: card.ref,
          userId: staffId(person),
          corpId: 'ding-corp',
          content: JSON.stringify({ cardPrivateData: { actionIds: ['tap'], params: { value: JSON.stringify(button.value) } } }),
        }, { timestamp });
        expect(res).toEqual({ status: 200, body: {} });
        return afterwards(before, person);
      },
      inbox: async (person) => cloud.cards.filter((c) => c.space === space(person)).map(seen),
      sayAsStranger: (text) => say('STRANGER', text),
    }),
  );
});

describe('DingTalk HTTP callbacks', () => {
  it('create cards whose taps come back over HTTP, under the configured route key', async () => {
    await say('WM', 'A-1001还有多少');
    expect(cloud.cards.at(-1)?.callback).toBe('HTTP');
  });

  it('understand a recorded real-shaped group message and answer in the group', async () => {
    const recorded = JSON.parse(readFileSync(new URL('./fixtures/platforms/dingtalk-robot-message.json', import.meta.url), 'utf8')) as { conversationId: string };
    const before = cloud.cards.length;
    expect((await cloud.deliverHttp(callback, recorded)).status).toBe(200);
    const card = await eventually(async () => cloud.cards.slice(before).find((c) => c.space === `IM_GROUP.${recorded.conversationId}`), (c) => c !== undefined);
    expect(card?.params.title).toBe('六角螺栓 B-2001');
  });

  it('refuse unsigned, forged and stale callbacks, and act on none of them', async () => {
    const before = cloud.cards.length;
    const unsigned = await fetch(callback, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(directMessage('WM', '我的待办', 'f-1')) });
    expect(unsigned.status).toBe(401);
    expect((await cloud.deliverHttp(callback, directMessage('WM', '我的待办', 'f-2'), { secret: 'not-the-secret' })).status).toBe(401);
    expect((await cloud.deliverHttp(callback, directMessage('WM', '我的待办', 'f-3'), { timestamp: Date.now() - 2 * 3600_000 })).status).toBe(401);
    const garbage = await cloud.deliverHttp(callback, { hello: 'world' });
    expect(garbage.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(cloud.cards.length).toBe(before);
  });
});
