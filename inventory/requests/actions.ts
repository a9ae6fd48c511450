import { WorkflowRefusal, type RefusalReason } from '../../workflows/gateway.ts';
import type { DecisionResult, FulfilResult } from '../../workflows/approval/messages.ts';
import { requireScope, type Actor } from '../actor.ts';
import { ApprovalRefusedError, EmployeeRequiredError, NotFoundError } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { commentInputSchema, decisionInputSchema, delegateInputSchema, fulfilInputSchema, withdrawInputSchema } from './input.ts';
import type { RequestDeps } from './submit.ts';

interface RequestRef {
  id: number;
  requestNo: string;
  status: string;
  workflowId: string;
}

async function requestFor(deps: RequestDeps, actor: Actor, id: number): Promise<RequestRef & { employeeId: number }> {
  requireScope(actor, 'stock:write');
  if (actor.employeeId === null) throw new EmployeeRequiredError();
  const [row] = await deps.db.sql<{ id: number; request_no: string; status: string; workflow_id: string }[]>`
    select id, request_no, status, workflow_id from requests where company_id = ${actor.companyId} and id = ${id}`;
  if (!row) throw new NotFoundError('request', id);
  return { id: row.id, requestNo: row.request_no, status: row.status, workflowId: row.workflow_id, employeeId: actor.employeeId };
}

/** The workflow's refusal, in words for the person who tapped. */
function refused(reason: RefusalReason, req: RequestRef, extra: Record<string, unknown> = {}): ApprovalRefusedError {
  const p = { requestNo: req.requestNo, status: req.status, ...extra };
  switch (reason) {
    case 'not_assignee':
      return new ApprovalRefusedError('NOT_AN_ASSIGNEE', p);
    case 'not_requester':
      return new ApprovalRefusedError('NOT_REQUESTER', p);
    case 'same_person':
      return new ApprovalRefusedError('INVALID_DELEGATION', { ...p, reason: 'that is you', reasonZh: '不能转办给自己' });
    case 'already_assignee':
      return new ApprovalRefusedError('INVALID_DELEGATION', { ...p, reason: 'already an approver of this step', reasonZh: '对方已是本步骤审批人' });
    case 'not_fulfiller':
      return new ApprovalRefusedError('NOT_FULFILLER', p);
    case 'wrong_stage':
    case 'not_approved':
      return new ApprovalRefusedError('WRONG_STAGE', p);
    case 'finished':
      return new ApprovalRefusedError('REQUEST_FINISHED', p);
  }
}

async function run<T>(req: RequestRef, call: () => Promise<T>, extra?: Record<string, unknown>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowRefusal) throw refused(err.reason, req, extra);
    throw err;
  }
}

/** Approve or reject as the calling employee; a repeated clickId answers the first result. */
export async function decideRequest(deps: RequestDeps, actor: Actor, id: number, raw: unknown): Promise<DecisionResult> {
  const req = await requestFor(deps, actor, id);
  const input = parseInput(decisionInputSchema, raw);
  return run(req, () =>
    deps.gateway.decide(
      req.workflowId,
      { employeeId: req.employeeId, decision: input.decision, channel: actor.channel, ...(input.comment ? { comment: input.comment } : {}) },
      input.clickId,
    ),
  );
}

/** 转办 to another employee (by code). */
export async function delegateRequest(deps: RequestDeps, actor: Actor, id: number, raw: unknown): Promise<DecisionResult> {
  const req = await requestFor(deps, actor, id);
  const input = parseInput(delegateInputSchema, raw);
  const [to] = await deps.db.sql<{ id: number }[]>`
    select id from employees where company_id = ${actor.companyId} and code = ${input.to} and active`;
  if (!to) throw new NotFoundError('employee', input.to);
  return run(
    req,
    () =>
      deps.gateway.delegate(
        req.workflowId,
        { employeeId: req.employeeId, to: to.id, channel: actor.channel, ...(input.comment ? { comment: input.comment } : {}) },
        input.clickId,
      ),
    { to: input.to },
  );
}

/** 撤回 by the requester while pending. */
export async function withdrawRequest(deps: RequestDeps, actor: Actor, id: number, raw: unknown): Promise<DecisionResult> {
  const req = await requestFor(deps, actor, id);
  const input = parseInput(withdrawInputSchema, raw);
  return run(req, () =>
    deps.gateway.withdraw(req.workflowId, { employeeId: req.employeeId, channel: actor.channel, ...(input.comment ? { comment: input.comment } : {}) }, input.clickId),
  );
}

/** A fulfilment step confirmed by warehouse staff: accept, pick, check, ship (outbound), ship / receive (transfer), receive (purchase). */
export async function fulfilRequest(deps: RequestDeps, actor: Actor, id: number, raw: unknown): Promise<FulfilResult> {
  const req = await requestFor(deps, actor, id);
  const input = parseInput(fulfilInputSchema, raw);
  const status = await deps.gateway.status(req.workflowId);
  return run(
    req,
    () =>
      deps.gateway.fulfil(
        req.workflowId,
        {
          employeeId: req.employeeId,
          stage: input.stage,
          channel: actor.channel,
          ...(input.lines ? { lines: input.lines.map((l) => ({ ...l, qty: String(l.qty) })) } : {}),
        },
        input.clickId,
      ),
    { stage: input.stage, allowed: status?.nextStages.join(', ') ?? '' },
  );
}

/**
 * A comment on a request (评论) by anyone of the company who may read it; it
 * joins the audit timeline and tells the requester.
 */
export async function commentOnRequest(deps: RequestDeps, actor: Actor, id: number, raw: unknown): Promise<{ ok: true }> {
  const req = await requestFor(deps, actor, id);
  const input = parseInput(commentInputSchema, raw);
  await deps.db.sql.begin(async (tx) => {
    await tx`
      insert into request_events (company_id, request_id, event_key, kind, actor_id, channel, detail)
      values (${actor.companyId}, ${req.id}, ${`${req.id}:comment:${input.clickId}`}, 'comment', ${req.employeeId}, ${actor.channel},
              ${JSON.stringify({ comment: input.comment })}::jsonb)
      on conflict (event_key) do nothing`;
    await tx`
      insert into notifications (company_id, notification_key, kind, request_id, recipient_id, payload)
      select ${actor.companyId}, ${`${req.id}:comment:${input.clickId}:notify`}, 'comment', ${req.id}, r.requester_id,
             ${JSON.stringify({ comment: input.comment, by: req.employeeId })}::jsonb
      from requests r where r.id = ${req.id} and r.requester_id <> ${req.employeeId}
      on conflict (notification_key) do nothing`;
  });
  return { ok: true };
}
