import type { Database } from '../../db/client.ts';
import { DomainError, ValidationError } from '../../inventory/errors.ts';
import type { RequestDeps } from '../../inventory/requests/submit.ts';
import type { IncomingMessage, IncomingTap, Platform, Reply, TapOutcome } from '../adapter.ts';
import { actOnce } from '../inbox.ts';
import { actionSchema } from './actions.ts';
import type { Card } from './card.ts';
import { parseIntent } from './intent.ts';
import type { WarehouseDirectory } from './lexicon.ts';
import type { Links } from './links.ts';
import { actorOf, PeopleDirectory } from './people.ts';
import { decide, delegateTo, delegateChoices, draftRequest, myRequestsCard, myTasksCard, requestFromChat, submitFromChat, viewRequest } from './handlers/requests.ts';
import { acknowledgeAlert } from '../../inventory/reports/alerts.ts';
import { alertTitle } from './answers/alert.ts';
import { digestOnDemand } from './handlers/digest.ts';
import { answerStock } from './handlers/stock.ts';
import { subscribe, unsubscribe } from './handlers/subscriptions.ts';
import type { Turn } from './handlers/turn.ts';
import { localeOf, nameOf, say, type Lang } from './words.ts';

export interface ConversationDeps extends RequestDeps {
  db: Database;
  links: Links;
  warehouses: WarehouseDirectory;
  log?: (message: string, err?: unknown) => void;
}

/**
 * The conversation core: a message or a tap from any platform becomes an
 * answer as neutral cards. It knows no platform; adapters call it and render
 * what it returns. Each platform event is acted on once, however often the
 * platform redelivers it.
 */
export class Conversation {
  private readonly people: PeopleDirectory;

  constructor(private readonly deps: ConversationDeps) {
    this.people = new PeopleDirectory(deps.db);
  }

  async handleMessage(msg: IncomingMessage): Promise<Reply[]> {
    if (msg.chat.kind === 'group' && !msg.mentioned) return [];
    const replies = await actOnce(this.deps.db, msg.platform, msg.eventId, async () => {
      const all = await this.deps.warehouses.list(msg.companyId);
      const intent = parseIntent(msg.text, { warehouses: all });
      const turn = await this.turn(msg, intent.lang);
      if (!turn) return [{ card: unboundCard(intent.lang, msg.platform) }];
      const replies = await this.guard(turn.lang, async (): Promise<Reply[]> => {
        switch (intent.kind) {
          case 'stock':
            return answerStock(turn, intent.item, intent.warehouse);
          case 'stock_missing_item':
            return [{ card: { title: say(turn.lang, 'askItem') } }];
          case 'my_tasks':
            return [{ card: await myTasksCard(turn) }];
          case 'my_requests':
            return [{ card: await myRequestsCard(turn) }];
          case 'request':
            return requestFromChat(turn, intent);
          case 'subscribe':
            return [{ card: await subscribe(turn, intent.topic, intent.warehouse) }];
          case 'unsubscribe':
            return [{ card: await unsubscribe(turn, intent.topic, intent.warehouse) }];
          case 'digest':
            return [{ card: await digestOnDemand(turn) }];
          case 'help':
            return [{ card: helpCard(turn.lang) }];
          case 'unknown':
            return [{ card: { title: say(turn.lang, 'notUnderstood', { text: intent.text }), buttons: helpButtons(turn.lang) } }];
        }
      });
      return replies.map((r) => tagLanguage(r, turn.lang));
    });
    return replies ?? [];
  }

  async handleTap(tap: IncomingTap): Promise<TapOutcome> {
    const outcome = await actOnce(this.deps.db, tap.platform, tap.eventId, async (): Promise<TapOutcome> => {
      // Buttons carry the language of the card they are on.
      const lang: Lang = isRecord(tap.value) && tap.value.lang === 'en' ? 'en' : 'zh';
      const turn = await this.turn(tap, lang);
      if (!turn) return { replies: [{ card: unboundCard(lang, tap.platform) }] };
      const parsed = actionSchema.safeParse(tap.value);
      if (!parsed.success) return { replies: [{ card: { title: say(turn.lang, 'tapExpired') } }] };
      const action = parsed.data;
      const clickId = `${tap.platform}:${tap.eventId}`;
      let update: Reply | undefined;
      const replies = await this.guard(turn.lang, async () => {
        switch (action.act) {
          case 'stock':
            return answerStock(turn, action.item, action.wh ?? null);
          case 'approve':
          case 'reject': {
            const done = await decide(turn, action.req, action.act, clickId);
            update = { card: done.card, requestId: action.req };
            return done.replies;
          }
          case 'delegate':
            return [{ card: await delegateChoices(turn, action.req) }];
          case 'delegate_to': {
            const done = await delegateTo(turn, action.req, action.to, clickId);
            return done.replies;
          }
          case 'view':
            return [{ card: await viewRequest(turn, action.req), requestId: action.req }];
          case 'my_tasks':
            return [{ card: await myTasksCard(turn) }];
          case 'my_requests':
            return [{ card: await myRequestsCard(turn) }];
          case 'draft':
            return [{ card: draftRequest(turn, action) }];
          case 'propose':
            return requestFromChat(turn, {
              lang: turn.lang,
              kind: 'request',
              type: action.type,
              item: action.item,
              qty: action.qty ?? null,
              unit: null,
              warehouse: action.wh,
              toWarehouse: action.to ?? null,
              reason: null,
              note: null,
            });
          case 'alert_ack': {
            const taken = await acknowledgeAlert(this.deps.db, turn.user.companyId, action.alert, turn.user.employeeId);
            if (!taken) return [{ card: { title: say(turn.lang, 'alertGone') } }];
            update = { card: { title: alertTitle(taken.details, turn.lang), notes: [say(turn.lang, 'alertAcknowledged', { name: turn.user.name })] } };
            return [];
          }
          case 'submit': {
            const done = await submitFromChat(turn, action);
            update = done.update;
            return done.replies;
          }
        }
      });
      return { replies: replies.map((r) => tagLanguage(r, lang)), ...(update ? { update: tagLanguage(update, lang) } : {}) };
    });
    return outcome ?? { replies: [] };
  }

  /** Who is asking, in which language, through which actor; null when the sender is not bound to an employee. */
  private async turn(ev: IncomingMessage | IncomingTap, lang: Lang): Promise<Turn | null> {
    let user = await this.people.find(ev.companyId, ev.platform, ev.senderId);
    for (const alias of ev.senderAliases ?? []) user ??= await this.people.find(ev.companyId, ev.platform, alias);
    if (!user) return null;
    const visible = await this.deps.warehouses.visible(ev.companyId, user.warehouseScope);
    return { deps: this.deps, user, actor: actorOf(user, ev.platform), lang, platform: ev.platform, chat: ev.chat, visible };
  }

  /** Domain refusals become a clear answer in the asker's language; nothing was changed by the verb that refused. */
  private async guard(lang: Lang, work: () => Promise<Reply[]>): Promise<Reply[]> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DomainError) {
        const details = err instanceof ValidationError ? err.localizedIssues(localeOf(lang)).map((i) => `${i.path}: ${i.message}`) : [];
        return [{ card: { title: err.localized(localeOf(lang)), tone: 'danger', notes: details } }];
      }
      this.deps.log?.('chat turn failed', err);
      return [{ card: { title: say(lang, 'somethingWrong', { code: 'INTERNAL' }), tone: 'danger' } }];
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** English cards mark their buttons so the tap is answered in English too. */
function tagLanguage(reply: Reply, lang: Lang): Reply {
  if (lang === 'zh' || !reply.card.buttons?.length) return reply;
  return { ...reply, card: { ...reply.card, buttons: reply.card.buttons.map((b) => ({ ...b, value: { ...b.value, lang } })) } };
}

function unboundCard(lang: Lang, platform: Platform): Card {
  return { title: say(lang, 'unboundTitle'), tone: 'warning', notes: [say(lang, 'unbound', { platform: nameOf(lang, platform) })] };
}

const helpButtons = (lang: Lang) => [
  { label: say(lang, 'myTasks'), value: { act: 'my_tasks' } },
  { label: say(lang, 'myRequests'), value: { act: 'my_requests' } },
];

function helpCard(lang: Lang): Card {
  return { title: say(lang, 'helpTitle'), notes: say(lang, 'helpLines').split('\n'), buttons: helpButtons(lang) };
}
