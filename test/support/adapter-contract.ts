import { expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { eventually } from './approvals.ts';

/** A card as a user sees it on a platform, decoded from whatever that platform received. */
export interface SeenCard {
  /** The platform's message handle (used to tap its buttons). */
  ref: string;
  title: string;
  /** Everything else on the card as plain text (fields, table, notes). */
  text: string;
  buttons: { label: string; value: Record<string, string | number> }[];
}

/**
 * How the contract drives one adapter: each platform's harness speaks its
 * wire format (the console its JSON API; DingTalk/Feishu/WeCom their loopback
 * clouds). People are the employee codes of `startChatApp`'s company.
 */
export interface AdapterHarness {
  db: Database;
  companyId: number;
  /** `person` types `text` in their direct chat with the bot; answers the bot's replies. */
  say(person: string, text: string, opts?: { eventId?: string }): Promise<SeenCard[]>;
  /** `person` taps the button labelled `label` on `card`; answers the bot's new replies (and the card if it changed). */
  tap(person: string, card: SeenCard, label: string, opts?: { eventId?: string }): Promise<SeenCard[]>;
  /** Cards in `person`'s direct chat with the bot right now, oldest first, updated ones in their current form. */
  inbox(person: string): Promise<SeenCard[]>;
  /** Someone with no employee bound on this platform says something. */
  sayAsStranger(text: string): Promise<SeenCard[]>;
  /**
   * False where sent messages cannot change (WeChat): the tapper then gets the
   * card's new state as a new message instead of the old one redrawn.
   */
  redraws?: boolean;
}

const requestStatus = async (h: AdapterHarness, no: string) =>
  (await h.db.sql<{ status: string }[]>`select status from requests where company_id = ${h.companyId} and request_no = ${no}`)[0]?.status;

/**
 * The behaviour every chat adapter must show. Call inside a `describe` whose
 * `beforeAll` builds the harness; `harness()` returns it.
 */
export function adapterContract(harness: () => AdapterHarness): void {
  it('answers a message with a reply', async () => {
    const replies = await harness().say('KEEP', 'A-1001还有多少');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.title).toContain('螺丝M6');
    expect(replies[0]?.text).toContain('可用');
  });

  it('acts once on a message the platform delivers twice', async () => {
    const h = harness();
    const before = (await h.inbox('KEEP')).length;
    const first = await h.say('KEEP', 'B-2001 库存', { eventId: 'dup-msg-1' });
    const again = await h.say('KEEP', 'B-2001 库存', { eventId: 'dup-msg-1' });
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    expect((await h.inbox('KEEP')).length).toBe(before + 1);
  });

  it('tells an unbound sender so, and nothing else', async () => {
    const replies = await harness().sayAsStranger('A-1001还有多少');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.title).toBe('账号未绑定');
    expect(replies[0]?.text).not.toContain('螺丝M6');
    expect(replies[0]?.buttons).toHaveLength(0);
  });

  it('turns a tap into a decision, once, and updates the card in place', async () => {
    const h = harness();
    const [confirm] = await h.say('KEEP', '申请出库 A-1002 3 个 上海仓 用途 领料');
    expect(confirm?.buttons.map((b) => b.label)).toEqual(['提交']);
    const submitted = await h.tap('KEEP', confirm as SeenCard, '提交', { eventId: 'submit-tap-1' });
    const card = submitted.find((c) => c.title.startsWith('出库申请'));
    const no = card?.title.split(' ')[1] ?? '';
    expect(no).toMatch(/^\S+$/);
    // A redelivered Submit tap submits nothing more and says nothing new (the card itself may still be redrawn as the workflow moves).
    const again = await h.tap('KEEP', confirm as SeenCard, '提交', { eventId: 'submit-tap-1' });
    expect(again.filter((c) => c.ref !== confirm?.ref)).toHaveLength(0);
    expect((await h.db.sql`select 1 from requests where company_id = ${h.companyId} and requester_id = (select id from employees where company_id = ${h.companyId} and code = 'KEEP') and request_no = ${no}`).length).toBe(1);

    const task = await eventually(
      async () => (await h.inbox('WM')).find((c) => c.title.includes(no) && c.buttons.some((b) => b.label === '同意')),
      (c) => c !== undefined,
    );
    expect(task?.text).toContain('A-1002');
    await h.tap('WM', task as SeenCard, '同意', { eventId: 'approve-tap-1' });
    // The same tap redelivered decides nothing more (and says nothing new).
    const repeated = await h.tap('WM', task as SeenCard, '同意', { eventId: 'approve-tap-1' });
    expect(repeated.filter((c) => c.ref !== task?.ref)).toHaveLength(0);
    expect(await eventually(() => requestStatus(h, no), (s) => s === 'approved' || s === 'completed')).toMatch(/approved|completed/);

    const redrawn = await eventually(
      async () => (await h.inbox('WM')).findLast((c) => (h.redraws === false ? c.title === task?.title : c.ref === task?.ref)),
      (c) => c !== undefined && c.buttons.length === 0 && c.text.includes('已同意'),
    );
    expect(redrawn?.buttons).toHaveLength(0);
    expect(redrawn?.text).toContain('仓库主管 已同意');

    // A second, new tap on the old card is answered clearly and decides nothing.
    const second = await h.tap('WM', task as SeenCard, '同意', { eventId: 'approve-tap-2' });
    expect(second.map((c) => c.title).join()).toMatch(/已结束|finished|不是|not/);

    // The requester is told the outcome. Waited for here, so that the card cannot land in a later test's chat.
    const told = await eventually(
      async () =>
        (
          await h.db.sql<{ n: number }[]>`
            select count(*)::int as n from notifications n join requests r on r.id = n.request_id
            where r.company_id = ${h.companyId} and r.request_no = ${no} and n.kind = 'outcome' and n.delivered_at is not null`
        )[0]?.n ?? 0,
      (n) => n > 0,
    );
    expect(told).toBeGreaterThan(0);
  });
}
