import { NotFoundError } from '../../../inventory/errors.ts';
import { availableIn } from '../../../inventory/queries/available-in.ts';
import { searchItems } from '../../../inventory/queries/search-items.ts';
import { decideRequest, delegateRequest } from '../../../inventory/requests/actions.ts';
import { submitRequest } from '../../../inventory/requests/submit.ts';
import { getRequest, myPendingApprovals, myRequests, type RequestView } from '../../../inventory/requests/view.ts';
import type { Reply } from '../../adapter.ts';
import type { Action } from '../actions.ts';
import { requestCard } from '../answers/request.ts';
import type { Card } from '../card.ts';
import type { Intent } from '../intent.ts';
import { nameOf, say } from '../words.ts';
import type { Turn } from './turn.ts';

type RequestIntent = Extract<Intent, { kind: 'request' }>;
type Draft = Extract<Action, { act: 'draft' }>;
type Submit = Extract<Action, { act: 'submit' }>;

const LIST_LIMIT = 10;
const DELEGATE_CHOICES = 8;

export async function myTasksCard(turn: Turn): Promise<Card> {
  const { lang } = turn;
  const tasks = await myPendingApprovals(turn.deps, turn.actor);
  if (tasks.length === 0) return { title: say(lang, 'myTasksTitle', { n: 0 }), notes: [say(lang, 'noTasks')] };
  const shown = tasks.slice(0, LIST_LIMIT);
  return {
    title: say(lang, 'myTasksTitle', { n: tasks.length }),
    table: {
      columns: [say(lang, 'requestNo'), say(lang, 'requestType'), say(lang, 'requester'), say(lang, 'amount'), say(lang, 'step')],
      rows: shown.map((t) => [t.requestNo, nameOf(lang, t.type), t.requester, `¥${t.amount}`, t.step]),
      ...(tasks.length > shown.length ? { more: tasks.length - shown.length } : {}),
    },
    buttons: shown.map((t) => ({ label: `${say(lang, 'view')} ${t.requestNo}`, value: { act: 'view', req: t.id } })),
  };
}

export async function myRequestsCard(turn: Turn): Promise<Card> {
  const { lang } = turn;
  const rows = (await myRequests(turn.deps, turn.actor)).slice(0, LIST_LIMIT);
  if (rows.length === 0) return { title: say(lang, 'myRequestsTitle'), notes: [say(lang, 'noRequests')] };
  return {
    title: say(lang, 'myRequestsTitle'),
    table: {
      columns: [say(lang, 'requestNo'), say(lang, 'requestType'), say(lang, 'amount'), say(lang, 'status')],
      rows: rows.map((r) => [r.requestNo, nameOf(lang, r.type), `¥${r.amount}`, nameOf(lang, r.status) + (r.stage ? ` · ${nameOf(lang, r.stage)}` : '')]),
    },
    buttons: rows.slice(0, 5).map((r) => ({ label: `${say(lang, 'view')} ${r.requestNo}`, value: { act: 'view', req: r.id } })),
  };
}

/** The card for one request as this employee sees it, with live stock next to each line. */
export async function viewRequest(turn: Turn, id: number, headline: string | null = null, view?: RequestView): Promise<Card> {
  const request = view ?? (await getRequest(turn.deps, turn.actor, id));
  const available = await availableIn(turn.deps.db, turn.actor, request.warehouse, request.lines.map((l) => l.item));
  return requestCard({ request, available, viewerCode: turn.user.code, headline, lang: turn.lang, timezone: turn.user.timezone, links: turn.deps.links });
}

/**
 * A tap on Approve / Reject. The tapper's card is redrawn at once with their
 * decision (the projection catches up a moment later and every other card
 * of the request is updated from it).
 */
export async function decide(turn: Turn, id: number, decision: 'approve' | 'reject', clickId: string): Promise<{ replies: Reply[]; card: Card }> {
  await decideRequest(turn.deps, turn.actor, id, { decision, clickId });
  const view = await getRequest(turn.deps, turn.actor, id);
  const now = new Date().toISOString();
  const mine = view.tasks.find((t) => t.assignee === turn.user.code && t.status === 'pending');
  if (mine) Object.assign(mine, { status: decision === 'approve' ? 'approved' : 'rejected', decidedAt: now });
  const card = await viewRequest(turn, id, say(turn.lang, 'decisionDone', { decision: nameOf(turn.lang, decision), no: view.requestNo }), view);
  return { replies: [], card };
}

/** 转办: colleagues of the same department first, then anyone; each a button. */
export async function delegateChoices(turn: Turn, id: number): Promise<Card> {
  const { lang } = turn;
  const view = await getRequest(turn.deps, turn.actor, id);
  const people = await turn.deps.db.sql<{ code: string; name: string; department: string | null }[]>`
    select e.code, e.name, e.department from employees e, employees me
    where me.id = ${turn.user.employeeId} and e.company_id = ${turn.user.companyId} and e.active and e.id <> me.id
    order by (e.department is not distinct from me.department) desc, e.code
    limit ${DELEGATE_CHOICES}`;
  return {
    title: `${say(lang, 'delegate')} ${view.requestNo}`,
    buttons: people.map((p) => ({ label: `${p.name}${p.department ? ` · ${p.department}` : ''}`, value: { act: 'delegate_to', req: id, to: p.code } })),
    link: { label: say(lang, 'openInApp'), url: turn.deps.links.request(id) },
  };
}

export async function delegateTo(turn: Turn, id: number, to: string, clickId: string): Promise<{ replies: Reply[] }> {
  await delegateRequest(turn.deps, turn.actor, id, { to, clickId });
  return { replies: [{ card: await viewRequest(turn, id), requestId: id }] };
}

/** A request typed in chat: resolve the item, ask for what is missing, or show a confirmation with a Submit button. */
export async function requestFromChat(turn: Turn, intent: RequestIntent): Promise<Reply[]> {
  const { lang } = turn;
  let item: string | null = null;
  if (intent.item) {
    const hits = await searchItems(turn.deps.db, turn.actor, intent.item, 6);
    const exact = hits.find((h) => h.match === 'code' || h.match === 'barcode') ?? (hits.length === 1 ? hits[0] : undefined);
    if (!exact && hits.length === 0) throw new NotFoundError('item', intent.item);
    if (!exact) {
      return [
        {
          card: {
            title: say(lang, 'pickTitle', { q: intent.item, n: hits.length }),
            buttons: hits.map((h) => ({ label: `${h.name} ${h.code}`, value: { act: 'draft', type: intent.type, item: h.code, ...(intent.warehouse ? { wh: intent.warehouse } : {}) } })),
          },
        },
      ];
    }
    item = exact.code;
  }
  const missing = [
    ...(item ? [] : [say(lang, 'item')]),
    ...(intent.qty ? [] : [say(lang, 'qty')]),
    ...(intent.warehouse ? [] : [say(lang, 'warehouse')]),
    ...(intent.type === 'transfer' && !intent.toWarehouse ? [`→ ${say(lang, 'warehouse')}`] : []),
  ];
  if (missing.length || !item || !intent.qty || !intent.warehouse) {
    return [{ card: askForMissing(turn, intent.type, missing, { item: item ?? '', wh: intent.warehouse ?? '' }) }];
  }
  const submit: Submit = {
    act: 'submit',
    type: intent.type,
    item,
    qty: intent.qty,
    wh: intent.warehouse,
    key: `${turn.platform}:${turn.chat.id}:${crypto.randomUUID()}`,
    ...(intent.unit ? { unit: intent.unit } : {}),
    ...(intent.toWarehouse ? { to: intent.toWarehouse } : {}),
    ...(intent.reason ? { reason: intent.reason } : {}),
    ...(intent.note ? { note: intent.note } : {}),
  };
  return [{ card: confirmCard(turn, submit) }];
}

export function draftRequest(turn: Turn, draft: Draft): Card {
  return askForMissing(turn, draft.type, [say(turn.lang, 'qty'), ...(draft.wh ? [] : [say(turn.lang, 'warehouse')])], { item: draft.item, wh: draft.wh ?? '' });
}

const EXAMPLES = {
  outbound: { zh: '申请出库 A-1001 5 个 上海仓 用途 样品', en: 'request outbound A-1001 5 SH sample' },
  purchase: { zh: '采购 A-1001 100个 上海仓', en: 'purchase 100 A-1001 SH' },
  transfer: { zh: '调拨 A-1001 20个 从上海仓到苏州仓', en: 'transfer 20 A-1001 from SH to SZ' },
} as const;

function askForMissing(turn: Turn, type: Submit['type'], missing: string[], prefill: { item: string; wh: string }): Card {
  const { lang } = turn;
  return {
    title: `${nameOf(lang, type)}${prefill.item ? ` ${prefill.item}` : ''}`,
    notes: [say(lang, 'missingFields', { fields: missing.join(lang === 'zh' ? '、' : ', '), example: EXAMPLES[type][lang] })],
    link: { label: say(lang, 'editInApp'), url: turn.deps.links.newRequest({ type, ...(prefill.item ? { item: prefill.item } : {}), ...(prefill.wh ? { warehouse: prefill.wh } : {}) }) },
  };
}

function confirmCard(turn: Turn, s: Submit): Card {
  const { lang } = turn;
  return {
    title: say(lang, 'confirmTitle', { type: nameOf(lang, s.type) }),
    fields: [
      { label: say(lang, 'item'), value: s.item },
      { label: say(lang, 'qty'), value: `${s.qty}${s.unit ? ` ${s.unit}` : ''}` },
      { label: say(lang, 'warehouse'), value: s.to ? say(lang, 'fromTo', { from: s.wh, to: s.to }) : s.wh },
      ...(s.reason ? [{ label: say(lang, 'requestType'), value: nameOf(lang, s.reason) }] : []),
      ...(s.note ? [{ label: 'note', value: s.note }] : []),
    ],
    buttons: [{ label: say(lang, 'submit'), style: 'primary', value: s }],
    link: { label: say(lang, 'editInApp'), url: turn.deps.links.newRequest({ type: s.type, item: s.item, qty: s.qty, warehouse: s.wh, ...(s.to ? { toWarehouse: s.to } : {}) }) },
  };
}

/** The Submit tap: the request is submitted once however often it is tapped, and the confirmation card says so. */
export async function submitFromChat(turn: Turn, s: Submit): Promise<{ replies: Reply[]; update: Reply }> {
  const { lang } = turn;
  const done = await submitRequest(turn.deps, turn.actor, {
    type: s.type,
    warehouse: s.wh,
    ...(s.to ? { toWarehouse: s.to } : {}),
    ...(s.type === 'outbound' ? { reason: s.reason ?? 'requisition' } : {}),
    ...(s.note ? { note: s.note } : {}),
    lines: [{ item: s.item, qty: s.qty, ...(s.unit ? { unit: s.unit } : {}) }],
    idempotencyKey: s.key,
  });
  const card = await viewRequest(turn, done.id, say(lang, 'submitted', { no: done.requestNo }));
  return { replies: [], update: { card, requestId: done.id } };
}
