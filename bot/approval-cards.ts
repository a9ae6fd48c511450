import type { Database } from '../db/client.ts';
import type { RequestDeps } from '../inventory/requests/submit.ts';
import { getRequest } from '../inventory/requests/view.ts';
import type { Notification, Notifier } from '../workflows/notifier.ts';
import type { ChatAdapter, EmployeeIdentity } from './adapter.ts';
import { viewRequest } from './core/handlers/requests.ts';
import type { Turn } from './core/handlers/turn.ts';
import type { WarehouseDirectory } from './core/lexicon.ts';
import type { Links } from './core/links.ts';
import { actorOf } from './core/people.ts';
import { personById } from '../inventory/people.ts';
import { nameOf, say, type Lang } from './core/words.ts';
import type { DeliveryService } from './delivery.ts';

export interface ApprovalCardDeps extends RequestDeps {
  db: Database;
  links: Links;
  warehouses: WarehouseDirectory;
  delivery: DeliveryService;
  adapters: () => readonly ChatAdapter[];
  log?: (message: string, err?: unknown) => void;
}

/** How often undelivered notifications (a crash, a platform outage) are tried again. */
const SWEEP_EVERY_MS = 30_000;

/**
 * Turns approval notifications into cards in people's chats, and keeps the
 * cards current: after every change of a request, each card already sent
 * about it is redrawn in place. Work runs off the workflow's path (the
 * activity only enqueues); the `notifications` outbox, marked delivered
 * when sent, is swept for anything a crash or an outage left behind.
 */
export class ApprovalCards implements Notifier {
  private readonly chains = new Map<number, Promise<void>>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ApprovalCardDeps) {}

  async send(n: Notification): Promise<void> {
    this.enqueue(n.requestId, () => this.deliver(n));
  }

  async changed(companyId: number, requestId: number): Promise<void> {
    this.enqueue(requestId, () => this.redraw(companyId, requestId));
  }

  /** Waits for queued work (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size) await Promise.all([...this.chains.values()]);
  }

  startSweeper(): void {
    this.sweeper = setInterval(() => void this.sweep().catch((err: unknown) => this.deps.log?.('notification sweep failed', err)), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  stop(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Delivers what is still undelivered after a while (the queue normally does it within a second). */
  async sweep(olderThan = '30 seconds'): Promise<number> {
    const rows = await this.deps.db.sql<{ notification_key: string; company_id: number; request_id: number; kind: string; recipient_id: number; payload: Record<string, unknown> }[]>`
      select notification_key, company_id, request_id, kind, recipient_id, payload from notifications
      where delivered_at is null and request_id is not null and recipient_id is not null and created_at < now() - ${olderThan}::interval
        and created_at > now() - interval '1 day'
      order by id limit 200`;
    for (const r of rows) {
      await this.deliver({ key: r.notification_key, companyId: r.company_id, requestId: r.request_id, kind: r.kind, recipientId: r.recipient_id, detail: r.payload });
    }
    return rows.length;
  }

  /** One queue per request keeps its cards in order (a new task card before the redraw that follows it). */
  private enqueue(requestId: number, work: () => Promise<void>): void {
    const prev = this.chains.get(requestId) ?? Promise.resolve();
    const next = prev
      .then(work)
      .catch((err: unknown) => this.deps.log?.(`approval card for request ${requestId} failed`, err))
      .finally(() => {
        if (this.chains.get(requestId) === next) this.chains.delete(requestId);
      });
    this.chains.set(requestId, next);
  }

  private async deliver(n: Notification): Promise<void> {
    const turn = await this.turnFor(n.companyId, n.recipientId);
    if (!turn) return;
    const view = await getRequest(this.deps, turn.actor, n.requestId);
    const headline = headlineOf(turn.lang, n, view.type, view.requestNo, view.status);
    const card = await viewRequest(turn, n.requestId, headline, view);
    const who = await this.identity(n.recipientId);
    for (const adapter of this.deps.adapters()) {
      const chat = who && adapter.directChat(who);
      if (!chat) continue;
      const done = await this.deps.delivery.deliver(adapter, n.companyId, chat, card, `${n.key}:${adapter.platform}`, turn.lang);
      for (const ref of done.fresh ? done.messageRefs.slice(0, 1) : []) {
        await this.deps.db.sql`
          insert into chat_cards (company_id, request_id, platform, chat_id, recipient_id, message_ref, lang)
          values (${n.companyId}, ${n.requestId}, ${adapter.platform}, ${chat.id}, ${n.recipientId}, ${ref}, ${turn.lang})
          on conflict (platform, message_ref) do nothing`;
      }
    }
    await this.deps.db.sql`update notifications set delivered_at = now() where notification_key = ${n.key} and delivered_at is null`;
  }

  /** Redraws every card sent about the request, each for the person it was sent to. */
  private async redraw(companyId: number, requestId: number): Promise<void> {
    const cards = await this.deps.db.sql<{ platform: string; chat_id: string; recipient_id: number; message_ref: string }[]>`
      select platform, chat_id, recipient_id, message_ref from chat_cards where company_id = ${companyId} and request_id = ${requestId} order by id`;
    if (cards.length === 0) return;
    const adapters = new Map(this.deps.adapters().map((a) => [a.platform as string, a]));
    for (const c of cards) {
      const adapter = adapters.get(c.platform);
      const turn = adapter && (await this.turnFor(companyId, c.recipient_id));
      if (!adapter || !turn) continue;
      const card = await viewRequest(turn, requestId);
      await adapter.update(companyId, { id: c.chat_id, kind: 'direct' }, c.message_ref, card);
    }
  }

  private async turnFor(companyId: number, employeeId: number): Promise<Turn | null> {
    const user = await personById(this.deps.db, companyId, employeeId);
    if (!user) return null;
    const visible = await this.deps.warehouses.visible(companyId, user.warehouseScope);
    const lang: Lang = 'zh';
    return { deps: { ...this.deps }, user, actor: actorOf(user, 'console'), lang, platform: 'console', chat: { id: '', kind: 'direct' }, visible };
  }

  private async identity(employeeId: number): Promise<EmployeeIdentity | null> {
    const [e] = await this.deps.db.sql<{ code: string; dingtalk_user_id: string | null; feishu_open_id: string | null; wecom_user_id: string | null; wechaty_id: string | null }[]>`
      select code, dingtalk_user_id, feishu_open_id, wecom_user_id, wechaty_id from employees where id = ${employeeId} and active`;
    return e ? { code: e.code, dingtalkUserId: e.dingtalk_user_id, feishuOpenId: e.feishu_open_id, wecomUserId: e.wecom_user_id, wechatyId: e.wechaty_id } : null;
  }
}

function headlineOf(lang: Lang, n: Notification, type: string, no: string, status: string): string {
  const p = { type: nameOf(lang, type), no, status: nameOf(lang, status) };
  switch (n.kind) {
    case 'task':
      return say(lang, 'newTask', p);
    case 'reminder':
      return say(lang, 'reminder', p);
    case 'escalation':
      return say(lang, 'escalation', p);
    case 'outcome':
      return say(lang, 'outcome', { ...p, status: nameOf(lang, String(n.detail.outcome ?? status)) });
    case 'failure':
      return say(lang, 'failure', { ...p, reason: String(n.detail.message ?? n.detail.code ?? '') });
    case 'fulfilment':
      return say(lang, 'fulfilment', { ...p, status: nameOf(lang, String(n.detail.stage ?? status)) });
    default:
      return `${p.type} ${no}`;
  }
}
