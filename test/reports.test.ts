import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/auth/tokens.ts';
import { cardToText } from '../bot/core/card.ts';
import type { Database } from '../db/client.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { submitRequest } from '../inventory/requests/submit.ts';
import { InsufficientStockError } from '../inventory/errors.ts';
import { addDays } from '../inventory/today.ts';
import { companyDay } from '../inventory/reports/snapshot.ts';
import { createReportActivities } from '../workflows/reports/activities.ts';
import { ensureReportSchedules } from '../workflows/reports/schedules.ts';
import { eventually } from './support/approvals.ts';
import { consoleClient, startChatApp, type ChatApp, type ConsoleMessageJson } from './support/chat.ts';
import { freshDatabase } from './support/db.ts';
import { idem, item } from './support/fixtures.ts';
import { bundleOnce, temporalClient, uniqueTaskQueue, type SharedTemporal } from './support/temporal.ts';

const REPORT_WORKFLOWS = new URL('../workflows/reports/reports.workflow.ts', import.meta.url);

let db: Database;
let app: ChatApp;
let api: ReturnType<typeof consoleClient>;
let temporal: SharedTemporal;
let taskQueue: string;
let worker: Worker;
let running: Promise<void>;
let today: string;
let yesterday: string;

beforeAll(async () => {
  db = await freshDatabase();
  app = await startChatApp(db);
  api = consoleClient(app.base);
  today = await companyDay(db, app.co.admin.companyId);
  yesterday = addDays(today, -1);
  // Two closed days of 六角螺栓 in 苏州仓: ¥80 received the day before yesterday, ¥20 issued yesterday.
  const at = (n: number) => new Date(`${addDays(today, -n)}T12:00:00+08:00`);
  await postMovement(db, app.co.admin, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'B-2001', qty: 100, unitCost: '0.8' }], idempotencyKey: idem() }, { postedAt: at(2) });
  await postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SZ', lines: [{ item: 'B-2001', qty: 25 }], idempotencyKey: idem() }, { postedAt: at(1) });

  temporal = await temporalClient();
  taskQueue = uniqueTaskQueue('reports');
  worker = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue,
    stickyQueueScheduleToStartTimeout: '1s',
    workflowBundle: await bundleOnce(REPORT_WORKFLOWS),
    activities: createReportActivities({ db, publisher: app.chat.reports }),
  });
  running = worker.run();
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await app?.close();
});

const botCards = (messages: ConsoleMessageJson[]) => messages.filter((m) => m.from.kind === 'bot' && m.card).map((m) => ({ id: m.id, title: m.card!.title, text: cardToText(m.card!), buttons: m.card!.buttons ?? [] }));

/** A chat as its members see it now: later versions of a message replace earlier ones. */
async function chatCards(chatId: string) {
  const { body } = await api.since(chatId, 0);
  const byId = new Map<number, ConsoleMessageJson>();
  for (const m of body.messages) byId.set(m.id, m);
  return botCards([...byId.values()].sort((a, b) => a.id - b.id));
}

const say = async (chat: string, user: string, text: string) => botCards((await api.say(chat, user, text)).body.messages);
const runDigestRound = () =>
  temporal.client.workflow.execute('digestRoundWorkflow', { taskQueue, workflowId: `digest-test-${idem()}`, args: [{ companyId: app.co.admin.companyId }] }) as Promise<{
    day: string;
    sent: number;
    already: number;
    failed: number;
  }>;

describe('the daily digest', () => {
  it('reaches each subscribed group once per day with yesterday’s figures, however often the round runs', async () => {
    expect((await say('g-purchase', 'WM', '@库存领航 订阅日报'))[0]?.title).toBe('本群已订阅库存日报（全部仓库）');
    expect((await say('g-managers', 'DIR', '@StockPilot subscribe digest'))[0]?.title).toContain('now receives the daily digest');
    // Groups choose their hour (08:30 by default); due from midnight here, so the test does not depend on the clock.
    await db.sql`update chat_subscriptions set send_at = '00:00' where company_id = ${app.co.admin.companyId} and topic = 'digest'`;

    const first = await runDigestRound();
    expect(first).toEqual({ day: yesterday, sent: 2, already: 0, failed: 0 });
    const again = await runDigestRound();
    expect(again).toEqual({ day: yesterday, sent: 0, already: 2, failed: 0 });

    const zh = (await chatCards('g-purchase')).filter((c) => c.title.startsWith('每日库存日报'));
    expect(zh).toHaveLength(1);
    expect(zh[0]?.title).toBe(`每日库存日报 · ${yesterday}`);
    expect(zh[0]?.text).toContain('库存总值: ¥60.00（较前日 -¥20.00）');
    expect(zh[0]?.text).toContain('当日出库（成本）: ¥20.00');
    expect(zh[0]?.text).toContain('打开看板: http://stockpilot.test/app/#/dashboard');
    const en = (await chatCards('g-managers')).filter((c) => c.title.startsWith('Daily stock digest'));
    expect(en).toHaveLength(1);
    expect(en[0]?.text).toContain('Stock value: ¥60.00 (-¥20.00 vs the day before)');
  });

  it('answers 日报 at any time, scoped to what the asker may see, money only for cost roles', async () => {
    const manager = await say('dm:WM', 'WM', '日报');
    expect(manager[0]?.title).toBe(`每日库存日报 · ${yesterday}`);
    expect(manager[0]?.text).toContain('库存总值: ¥60.00');
    // KEEP sees only 上海仓 and no cost: the 苏州仓 figures and all money stay out.
    const keeper = await say('dm:KEEP', 'KEEP', '今天的日报');
    expect(keeper[0]?.title).toBe(`每日库存日报 · ${yesterday}（上海仓）`);
    expect(keeper[0]?.text).not.toContain('¥');
  });
});

describe('stock alerts', () => {
  it('raise a shortage right after the posting that caused it, with the buttons that fix it, and resolve it after a receipt', async () => {
    expect((await say('g-warehouse', 'WM', '@库存领航 订阅预警 上海仓'))[0]?.title).toBe('本群已订阅库存预警（上海仓）');
    const alerts = app.chat.alerts;
    await alerts.watchOnce(); // starts following the ledger from here

    // 上海仓 has 500 螺丝M6 (safety stock 100); issuing 420 leaves 80.
    await postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 420 }], idempotencyKey: idem() });
    expect(await alerts.watchOnce()).toEqual({ raised: 1, resent: 0, resolved: 0 });
    const shortage = (await chatCards('g-warehouse')).filter((c) => c.title.startsWith('缺货预警'));
    expect(shortage.map((c) => c.title)).toEqual(['缺货预警 · 螺丝M6 A-1001 · 上海仓']);
    expect(shortage[0]?.text).toContain('可用: 80 个');
    expect(shortage[0]?.text).toContain('建议采购: 20 个');
    // 苏州仓 holds 120, its own safety stock plus the 20 missing here.
    expect(shortage[0]?.text).toContain('苏州仓 有富余，可调拨 20 个');
    expect(shortage[0]?.buttons.map((b) => b.label)).toEqual(['采购 20 个', '从苏州仓调拨', '我来处理']);

    // Nothing new: no second card. Worse: a second card.
    expect(await alerts.watchOnce()).toEqual({ raised: 0, resent: 0, resolved: 0 });
    await postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 10 }], idempotencyKey: idem() });
    expect(await alerts.watchOnce()).toEqual({ raised: 0, resent: 1, resolved: 0 });
    expect((await chatCards('g-warehouse')).filter((c) => c.title.startsWith('缺货预警'))).toHaveLength(2);

    // The buy button proposes the purchase for confirmation; it submits nothing by itself.
    const buy = (await chatCards('g-warehouse')).filter((c) => c.title.startsWith('缺货预警')).at(-1)!.buttons[0]!;
    expect(buy.label).toBe('采购 30 个');
    const proposed = botCards((await api.tap((await chatCards('g-warehouse')).filter((c) => c.title.startsWith('缺货预警')).at(-1)!.id, 'WM', buy.value)).body.messages);
    expect(proposed[0]?.title).toBe('确认提交采购申请？');
    const [requests] = await db.sql<{ n: number }[]>`select count(*)::int as n from requests where company_id = ${app.co.admin.companyId} and type = 'purchase'`;
    expect(requests?.n).toBe(0);

    await postMovement(db, app.co.admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 100 }], idempotencyKey: idem() });
    expect(await alerts.watchOnce()).toEqual({ raised: 0, resent: 0, resolved: 1 });
    expect((await chatCards('g-warehouse')).at(-1)?.title).toBe('已解除：缺货预警 · 螺丝M6 A-1001 · 上海仓');
    const rows = await db.sql<{ status: string }[]>`select status from stock_alerts where company_id = ${app.co.admin.companyId} and kind = 'shortage'`;
    expect(rows.map((r) => r.status)).toEqual(['resolved']);
  });

  it('keeps one alert per batch across repeated scans, and 我来处理 quiets it until it clears', async () => {
    await item(db, app.co.admin, { code: 'C-3001', name: '密封胶', unit: '支', tracking: 'batch', unitCost: '12' });
    const soon = addDays(today, 10);
    await postMovement(db, app.co.admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'C-3001', qty: 40, batch: 'L2409', expiryDate: soon }], idempotencyKey: idem() });

    const first = await app.chat.alerts.scan(app.co.admin.companyId);
    expect(first.raised).toBe(1);
    const second = await app.chat.alerts.scan(app.co.admin.companyId);
    expect(second).toEqual({ raised: 0, resent: 0, resolved: 0 });
    const expiry = (await chatCards('g-warehouse')).filter((c) => c.title.startsWith('效期预警'));
    expect(expiry).toHaveLength(1);
    expect(expiry[0]?.text).toContain(`L2409 · ${soon} 到期（还有 10 天）`);

    const ack = expiry[0]!.buttons.find((b) => b.label === '我来处理')!;
    await api.tap(expiry[0]!.id, 'WM', ack.value);
    const redrawn = await eventually(
      async () => (await chatCards('g-warehouse')).find((c) => c.id === expiry[0]!.id),
      (c) => c?.text.includes('已认领处理') ?? false,
    );
    expect(redrawn?.text).toContain('仓库主管 已认领处理');
    expect(redrawn?.buttons).toEqual([]);
    const [open] = await db.sql<{ n: number }[]>`select count(*)::int as n from stock_alerts where company_id = ${app.co.admin.companyId} and kind = 'expiry' and status <> 'resolved'`;
    expect(open?.n).toBe(1);
  });

  it('sends many alerts found at once as one list, not a flood of cards', async () => {
    await item(db, app.co.admin, { code: 'C-3002', name: '润滑脂', unit: '罐', tracking: 'batch', unitCost: '30' });
    const lines = [1, 2, 3, 4, 5, 6].map((n) => ({ item: 'C-3002', qty: 5, batch: `G${n}`, expiryDate: addDays(today, n) }));
    await postMovement(db, app.co.admin, { type: 'receipt', warehouse: 'SH', lines, idempotencyKey: idem() });
    const before = (await chatCards('g-warehouse')).length;
    expect((await app.chat.alerts.scan(app.co.admin.companyId)).raised).toBe(6);
    const added = (await chatCards('g-warehouse')).slice(before);
    expect(added.map((c) => c.title)).toEqual(['效期预警 6 项']);
    expect(added[0]?.text).toContain(`润滑脂 批次 G1（上海仓）：5 罐，${addDays(today, 1)} 到期（还有 1 天）`);
    expect((await app.chat.alerts.scan(app.co.admin.companyId)).raised).toBe(0);
  });
});

describe('alert rules and history over the API', () => {
  it('an item rule narrows its expiry window (its alert resolves), bad rules change nothing, and the history shows it all', async () => {
    const { token } = await createApiToken(db, { companyId: app.co.admin.companyId, name: 'admin', scopes: ['admin'] });
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${app.base}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    expect((await call('PUT', '/alerts/rules', { category: '胶类', item: 'C-3001', expiryDays: 5 })).status).toBe(400);
    expect((await call('PUT', '/alerts/rules', { item: 'C-3001', staleDays: 0 })).status).toBe(400);
    expect((await call('PUT', '/alerts/rules', { item: 'NOPE', expiryDays: 5 })).status).toBe(404);
    expect(((await (await call('GET', '/alerts/rules')).json()) as { rules: unknown[] }).rules).toEqual([]);

    // 密封胶 L2409 expires in 10 days: with a 5-day window for this item it is no longer an alert.
    const saved = await call('PUT', '/alerts/rules', { item: 'C-3001', expiryDays: 5 });
    expect(saved.status).toBe(200);
    expect(((await (await call('GET', '/alerts/rules')).json()) as { rules: unknown[] }).rules).toEqual([
      { category: null, item: 'C-3001', staleDays: null, staleSupplyDays: null, expiryDays: 5, quietHours: null },
    ]);
    expect((await app.chat.alerts.scan(app.co.admin.companyId)).resolved).toBe(1);
    expect((await chatCards('g-warehouse')).at(-1)?.title).toBe('已解除：效期预警 · 密封胶 C-3001 · 上海仓');

    const history = (await (await call('GET', '/alerts?item=C-3001')).json()) as { alerts: { kind: string; status: string; warehouse: string; sends: number }[] };
    expect(history.alerts).toEqual([expect.objectContaining({ kind: 'expiry', status: 'resolved', warehouse: 'SH', sends: 1 })]);
    const open = (await (await call('GET', '/alerts?status=open&kind=expiry')).json()) as { alerts: { item: string }[] };
    expect(open.alerts.map((a) => a.item)).toEqual(Array(6).fill('C-3002'));
    expect((await call('GET', '/alerts?status=bogus')).status).toBe(400);
  });
});

describe('first-expiry-first-out (先进先出)', () => {
  it('flags an earlier batch left behind by an issue, once, and clears it when that batch has gone out', async () => {
    const co = app.co.admin.companyId;
    // 润滑脂 has batches G1…G6 expiring in 1…6 days; an issue picks G3 by name, leaving G1 and G2.
    await postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'C-3002', qty: 5, batch: 'G3' }], idempotencyKey: idem() });
    const before = (await chatCards('g-warehouse')).length;
    await app.chat.alerts.scan(co);
    const fifo = (await chatCards('g-warehouse')).slice(before).filter((c) => c.title.startsWith('先进先出未执行'));
    expect(fifo).toHaveLength(2);
    expect(fifo.map((c) => c.text).join('\n')).toContain(`出库用了批次 G3，较早的批次 G1（到期 ${addDays(today, 1)}）仍有 5 罐，请优先发出`);
    await app.chat.alerts.scan(co);
    expect((await chatCards('g-warehouse')).filter((c) => c.title.startsWith('先进先出未执行'))).toHaveLength(2);

    await postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'C-3002', qty: 5, batch: 'G1' }, { item: 'C-3002', qty: 5, batch: 'G2' }], idempotencyKey: idem() });
    await app.chat.alerts.scan(co);
    const resolved = (await chatCards('g-warehouse')).filter((c) => c.title.startsWith('已解除：先进先出未执行'));
    expect(resolved).toHaveLength(2);
  });
});

describe('the weekly safety-stock review', () => {
  it('sends its suggestions to the alert groups once per week', async () => {
    // 六角螺栓 went out 25 yesterday, nothing else in 90 days; with a 4-day lead time it needs a buffer of 9.
    await db.sql`update items set lead_time_days = 4 where company_id = ${app.co.admin.companyId} and code = 'B-2001'`;
    expect(await app.chat.alerts.reviewSafetyStock(app.co.admin.companyId)).toEqual({ suggestions: 1, sent: 1 });
    expect(await app.chat.alerts.reviewSafetyStock(app.co.admin.companyId)).toEqual({ suggestions: 1, sent: 0 });
    const card = (await chatCards('g-warehouse')).at(-1);
    expect(card?.title).toBe('安全库存复核 · 1 项建议调整');
    expect(card?.text).toContain('· B-2001 六角螺栓：0 → 9 个（交期 4 天）');
  });
});

describe('integrity alerts (数据校验)', () => {
  it('raise one alert when the ledger check finds balances that disagree, and resolve it when they agree again', async () => {
    const co = app.co.admin.companyId;
    const [balance] = await db.sql<{ id: number }[]>`
      select b.id from stock_balances b join items i on i.id = b.item_id where b.company_id = ${co} and i.code = 'B-2001' limit 1`;
    await db.sql`update stock_balances set on_hand = on_hand + 1 where id = ${balance!.id}`;
    try {
      const found = await app.chat.alerts.checkIntegrity(co);
      expect(found).toMatchObject({ problems: 1, raised: 1 });
      const card = (await chatCards('g-warehouse')).at(-1);
      expect(card?.title).toBe('数据校验预警 · 账实不符 1 处');
      expect(card?.text).toContain('balance_mismatch');
      expect((await app.chat.alerts.checkIntegrity(co)).raised).toBe(0);
    } finally {
      await db.sql`update stock_balances set on_hand = on_hand - 1 where id = ${balance!.id}`;
    }
    expect(await app.chat.alerts.checkIntegrity(co)).toMatchObject({ problems: 0, resolved: 1 });
    expect((await chatCards('g-warehouse')).at(-1)?.title).toBe('已解除：数据校验预警 · 账实不符 1 处');
  });

  it('tell the warehouse’s alert group when an integration’s postings are refused for lack of stock, and again when it happens more', async () => {
    const co = app.co.admin.companyId;
    const refuse = () => expect(postMovement(db, app.co.admin, { type: 'issue', warehouse: 'SH', lines: [{ item: 'A-1002', qty: 10_000 }], idempotencyKey: idem() })).rejects.toThrow(InsufficientStockError);
    await refuse();
    await app.chat.alerts.scan(co);
    const first = (await chatCards('g-warehouse')).filter((c) => c.title === '出库被拒 · 螺丝M8 A-1002 · 上海仓');
    expect(first).toHaveLength(1);
    expect(first[0]?.text).toContain('24小时内被拒次数: 1');
    expect(first[0]?.text).toContain('需要 10000 个，可用 80 个');
    await app.chat.alerts.scan(co);
    expect((await chatCards('g-warehouse')).filter((c) => c.title === '出库被拒 · 螺丝M8 A-1002 · 上海仓')).toHaveLength(1);
    await refuse();
    await app.chat.alerts.scan(co);
    const again = (await chatCards('g-warehouse')).filter((c) => c.title === '出库被拒 · 螺丝M8 A-1002 · 上海仓');
    expect(again.map((c) => c.text.includes('24小时内被拒次数: 2'))).toEqual([false, true]);
  });

  it('tell the alert groups when an approved request could not be carried out', async () => {
    const co = app.co.admin.companyId;
    const { id, requestNo } = await submitRequest(app.deps, app.co.as('KEEP'), { type: 'outbound', reason: 'sample', warehouse: 'SH', lines: [{ item: 'A-1002', qty: 5 }], idempotencyKey: idem() });
    // The workflow's first projection (status pending, the approver's task) lands just after
    // submission; the failure written before it would be overwritten.
    await eventually(async () => (await db.sql`select 1 from approval_tasks where request_id = ${id}`).length, (n) => n > 0);
    // The state the approval workflow leaves when shipping finds the stock gone.
    await db.sql`update requests set status = 'failed', failure = ${JSON.stringify({ code: 'INSUFFICIENT_STOCK', message: '库存不足：螺丝M8 上海仓 需要 5，可用 0' })}::jsonb where id = ${id}`;
    await app.chat.alerts.scan(co);
    const card = (await chatCards('g-warehouse')).find((c) => c.title === `执行失败 · ${requestNo} 出库申请`);
    expect(card?.text).toContain('库存不足：螺丝M8 上海仓 需要 5，可用 0');
    expect(card?.buttons.map((b) => b.label)).toEqual(['查看单据', '我来处理']);
    await app.chat.alerts.scan(co);
    expect((await chatCards('g-warehouse')).filter((c) => c.title === `执行失败 · ${requestNo} 出库申请`)).toHaveLength(1);
  });
});

describe('report schedules', () => {
  it('are created once and updated on the next start; a triggered digest round runs the workflow', async () => {
    const code = `T${idem('s').replaceAll('-', '')}`;
    const company = { id: app.co.admin.companyId, code, timezone: 'Asia/Shanghai' };
    const ids = await ensureReportSchedules(temporal.client, [company], taskQueue);
    expect(ids).toEqual([`snapshot-${code}`, `digest-${code}`, `alerts-${code}`, `safety-review-${code}`]);
    // A second start finds them and updates them instead of failing.
    expect(await ensureReportSchedules(temporal.client, [{ ...company, timezone: 'Asia/Tokyo' }], taskQueue)).toEqual(ids);
    try {
      const digest = temporal.client.schedule.getHandle(`digest-${code}`);
      const described = await digest.describe();
      expect(described.spec.timezone).toBe('Asia/Tokyo');
      expect(described.action.type).toBe('startWorkflow');
      expect(described.action.type === 'startWorkflow' ? described.action.workflowType : null).toBe('digestRoundWorkflow');

      await digest.trigger();
      const ran = await eventually(
        async () => (await digest.describe()).info.recentActions,
        (a) => a.length > 0,
      );
      const started = ran[0]!.action.workflow;
      const result = await temporal.client.workflow.getHandle(started.workflowId, started.firstExecutionRunId).result();
      // Both groups had today's digest already: the round sends nothing twice.
      expect(result).toEqual({ day: yesterday, sent: 0, already: 2, failed: 0 });
    } finally {
      for (const id of ids) await temporal.client.schedule.getHandle(id).delete();
    }
  });
});
