import type { Database } from '../db/client.ts';
import { TransientSendError, type ChatAdapter, type ChatRef, type PlatformLimits } from './adapter.ts';
import type { Card } from './core/card.ts';
import { say, type Lang } from './core/words.ts';

export interface DeliveryOptions {
  /** Attempts per message part before giving up (platform 429/5xx, timeouts). */
  maxAttempts?: number;
  /** First backoff; doubles per attempt, with jitter. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** A claim left 'sending' this long belongs to a process that died mid-send; another may take it over. */
const STALE_CLAIM = '2 minutes';

export interface Delivered {
  /** False when the key was delivered before: nothing was posted this time. */
  fresh: boolean;
  messageRefs: string[];
}

/**
 * Sends cards to conversations through the adapters, safely: each delivery
 * has an idempotency key recorded in `chat_deliveries` (a retried send never
 * posts twice), a card too big for the platform is split, sends to one
 * conversation are paced under the platform's rate limit, and transient
 * platform errors are retried with backoff.
 */
export class DeliveryService {
  private readonly pacers = new Map<string, Pacer>();
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Database,
    options: DeliveryOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async deliver(adapter: ChatAdapter, companyId: number, chat: ChatRef, card: Card, key: string, lang: Lang = 'zh'): Promise<Delivered> {
    const sql = this.db.sql;
    const [claim] = await sql<{ id: number }[]>`
      insert into chat_deliveries (company_id, delivery_key, platform, target, status)
      values (${companyId}, ${key}, ${adapter.platform}, ${chat.id}, 'sending')
      on conflict (company_id, delivery_key) do update set status = 'sending', attempts = chat_deliveries.attempts
        where chat_deliveries.status = 'failed'
           or (chat_deliveries.status = 'sending' and chat_deliveries.created_at < now() - ${STALE_CLAIM}::interval)
      returning id`;
    if (!claim) {
      const [done] = await sql<{ message_refs: string[] }[]>`
        select message_refs from chat_deliveries where company_id = ${companyId} and delivery_key = ${key}`;
      return { fresh: false, messageRefs: done?.message_refs ?? [] };
    }
    const refs: string[] = [];
    try {
      for (const [i, part] of splitCard(card, adapter.limits, lang).entries()) {
        await this.pacer(adapter, chat).take();
        refs.push(await this.withRetry(() => adapter.send(companyId, chat, part, i === 0 ? key : `${key}#${i}`)));
      }
      await sql`update chat_deliveries set status = 'sent', message_refs = ${refs}, sent_at = now() where id = ${claim.id}`;
      return { fresh: true, messageRefs: refs };
    } catch (err) {
      const detail = { message: err instanceof Error ? err.message : String(err), sentParts: refs.length };
      await sql`update chat_deliveries set status = 'failed', message_refs = ${refs}, last_error = ${JSON.stringify(detail)}::jsonb where id = ${claim.id}`;
      throw err;
    }
  }

  private async withRetry<T>(send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (err) {
        if (!(err instanceof TransientSendError) || attempt >= this.maxAttempts) throw err;
        const backoff = err.retryAfterMs ?? this.backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random());
        await this.sleep(backoff);
      }
    }
  }

  private pacer(adapter: ChatAdapter, chat: ChatRef): Pacer {
    const key = `${adapter.platform}:${chat.id}`;
    let p = this.pacers.get(key);
    if (!p) {
      p = new Pacer(adapter.limits.sendsPerMinute, this.sleep);
      this.pacers.set(key, p);
    }
    return p;
  }
}

/**
 * A token bucket per conversation: bursts up to the per-minute allowance,
 * then one send per interval, so a storm of alerts queues instead of being
 * refused by the platform.
 */
class Pacer {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly perMinute: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {
    this.tokens = perMinute;
  }

  take(): Promise<void> {
    const next = this.queue.then(async () => {
      const refill = () => {
        const now = Date.now();
        this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
        this.last = now;
      };
      refill();
      if (this.tokens < 1) {
        await this.sleep(((1 - this.tokens) * 60_000) / this.perMinute);
        refill();
      }
      this.tokens -= 1;
    });
    this.queue = next;
    return next;
  }
}

/**
 * Fits a card to a platform: a table longer than the platform shows is split
 * across messages (the first keeps title and fields, the others repeat the
 * title), and text beyond the limit is cut with "and N more".
 */
export function splitCard(card: Card, limits: PlatformLimits, lang: Lang): Card[] {
  const rows = card.table?.rows ?? [];
  const fitText = (c: Card): Card => {
    const notes = c.notes ?? [];
    let budget = limits.maxTextLength - c.title.length - (c.fields ?? []).reduce((a, f) => a + f.label.length + f.value.length + 2, 0);
    budget -= (c.table?.rows ?? []).reduce((a, r) => a + r.join(' | ').length + 1, 0);
    const kept: string[] = [];
    for (const n of notes) {
      if (n.length + 1 > budget) break;
      kept.push(n);
      budget -= n.length + 1;
    }
    if (kept.length < notes.length) kept.push(say(lang, 'andMore', { n: notes.length - kept.length }));
    return { ...c, notes: kept };
  };
  if (!card.table || rows.length <= limits.maxTableRows) return [fitText(card)];
  const parts: Card[] = [];
  for (let i = 0; i < rows.length; i += limits.maxTableRows) {
    const slice = rows.slice(i, i + limits.maxTableRows);
    const last = i + limits.maxTableRows >= rows.length;
    parts.push(
      fitText(
        i === 0
          ? { ...card, table: { ...card.table, rows: slice, more: 0 }, ...(last ? {} : { buttons: [] }) }
          : { title: card.title, table: { columns: card.table.columns, rows: slice, ...(last && card.table.more ? { more: card.table.more } : {}) }, ...(last ? { buttons: card.buttons ?? [], link: card.link } : {}) },
      ),
    );
  }
  return parts.map((p) => {
    if (p.table?.more === 0) {
      const { more: _more, ...table } = p.table;
      return { ...p, table };
    }
    return p;
  });
}
