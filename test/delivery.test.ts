import { beforeAll, describe, expect, it } from 'vitest';
import { TransientSendError, type ChatAdapter, type ChatRef, type PlatformLimits } from '../bot/adapter.ts';
import type { Card } from '../bot/core/card.ts';
import { DeliveryService, splitCard } from '../bot/delivery.ts';
import type { Database } from '../db/client.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses } from './support/fixtures.ts';

/**
 * A platform whose API fails the first `failures` sends with 429 (as DingTalk,
 * Feishu and WeCom do under load), recording what it finally accepted.
 */
class FlakyPlatform implements ChatAdapter {
  readonly platform = 'dingtalk' as const;
  readonly posted: { chat: string; card: Card; key: string }[] = [];
  attempts = 0;
  constructor(
    private failures: number,
    readonly limits: PlatformLimits = { maxTableRows: 3, maxTextLength: 2000, sendsPerMinute: 600 },
  ) {}
  directChat(): ChatRef | null {
    return null;
  }
  async send(_companyId: number, chat: ChatRef, card: Card, key: string): Promise<string> {
    this.attempts++;
    if (this.failures > 0) {
      this.failures--;
      throw new TransientSendError('429 Too Many Requests', 1);
    }
    this.posted.push({ chat: chat.id, card, key });
    return `m${this.posted.length}`;
  }
  async update(): Promise<void> {}
}

let db: Database;
let companyId: number;
const group: ChatRef = { id: 'cid-warehouse', kind: 'group' };
const card = (rows: number): Card => ({
  title: '库存日报',
  fields: [{ label: '库存金额', value: '¥1,000' }],
  table: { columns: ['物料', '可用'], rows: Array.from({ length: rows }, (_, i) => [`A-${1000 + i}`, String(i)]) },
});

beforeAll(async () => {
  db = await freshDatabase();
  companyId = (await companyWithWarehouses(db)).companyId;
});

describe('delivery to chats', () => {
  it('retries a throttled send and posts it once', async () => {
    const platform = new FlakyPlatform(2);
    const delivery = new DeliveryService(db, { backoffMs: 1 });
    const done = await delivery.deliver(platform, companyId, group, card(2), 'digest:g1:2026-11-24');
    expect(platform.attempts).toBe(3);
    expect(platform.posted).toHaveLength(1);
    expect(done).toEqual({ fresh: true, messageRefs: ['m1'] });
  });

  it('a retried delivery with the same key posts nothing twice', async () => {
    const platform = new FlakyPlatform(0);
    const delivery = new DeliveryService(db);
    await delivery.deliver(platform, companyId, group, card(2), 'digest:g2:2026-11-24');
    const again = await new DeliveryService(db).deliver(platform, companyId, group, card(2), 'digest:g2:2026-11-24');
    expect(platform.posted).toHaveLength(1);
    expect(again).toEqual({ fresh: false, messageRefs: ['m1'] });
  });

  it('gives up after the last attempt, records why, and a later retry can still deliver', async () => {
    const platform = new FlakyPlatform(10);
    const delivery = new DeliveryService(db, { maxAttempts: 3, backoffMs: 1 });
    await expect(delivery.deliver(platform, companyId, group, card(1), 'alert:g3:1')).rejects.toThrow('429');
    const [row] = await db.sql<{ status: string; last_error: { message: string } }[]>`select status, last_error from chat_deliveries where delivery_key = 'alert:g3:1'`;
    expect(row).toEqual({ status: 'failed', last_error: expect.objectContaining({ message: '429 Too Many Requests' }) });
    const healed = new FlakyPlatform(0);
    expect((await delivery.deliver(healed, companyId, group, card(1), 'alert:g3:1')).fresh).toBe(true);
    expect(healed.posted).toHaveLength(1);
  });

  it('splits a table longer than the platform shows into several messages', async () => {
    const platform = new FlakyPlatform(0);
    const done = await new DeliveryService(db).deliver(platform, companyId, group, card(7), 'digest:g4:2026-11-24');
    expect(platform.posted.map((p) => p.card.table?.rows.length)).toEqual([3, 3, 1]);
    expect(platform.posted.map((p) => p.key)).toEqual(['digest:g4:2026-11-24', 'digest:g4:2026-11-24#1', 'digest:g4:2026-11-24#2']);
    expect(platform.posted[0]?.card.fields).toHaveLength(1);
    expect(done.messageRefs).toHaveLength(3);
  });

  it('cuts notes that do not fit and says how many were left out', () => {
    const long: Card = { title: 'T', notes: Array.from({ length: 50 }, (_, i) => `note ${i} ${'x'.repeat(30)}`) };
    const [only] = splitCard(long, { maxTableRows: 10, maxTextLength: 400, sendsPerMinute: 20 }, 'zh');
    expect(only?.notes?.length).toBeLessThan(50);
    expect(only?.notes?.at(-1)).toMatch(/^……还有 \d+ 行$/);
  });

  it('paces sends to one chat under the platform’s per-minute limit', async () => {
    const slept: number[] = [];
    const platform = new FlakyPlatform(0, { maxTableRows: 10, maxTextLength: 2000, sendsPerMinute: 2 });
    const delivery = new DeliveryService(db, { sleep: async (ms) => void slept.push(ms) });
    for (let i = 0; i < 4; i++) await delivery.deliver(platform, companyId, group, card(1), `burst:${i}`);
    expect(platform.posted).toHaveLength(4);
    // Two go at once (the allowance), each further one waits about half a minute.
    expect(slept.length).toBe(2);
    for (const ms of slept) expect(ms).toBeGreaterThan(25_000);
  });
});
