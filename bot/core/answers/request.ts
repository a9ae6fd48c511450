import type { RequestView } from '../../../inventory/requests/view.ts';
import type { Card } from '../card.ts';
import type { Links } from '../links.ts';
import { nameOf, say, type Lang } from '../words.ts';

export interface RequestCardInput {
  request: RequestView;
  /** Available now in the request's source warehouse, per item code (re-read when the card is built). */
  available: Record<string, string>;
  /** The employee the card is for: only a pending assignee gets the decision buttons. */
  viewerCode: string;
  /** What the card announces (new task, reminder …); null for a plain view. */
  headline: string | null;
  lang: Lang;
  timezone: string;
  links: Links;
}

const MAX_TIMELINE = 8;

/**
 * The approval card: summary, lines with live stock, the timeline so far and,
 * for whoever must decide now, Approve / Reject / Delegate. The same function
 * renders the card again after every decision, so everyone who received it
 * sees who decided and when.
 */
export function requestCard(input: RequestCardInput): Card {
  const { request: r, lang } = input;
  const time = (iso: string) => shortTime(iso, input.timezone);
  const pending = r.status === 'pending';
  const mine = pending && r.tasks.some((t) => t.assignee === input.viewerCode && t.status === 'pending');

  const fields = [
    { label: say(lang, 'requester'), value: r.requester.name },
    { label: say(lang, 'warehouse'), value: r.toWarehouse ? say(lang, 'fromTo', { from: r.warehouse, to: r.toWarehouse }) : r.warehouse },
    { label: say(lang, 'amount'), value: `¥${r.amount}` },
    { label: say(lang, 'status'), value: nameOf(lang, r.status) + (r.stage ? ` · ${nameOf(lang, r.stage)}` : '') },
  ];
  if (r.reason) fields.splice(1, 0, { label: say(lang, 'requestType'), value: nameOf(lang, r.reason) });

  const notes: string[] = [];
  const decided = r.tasks.filter((t) => t.decidedAt !== null && t.status !== 'pending' && t.status !== 'cancelled');
  for (const t of decided) notes.push(say(lang, 'decidedBy', { who: t.assigneeName, decision: taskVerb(lang, t.status), at: time(t.decidedAt ?? '') }));
  if (pending && r.live?.assignees.length) {
    notes.push(say(lang, 'waitingFor', { who: r.live.assignees.map((a) => a.name).join('、'), step: r.live.stepName ?? '' }));
  }
  const timeline = r.timeline.filter((e) => !['approve', 'reject', 'step_completed'].includes(e.kind));
  for (const e of timeline.slice(-MAX_TIMELINE)) notes.push(`${time(e.at)} ${nameOf(lang, e.kind)}${e.actor ? ` · ${e.actor}` : ''}`);

  const buttons = mine
    ? [
        { label: say(lang, 'approve'), style: 'primary' as const, value: { act: 'approve', req: r.id } },
        { label: say(lang, 'reject'), style: 'danger' as const, value: { act: 'reject', req: r.id } },
        { label: say(lang, 'delegate'), value: { act: 'delegate', req: r.id } },
      ]
    : [];

  return {
    title: `${nameOf(lang, r.type)} ${r.requestNo}`,
    subtitle: input.headline ?? undefined,
    tone: r.status === 'rejected' || r.status === 'failed' ? 'danger' : r.status === 'pending' ? 'warning' : r.status === 'withdrawn' ? 'info' : 'success',
    fields,
    table: {
      columns: [say(lang, 'item'), say(lang, 'qty'), say(lang, 'availableNow')],
      rows: r.lines.map((l) => [`${l.name} ${l.item}`, `${l.qty} ${l.unit}`, input.available[l.item] ?? '0']),
    },
    notes,
    buttons,
    link: { label: say(lang, 'openInApp'), url: input.links.request(r.id) },
  };
}

const TASK_VERBS = { approved: 'taskApproved', rejected: 'taskRejected', delegated: 'taskDelegated', escalated: 'taskEscalated' } as const;
const taskVerb = (lang: Lang, status: string) => (status in TASK_VERBS ? say(lang, TASK_VERBS[status as keyof typeof TASK_VERBS]) : nameOf(lang, status));

/** `MM-DD HH:mm` in the company's zone: enough on a card, and the same for every reader. */
export function shortTime(iso: string, timezone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(iso))
    .reduce<Record<string, string>>((a, p) => ({ ...a, [p.type]: p.value }), {});
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
