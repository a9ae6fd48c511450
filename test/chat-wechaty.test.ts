import { WechatyBuilder, type Message, type Wechaty } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { adapterContract, type AdapterHarness, type SeenCard } from './support/adapter-contract.ts';
import { startChatApp, type ChatApp } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { settled } from './support/settle.ts';

const PEOPLE = ['KEEP', 'WM', 'FIN', 'DIR', 'SALES', 'STRANGER'] as const;

let db: Database;
let app: ChatApp;
let bot: Wechaty;
let puppet: PuppetMock;
let me: mock.ContactMock;
const contacts = new Map<string, mock.ContactMock>();
/** What the bot said, in order, with the contact or room it said it to. */
const said: { id: string; to: string; text: string }[] = [];
/** Every incoming message's id, by the test's event id: a redelivery re-emits the same message. */
const delivered = new Map<string, string>();

beforeAll(async () => {
  db = await freshDatabase();
  const mocker = new mock.Mocker();
  puppet = new PuppetMock({ mocker });
  bot = WechatyBuilder.build({ puppet });
  bot.on('message', (m: Message) => {
    if (m.self()) said.push({ id: m.id, to: m.room()?.id ?? m.listener()?.id ?? '', text: m.text() });
  });
  const made = mocker.createContacts(PEOPLE.length + 1);
  me = made[0] as mock.ContactMock;
  PEOPLE.forEach((p, i) => contacts.set(p, made[i + 1] as mock.ContactMock));
  const bound = Object.fromEntries(PEOPLE.filter((p) => p !== 'STRANGER').map((p) => [p, contacts.get(p)?.id ?? '']));
  app = await startChatApp(db, { wechaty: { bot, contacts: bound } });
  await bot.start();
  mocker.login(me);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/** A text card as the person reads it: 【title】, lines, [n] choices. */
const seen = (m: { id: string; text: string }): SeenCard => {
  const [first = '', ...rest] = m.text.split('\n');
  const choices = rest.find((l) => l.startsWith('[1] '))?.match(/\[(\d+)\] ([^[]+)/g) ?? [];
  return {
    ref: m.id,
    title: first.replace(/^【|】$/g, ''),
    text: rest.join('\n'),
    buttons: choices.map((c) => {
      const [, n = '0', label = ''] = /\[(\d+)\] (.+)/.exec(c) ?? [];
      return { label: label.trim(), value: { n: Number(n) } };
    }),
  };
};

const to = (person: string) => contacts.get(person)?.id ?? '';

async function speak(person: string, text: string, eventId?: string): Promise<SeenCard[]> {
  const before = said.length;
  const again = eventId ? delivered.get(eventId) : undefined;
  if (again) {
    // The puppet delivering the same message once more.
    puppet.emit('message', { messageId: again });
  } else {
    const incoming = new Promise<string>((resolve) => {
      const listener = (m: Message) => {
        if (!m.self() && m.talker().id === to(person)) {
          bot.off('message', listener);
          resolve(m.id);
        }
      };
      bot.on('message', listener);
    });
    contacts.get(person)?.say(text).to(me);
    const id = await incoming;
    if (eventId) delivered.set(eventId, id);
  }
  return (await settled(() => said.slice(before).filter((m) => m.to === to(person)), () => String(said.length))).map(seen);
}

describe('the Wechaty adapter passes the adapter contract (text cards, numbered choices)', () => {
  adapterContract(
    (): AdapterHarness => ({
      db,
      companyId: app.co.admin.companyId,
      redraws: false,
      say: (person, text, opts) => speak(person, text, opts?.eventId),
      tap: (person, card, label, opts) => {
        const button = card.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no choice ${label} on ${card.title}`);
        return speak(person, String(button.value.n), opts?.eventId);
      },
      inbox: async (person) => said.filter((m) => m.to === to(person)).map(seen),
      sayAsStranger: (text) => speak('STRANGER', text),
    }),
  );
});

describe('Wechaty', () => {
  it('renders a card as text with its choices numbered', async () => {
    const [answer] = await speak('WM', 'A-1001还有多少');
    expect(answer?.title).toBe('螺丝M6 A-1001');
    expect(said.at(-1)?.text).toMatch(/\[1\] 申请出库/);
  });
});
