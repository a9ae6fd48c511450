import { TOPIC_CARD, TOPIC_ROBOT } from 'dingtalk-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { eventually } from './support/approvals.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { directMessage, FakeDingTalkCloud, seen, space, staffId, watchCards } from './support/fake-dingtalk.ts';

let db: Database;
let cloud: FakeDingTalkCloud;
let app: ChatApp;

beforeAll(async () => {
  db = await freshDatabase();
  cloud = new FakeDingTalkCloud();
  const base = await cloud.start();
  app = await startChatApp(db, { dingtalk: { apiBase: base, gatewayUrl: cloud.gatewayUrl } });
  await eventually(async () => cloud.connected, (c) => c, 50);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await cloud?.stop();
});

const { snapshot, afterwards } = watchCards(() => cloud);

async function say(person: string, text: string, msgId = `msg${Math.random()}`): Promise<SeenCard[]> {
  const before = snapshot();
  const frame = cloud.push(TOPIC_ROBOT, directMessage(person, text, msgId));
  await eventually(async () => cloud.acks.has(frame), (a) => a, 50);
  return afterwards(before, person);
}

describe('the DingTalk adapter passes the adapter contract', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      say: (person, text, opts) => say(person, text, opts?.eventId),
      tap: async (person, card, label, opts) => {
        const button = card.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no button ${label} on ${card.title}`);
        const before = snapshot();
        const frame = cloud.push(
          TOPIC_CARD,
          {
            type: 'actionCallback',
            outTrackId: card.ref,
            userId: staffId(person),
            corpId: 'ding-corp',
            content: JSON.stringify({ cardPrivateData: { actionIds: ['tap'], params: { value: JSON.stringify(button.value) } } }),
          },
          opts?.eventId,
        );
        await eventually(async () => cloud.acks.has(frame), (a) => a, 50);
        return afterwards(before, person);
      },
      inbox: async (person) => cloud.cards.filter((c) => c.space === space(person)).map(seen),
      sayAsStranger: (text) => say('STRANGER', text),
    }),
  );
});

describe('DingTalk stream', () => {
  it('acknowledges every callback at once, before the work is done', async () => {
    const frame = cloud.push(TOPIC_ROBOT, { msgtype: 'text', text: { content: ' 我的待办' }, msgId: 'ack-1', conversationId: 'cid', conversationType: '1', senderStaffId: staffId('WM') });
    await eventually(async () => cloud.acks.has(frame), (a) => a, 50);
    expect(cloud.acks.get(frame)).toEqual({ response: {} });
  });

  it('answers a group only when @-mentioned, in the group', async () => {
    const before = cloud.cards.length;
    cloud.push(TOPIC_ROBOT, { msgtype: 'text', text: { content: ' A-1001还有多少' }, msgId: 'g-1', conversationId: 'cidGroup1', conversationType: '2', senderStaffId: staffId('WM'), isInAtList: true });
    const card = await eventually(async () => cloud.cards.slice(before).find((c) => c.space === 'IM_GROUP.cidGroup1'), (c) => c !== undefined);
    expect(card?.params.title).toBe('螺丝M6 A-1001');
  });

  it('fetches a new access token when DingTalk revokes the cached one, and the reply still arrives', async () => {
    const fetched = cloud.tokenRequests;
    cloud.expireToken();
    expect((await say('FIN', 'B-2001 库存')).map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
    expect(cloud.tokenRequests).toBe(fetched + 1);
  });

  it('survives DingTalk throttling: the reply is retried and sent once', async () => {
    cloud.throttleNext(2);
    const replies = await say('FIN', 'B-2001 库存');
    expect(replies.map((c) => c.title)).toEqual(['六角螺栓 B-2001']);
  });
});
