import { isoTime } from '../../db/client.ts';
import type { ApprovalStatus } from '../../workflows/approval/messages.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro } from '../decimal.ts';
import { EmployeeRequiredError, NotFoundError } from '../errors.ts';
import { formatMoney } from '../posted-document.ts';
import type { RequestDeps } from './submit.ts';

const num = (v: string) => formatMicro(parseMicro(v) ?? 0n);

export interface RequestView {
  id: number;
  requestNo: string;
  type: string;
  reason: string | null;
  status: string;
  stage: string | null;
  requester: { code: string; name: string };
  warehouse: string;
  toWarehouse: string | null;
  amount: string;
  createdAt: string;
  failure: unknown;
  lines: { line: number; item: string; name: string; qty: string; unit: string; unitPrice: string; amount: string; batch: string | null; location: string | null }[];
  tasks: { step: number; stepName: string; assignee: string; assigneeName: string; status: string; comment: string | null; decidedAt: string | null }[];
  timeline: { at: string; kind: string; actor: string | null; channel: string | null; detail: unknown }[];
  /** Straight from the workflow: who must act now and what can happen next. */
  live: (Omit<ApprovalStatus, 'assignees'> & { assignees: { code: string; name: string }[] }) | null;
}

/** A request with its lines, approval tasks, audit timeline and live workflow status. */
export async function getRequest(deps: RequestDeps, actor: Actor, id: number): Promise<RequestView> {
  requireScope(actor, 'stock:read');
  const sql = deps.db.sql;
  const [r] = await sql<
    { id: number; request_no: string; type: string; reason: string | null; status: string; stage: string | null; code: string; name: string;
      warehouse: string; to_warehouse: string | null; amount: string; created_at: string; failure: unknown; workflow_id: string }[]
  >`
    select r.id, r.request_no, r.type, r.reason, r.status, r.stage, e.code, e.name, w.code as warehouse, tw.code as to_warehouse,
           r.amount::text, r.created_at, r.failure, r.workflow_id
    from requests r join employees e on e.id = r.requester_id join warehouses w on w.id = r.warehouse_id
    left join warehouses tw on tw.id = r.to_warehouse_id
    where r.company_id = ${actor.companyId} and r.id = ${id}`;
  if (!r) throw new NotFoundError('request', id);
  const [lines, tasks, events, live] = await Promise.all([
    sql<{ line_no: number; item: string; name: string; qty: string; unit: string; unit_price: string; amount: string; batch_no: string | null; location: string | null }[]>`
      select l.line_no, i.code as item, i.name, l.qty::text, l.unit, l.unit_price::text, l.amount::text, l.batch_no, loc.code as location
      from request_lines l join items i on i.id = l.item_id left join locations loc on loc.id = l.location_id
      where l.request_id = ${id} order by l.line_no`,
    sql<{ step_index: number; step_name: string; code: string; name: string; status: string; comment: string | null; decided_at: string | null }[]>`
      select t.step_index, t.step_name, e.code, e.name, t.status, t.comment, t.decided_at
      from approval_tasks t join employees e on e.id = t.assignee_id where t.request_id = ${id} order by t.id`,
    sql<{ at: string; kind: string; actor: string | null; channel: string | null; detail: unknown }[]>`
      select ev.at, ev.kind, e.code as actor, ev.channel, ev.detail
      from request_events ev left join employees e on e.id = ev.actor_id where ev.request_id = ${id} order by ev.id`,
    deps.gateway.status(r.workflow_id).catch(() => null),
  ]);
  const people = live?.assignees.length
    ? await sql<{ id: number; code: string; name: string }[]>`select id, code, name from employees where id = any(${live.assignees}::bigint[])`
    : [];
  return {
    id: r.id,
    requestNo: r.request_no,
    type: r.type,
    reason: r.reason,
    status: r.status,
    stage: r.stage,
    requester: { code: r.code, name: r.name },
    warehouse: r.warehouse,
    toWarehouse: r.to_warehouse,
    amount: formatMoney(r.amount),
    createdAt: isoTime(r.created_at),
    failure: r.failure,
    lines: lines.map((l) => ({
      line: l.line_no,
      item: l.item,
      name: l.name,
      qty: num(l.qty),
      unit: l.unit,
      unitPrice: num(l.unit_price),
      amount: formatMoney(l.amount),
      batch: l.batch_no,
      location: l.location,
    })),
    tasks: tasks.map((t) => ({
      step: t.step_index,
      stepName: t.step_name,
      assignee: t.code,
      assigneeName: t.name,
      status: t.status,
      comment: t.comment,
      decidedAt: t.decided_at === null ? null : isoTime(t.decided_at),
    })),
    timeline: events.map((e) => ({ at: isoTime(e.at), kind: e.kind, actor: e.actor, channel: e.channel, detail: e.detail })),
    live: live && {
      ...live,
      assignees: live.assignees.map((id) => people.find((p) => p.id === id)).flatMap((p) => (p ? [{ code: p.code, name: p.name }] : [])),
    },
  };
}

/** 我的待办: requests waiting for the calling employee's decision. */
export async function myPendingApprovals(deps: RequestDeps, actor: Actor) {
  requireScope(actor, 'stock:read');
  if (actor.employeeId === null) throw new EmployeeRequiredError();
  const rows = await deps.db.sql<{ id: number; request_no: string; type: string; step_name: string; amount: string; requester: string; created_at: string }[]>`
    select r.id, r.request_no, r.type, t.step_name, r.amount::text, e.name as requester, t.created_at
    from approval_tasks t join requests r on r.id = t.request_id join employees e on e.id = r.requester_id
    where t.assignee_id = ${actor.employeeId} and t.status = 'pending' and r.company_id = ${actor.companyId}
    order by t.id`;
  return rows.map((r) => ({ id: r.id, requestNo: r.request_no, type: r.type, step: r.step_name, amount: formatMoney(r.amount), requester: r.requester, since: isoTime(r.created_at) }));
}

/** 我的申请: the calling employee's requests, newest first. */
export async function myRequests(deps: RequestDeps, actor: Actor) {
  requireScope(actor, 'stock:read');
  if (actor.employeeId === null) throw new EmployeeRequiredError();
  const rows = await deps.db.sql<{ id: number; request_no: string; type: string; status: string; stage: string | null; amount: string; created_at: string }[]>`
    select id, request_no, type, status, stage, amount::text, created_at from requests
    where requester_id = ${actor.employeeId} and company_id = ${actor.companyId} order by id desc limit 100`;
  return rows.map((r) => ({ id: r.id, requestNo: r.request_no, type: r.type, status: r.status, stage: r.stage, amount: formatMoney(r.amount), createdAt: isoTime(r.created_at) }));
}
