import { createHash } from 'node:crypto';
import type { Database } from '../db/client.ts';
import {
  expiryCandidates,
  fifoCandidates,
  fulfilmentFailures,
  integrityCandidates,
  refusedPostings,
  shortageCandidates,
  staleCandidates,
} from '../inventory/reports/alert-conditions.ts';
import { alertKey, markAlertsSent, reconcileAlerts, thresholdsFor, type Candidate, type StoredAlert } from '../inventory/reports/alerts.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { reviewSafetyStock } from '../inventory/reports/safety-review.ts';
import { companyDay, rollUpThrough } from '../inventory/reports/snapshot.ts';
import type { ChatAdapter } from './adapter.ts';
import { alertCard, alertListCard, resolvedCard, safetyReviewCard } from './core/answers/alert.ts';
import type { Links } from './core/links.ts';
import type { DeliveryService } from './delivery.ts';
import { publishToSubscribers } from './group-delivery.ts';

export interface AlertDeps {
  db: Database;
  delivery: DeliveryService;
  adapters: () => readonly ChatAdapter[];
  links: Links;
  log?: (message: string, err?: unknown) => void;
}

export interface AlertCounts {
  raised: number;
  resent: number;
  resolved: number;
}

/** More alerts of one kind at once than this go out as one list. */
const MAX_SINGLE_CARDS = 5;

/** How often the watcher looks for new postings and reservations. */
const WATCH_MS = 2_000;

/**
 * 预警 to the groups that subscribed (订阅预警 [仓库]). Shortages are checked
 * right after the postings and reservations that touch an item × warehouse
 * (the watcher follows the ledger, whichever process posted), and again in
 * the hourly scan with stale stock and expiry. Each alert goes out when it
 * is new, when it got worse, or after its quiet period; a resolved note
 * follows when its condition clears.
 */
export class AlertService {
  private timer: NodeJS.Timeout | null = null;
  private watermark: { ledger: number; reservations: number } | null = null;
  private watching: Promise<void> = Promise.resolve();

  constructor(private readonly deps: AlertDeps) {}

  /**
   * The hourly scan: shortages, stale stock (on the closed days), expiry,
   * FIFO, refused postings and failed fulfilments. It goes warehouse by
   * warehouse, calling `progress` after each so a long scan can heartbeat.
   */
  async scan(companyId: number, progress: (step: string) => void = () => {}): Promise<AlertCounts> {
    const { db } = this.deps;
    const asOf = await companyDay(db, companyId, -1);
    await rollUpThrough(db, companyId, asOf, { onDay: (day) => progress(`roll-up ${day}`) });
    const rules = await thresholdsFor(db, companyId);
    const quiet = rules.company.quietHours;
    const shortage: Candidate[] = [];
    const stale: Candidate[] = [];
    const staleChecked = new Set<string>();
    const warehouses = await db.sql<{ id: number; code: string }[]>`select id, code from warehouses where company_id = ${companyId} order by id`;
    for (const w of warehouses) {
      shortage.push(...(await shortageCandidates(db, companyId, null, w.id)).candidates);
      const s = await staleCandidates(db, companyId, asOf, rules, w.id);
      stale.push(...s.candidates);
      for (const k of s.checked) staleChecked.add(k);
      progress(`warehouse ${w.code}`);
    }
    const fifo = await fifoCandidates(db, companyId);
    const refused = await refusedPostings(db, companyId);
    const results = [
      await reconcileAlerts(db, companyId, 'shortage', shortage, 'all', quiet),
      await reconcileAlerts(db, companyId, 'stale', stale, staleChecked, quiet),
      await reconcileAlerts(db, companyId, 'expiry', await expiryCandidates(db, companyId, rules), 'all', quiet),
      // A skipped earlier batch stays an alert until it has gone out (or someone takes it on).
      await reconcileAlerts(db, companyId, 'fifo', fifo.candidates, fifo.checked, quiet),
      // A failed fulfilment stays until someone takes it on; refused postings clear after a quiet day. (The ledger check's alert is the nightly job's.)
      await reconcileAlerts(db, companyId, 'integrity', [...(await fulfilmentFailures(db, companyId)), ...refused.candidates], refused.checked, quiet),
    ];
    const counts: AlertCounts = { raised: 0, resent: 0, resolved: 0 };
    for (const r of results) {
      add(counts, await this.publish(companyId, r));
      progress('published');
    }
    return counts;
  }

  /**
   * 数据校验 (nightly, after the roll-up): the ledger check's findings for the
   * company as one alert, resolved when a later check is clean.
   */
  async checkIntegrity(companyId: number): Promise<AlertCounts & { problems: number }> {
    const { db } = this.deps;
    const problems = (await checkLedger(db)).filter((p) => p.companyId === companyId);
    const checked = new Set([alertKey({ kind: 'integrity', itemId: null, warehouseId: null, batchId: null, ref: 'check' })]);
    const counts = await this.publish(companyId, await reconcileAlerts(db, companyId, 'integrity', integrityCandidates(problems), checked));
    return { ...counts, problems: problems.length };
  }

  /** 安全库存复核 (weekly): suggestions to every alert group, once per week's run. */
  async reviewSafetyStock(companyId: number): Promise<{ suggestions: number; sent: number }> {
    const { db } = this.deps;
    const asOf = await companyDay(db, companyId, -1);
    await rollUpThrough(db, companyId, asOf);
    const suggestions = await reviewSafetyStock(db, companyId, asOf);
    if (suggestions.length === 0) return { suggestions: 0, sent: 0 };
    const done = await publishToSubscribers(this.deps, {
      companyId,
      topic: 'alerts',
      key: `safety-review:${companyId}:${asOf}`,
      build: (s) => safetyReviewCard(suggestions, s.lang, this.deps.links),
    });
    return { suggestions: suggestions.length, sent: done.sent };
  }

  /** Shortage check for the pairs a posting or reservation touched. */
  async checkShortages(companyId: number, pairs: readonly { itemId: number; warehouseId: number }[]): Promise<AlertCounts> {
    const { db } = this.deps;
    const quiet = (await thresholdsFor(db, companyId)).company.quietHours;
    const found = await shortageCandidates(db, companyId, pairs);
    return this.publish(companyId, await reconcileAlerts(db, companyId, 'shortage', found.candidates, found.checked, quiet));
  }

  /** Follows the ledger and reservations from now on; `stop` ends it. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.watching = this.watching.then(async () => void (await this.watchOnce())).catch((err: unknown) => this.deps.log?.('shortage watch failed', err));
    }, WATCH_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.watching;
  }

  /** One look at what was posted or reserved since the last look; answers when done (tests call it directly). */
  async watchOnce(): Promise<AlertCounts> {
    const { db } = this.deps;
    if (!this.watermark) {
      const [w] = await db.sql<{ ledger: string; reservations: string }[]>`
        select coalesce((select max(id) from stock_ledger), 0)::text as ledger, coalesce((select max(id) from reservation_lines), 0)::text as reservations`;
      this.watermark = { ledger: Number(w?.ledger ?? 0), reservations: Number(w?.reservations ?? 0) };
      return { raised: 0, resent: 0, resolved: 0 };
    }
    const touched = await db.sql<{ company_id: number; item_id: number; warehouse_id: number; ledger: string | null; reservations: string | null }[]>`
      select company_id, item_id, warehouse_id, max(ledger)::text as ledger, max(res)::text as reservations from (
        select company_id, item_id, warehouse_id, id as ledger, null::bigint as res from stock_ledger where id > ${this.watermark.ledger}
        union all
        select company_id, item_id, warehouse_id, null, id from reservation_lines where id > ${this.watermark.reservations}
      ) t group by company_id, item_id, warehouse_id`;
    const counts: AlertCounts = { raised: 0, resent: 0, resolved: 0 };
    const byCompany = new Map<number, { itemId: number; warehouseId: number }[]>();
    for (const t of touched) {
      byCompany.set(t.company_id, [...(byCompany.get(t.company_id) ?? []), { itemId: t.item_id, warehouseId: t.warehouse_id }]);
      this.watermark.ledger = Math.max(this.watermark.ledger, Number(t.ledger ?? 0));
      this.watermark.reservations = Math.max(this.watermark.reservations, Number(t.reservations ?? 0));
    }
    for (const [companyId, pairs] of byCompany) add(counts, await this.checkShortages(companyId, pairs));
    return counts;
  }

  private async publish(companyId: number, r: { send: StoredAlert[]; resolved: StoredAlert[] }): Promise<AlertCounts> {
    const counts: AlertCounts = { raised: 0, resent: 0, resolved: 0 };
    if (r.send.length > MAX_SINGLE_CARDS) {
      // A first scan (or a subscription to a neglected warehouse) finds dozens: one list, not a flood of cards.
      const key = `alert-list:${createHash('sha256').update(r.send.map((a) => `${a.id}.${a.sends}`).join(',')).digest('hex').slice(0, 32)}`;
      const done = await publishToSubscribers(this.deps, {
        companyId,
        topic: 'alerts',
        key,
        build: (s) => {
          const mine = r.send.filter((a) => s.warehouseId === null || a.warehouseId === s.warehouseId);
          return mine.length ? alertListCard(mine, s.lang, this.deps.links) : null;
        },
      });
      for (const f of done.failed) this.deps.log?.(`alert list not delivered to ${f.chatId}: ${f.error}`);
      if (done.sent + done.already > 0) {
        await markAlertsSent(this.deps.db, r.send.map((a) => a.id));
        for (const a of r.send) {
          if (a.sends === 0) counts.raised++;
          else counts.resent++;
        }
      }
      r = { send: [], resolved: r.resolved };
    }
    for (const a of r.send) {
      const done = await publishToSubscribers(this.deps, {
        companyId,
        topic: 'alerts',
        key: `alert:${a.id}:${a.sends + 1}`,
        warehouseId: a.warehouseId,
        build: (s) => alertCard(a.id, a.details, s.lang, this.deps.links),
      });
      for (const f of done.failed) this.deps.log?.(`alert ${a.id} not delivered to ${f.chatId}: ${f.error}`);
      // Kept due until some group has it: a group subscribing later still hears of an open alert.
      if (done.sent + done.already > 0) {
        await markAlertsSent(this.deps.db, [a.id]);
        if (a.sends === 0) counts.raised++;
        else counts.resent++;
      }
    }
    for (const a of r.resolved) {
      await publishToSubscribers(this.deps, {
        companyId,
        topic: 'alerts',
        key: `alert:${a.id}:resolved`,
        warehouseId: a.warehouseId,
        build: (s) => resolvedCard(a.details, s.lang),
      });
      counts.resolved++;
    }
    return counts;
  }
}

function add(into: AlertCounts, more: AlertCounts): void {
  into.raised += more.raised;
  into.resent += more.resent;
  into.resolved += more.resolved;
}
