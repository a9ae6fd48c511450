import { ApplicationFailure } from '@temporalio/activity';
import type { Database } from '../db/client.ts';
import { systemActor, type Actor } from '../inventory/actor.ts';
import { parseMicro } from '../inventory/decimal.ts';
import { DomainError } from '../inventory/errors.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { receiveTransfer } from '../inventory/receive-transfer.ts';
import { consumeReservation } from '../inventory/reservations/consume.ts';
import { releaseReservation } from '../inventory/reservations/release.ts';
import type { ApprovalActivities, FulfilInput, FulfilOutcome, ProjectInput } from './approval/activity-types.ts';
import type { Notifier } from './notifier.ts';

export interface ActivityDeps {
  db: Database;
  notifier: Notifier;
  /** Test hook: fail once right after a posting committed, to prove retries never post twice. */
  faults?: { failAfterPostingOnce?: boolean };
}

interface RequestRow {
  request_no: string;
  type: string;
  reason: string | null;
  warehouse: string;
  to_warehouse: string | null;
  reservation_id: number | null;
  requester_id: number;
  timezone: string;
}

/**
 * The approval workflow's hands: projections into PostgreSQL, the outbox of
 * notifications, and stock postings through the inventory verbs — each
 * idempotent, because activities run at least once.
 */
export function createActivities(deps: ActivityDeps): ApprovalActivities {
  const { db } = deps;
  let faultArmed = deps.faults?.failAfterPostingOnce ?? false;

  async function project(input: ProjectInput): Promise<void> {
    const sent = await db.sql.begin(async (tx) => {
      const fresh: { id: number; kind: string; recipient_id: number; payload: unknown; notification_key: string }[] = [];
      for (const e of input.events) {
        if (e.type === 'task_opened') {
          await tx`
            insert into approval_tasks (company_id, request_id, task_key, step_index, step_name, assignee_id, status)
            values (${input.companyId}, ${input.requestId}, ${e.taskKey}, ${e.stepIndex}, ${e.stepName}, ${e.assigneeId}, 'pending')
            on conflict (task_key) do nothing`;
        } else if (e.type === 'task_closed') {
          await tx`
            update approval_tasks set status = ${e.status}, comment = ${e.comment ?? null}, channel = ${e.channel ?? null},
                   decided_at = now(), updated_at = now()
            where task_key = ${e.taskKey} and status = 'pending'`;
        } else if (e.type === 'event') {
          await tx`
            insert into request_events (company_id, request_id, event_key, kind, actor_id, channel, detail)
            values (${input.companyId}, ${input.requestId}, ${e.eventKey}, ${e.kind}, ${e.actorId}, ${e.channel},
                    ${e.detail ? JSON.stringify(e.detail) : null}::jsonb)
            on conflict (event_key) do nothing`;
        } else {
          const rows = await tx<{ id: number; kind: string; recipient_id: number; payload: unknown; notification_key: string }[]>`
            insert into notifications (company_id, notification_key, kind, request_id, recipient_id, payload)
            values (${input.companyId}, ${e.notificationKey}, ${e.kind}, ${input.requestId}, ${e.recipientId},
                    ${JSON.stringify(e.detail ?? {})}::jsonb)
            on conflict (notification_key) do nothing
            returning id, kind, recipient_id, payload, notification_key`;
          fresh.push(...rows);
        }
      }
      if (input.status) {
        await tx`
          update requests set status = ${input.status}, stage = ${input.stage ?? null},
                 failure = ${input.failure ? JSON.stringify(input.failure) : null}::jsonb, updated_at = now()
          where id = ${input.requestId} and company_id = ${input.companyId}`;
      }
      return fresh;
    });
    // Only messages recorded for the first time go out: a retried projection sends nothing twice.
    for (const n of sent) {
      await deps.notifier.send({
        key: n.notification_key,
        companyId: input.companyId,
        requestId: input.requestId,
        kind: n.kind,
        recipientId: n.recipient_id,
        detail: n.payload as Record<string, unknown>,
      });
    }
    if (input.status || input.events.some((e) => e.type === 'task_closed')) await deps.notifier.changed?.(input.companyId, input.requestId);
  }

  async function managersOf(input: { companyId: number; employeeIds: number[] }): Promise<Record<string, number | null>> {
    const rows = await db.sql<{ id: number; manager_id: number | null }[]>`
      select e.id, m.id as manager_id from employees e left join employees m on m.id = e.manager_id and m.active
      where e.company_id = ${input.companyId} and e.id = any(${input.employeeIds}::bigint[])`;
    return Object.fromEntries(rows.map((r) => [String(r.id), r.manager_id]));
  }

  async function loadRequest(companyId: number, requestId: number): Promise<RequestRow> {
    const [row] = await db.sql<RequestRow[]>`
      select r.request_no, r.type, r.reason, w.code as warehouse, tw.code as to_warehouse, r.reservation_id, r.requester_id, c.timezone
      from requests r join warehouses w on w.id = r.warehouse_id left join warehouses tw on tw.id = r.to_warehouse_id
      join companies c on c.id = r.company_id
      where r.id = ${requestId} and r.company_id = ${companyId}`;
    if (!row) throw ApplicationFailure.nonRetryable(`request ${requestId} not found`, 'BusinessRefusal');
    return row;
  }

  async function requestLines(requestId: number) {
    return db.sql<{ item: string; qty_base: string; batch_no: string | null; location: string | null }[]>`
      select i.code as item, l.qty_base::text, l.batch_no, loc.code as location
      from request_lines l join items i on i.id = l.item_id left join locations loc on loc.id = l.location_id
      where l.request_id = ${requestId} order by l.line_no`;
  }

  /** A request line as a movement line: at its own location, so a count short at A-01 is taken from A-01. */
  const movementLine = (l: { item: string; qty_base: string; batch_no: string | null; location: string | null }) => ({
    item: l.item,
    qty: l.qty_base,
    ...(l.batch_no ? { batch: l.batch_no } : {}),
    ...(l.location ? { location: l.location } : {}),
  });

  /** What of a purchase has not arrived yet, per item (from the receipts posted for it). */
  async function outstandingPurchase(companyId: number, requestId: number, requestNo: string) {
    return db.sql<{ item: string; qty: string }[]>`
      select i.code as item, (sum(l.qty_base) - coalesce(max(r.received), 0))::text as qty
      from request_lines l join items i on i.id = l.item_id
      left join (
        select dl.item_id, sum(dl.qty_base) as received
        from stock_documents d join document_lines dl on dl.document_id = d.id
        where d.company_id = ${companyId} and d.reference = ${requestNo} and d.type = 'receipt'
        group by dl.item_id
      ) r on r.item_id = l.item_id
      where l.request_id = ${requestId}
      group by i.code
      having sum(l.qty_base) - coalesce(max(r.received), 0) > 0`;
  }

  async function post(input: FulfilInput, req: RequestRow, actor: Actor): Promise<FulfilOutcome> {
    const base = { reference: req.request_no, idempotencyKey: input.postingKey };
    if (input.kind === 'outbound') {
      if (req.reservation_id === null) throw ApplicationFailure.nonRetryable('outbound request without reservation', 'BusinessRefusal');
      const doc = await consumeReservation(db, actor, req.reservation_id, req.request_no);
      return { ok: true, documentNo: doc.document.docNo, complete: true };
    }
    if (input.kind === 'stocktake') {
      const lines = await requestLines(input.requestId);
      const doc = await postMovement(db, actor, {
        ...base,
        type: 'adjustment',
        reason: 'stocktake',
        warehouse: req.warehouse,
        lines: lines.map(movementLine),
      });
      return { ok: true, documentNo: doc.document.docNo, complete: true };
    }
    if (input.kind === 'transfer' && input.stage === 'ship') {
      const lines = await requestLines(input.requestId);
      const doc = await postMovement(db, actor, {
        ...base,
        type: 'transfer',
        reason: 'transfer',
        warehouse: req.warehouse,
        toWarehouse: req.to_warehouse ?? undefined,
        inTransit: true,
        lines: lines.map(movementLine),
      });
      return { ok: true, documentNo: doc.document.docNo, complete: false };
    }
    if (input.kind === 'transfer') {
      const [shipped] = await db.sql<{ doc_no: string }[]>`
        select doc_no from stock_documents where company_id = ${input.companyId} and reference = ${req.request_no} and type = 'transfer'`;
      if (!shipped) throw ApplicationFailure.nonRetryable('transfer not shipped', 'BusinessRefusal');
      const doc = await receiveTransfer(db, actor, shipped.doc_no, {
        idempotencyKey: input.postingKey,
        ...(input.lines ? { lines: input.lines.map((l) => ({ item: l.item, qty: l.qty, ...(l.batch ? { batch: l.batch } : {}) })) } : {}),
      });
      return { ok: true, documentNo: doc.document.docNo, complete: await completeAfter(input, req) };
    }
    // purchase: receive what arrived (or everything outstanding), each item where the request puts it
    const outstanding = await outstandingPurchase(input.companyId, input.requestId, req.request_no);
    const lines = input.lines ?? outstanding.map((o) => ({ item: o.item, qty: o.qty }));
    // submitRequest lets a purchase name one location per item, so the item code finds it.
    const putTo = new Map((await requestLines(input.requestId)).flatMap((l) => (l.location ? [[l.item, l.location] as const] : [])));
    const doc = await postMovement(db, actor, {
      ...base,
      type: 'receipt',
      reason: 'purchase',
      warehouse: req.warehouse,
      lines: lines.map((l) => ({
        item: l.item,
        qty: l.qty,
        ...(putTo.has(l.item) ? { location: putTo.get(l.item) } : {}),
        ...('batch' in l && l.batch ? { batch: l.batch } : {}),
        ...('expiryDate' in l && l.expiryDate ? { expiryDate: l.expiryDate } : {}),
      })),
    });
    return { ok: true, documentNo: doc.document.docNo, complete: await completeAfter(input, req) };
  }

  /** Whether the request has nothing left to do at this stage, judged from the ledger. */
  async function completeAfter(input: FulfilInput, req: RequestRow): Promise<boolean> {
    if (input.kind === 'purchase') return (await outstandingPurchase(input.companyId, input.requestId, req.request_no)).length === 0;
    if (input.kind === 'transfer' && input.stage === 'receive') {
      const [left] = await db.sql<{ n: string }[]>`
        select coalesce(sum(l.qty_delta), 0)::text as n
        from stock_ledger l join locations loc on loc.id = l.location_id and loc.kind = 'transit'
        join stock_documents d on d.id = l.document_id
        left join stock_documents src on src.id = d.source_document_id
        where d.company_id = ${input.companyId} and coalesce(src.reference, d.reference) = ${req.request_no}`;
      return (parseMicro(left?.n ?? '0') ?? 0n) <= 0n;
    }
    return !(input.kind === 'transfer' && input.stage === 'ship');
  }

  async function fulfil(input: FulfilInput): Promise<FulfilOutcome> {
    const req = await loadRequest(input.companyId, input.requestId);
    const actor = { ...systemActor(input.companyId, 'workflow', req.timezone), employeeId: input.employeeId };
    // A retry after the posting committed: answer what was posted, whatever stock says now.
    const [done] = await db.sql<{ doc_no: string }[]>`
      select doc_no from stock_documents where company_id = ${input.companyId} and idempotency_key = ${input.postingKey}`;
    if (done) return { ok: true, documentNo: done.doc_no, complete: await completeAfter(input, req) };
    try {
      const outcome = await post(input, req, actor);
      if (faultArmed) {
        faultArmed = false;
        throw new Error('injected failure after the posting committed');
      }
      return outcome;
    } catch (err) {
      // Business refusals (no stock, bad lines) fail the request visibly instead of retrying forever.
      if (err instanceof DomainError) return { ok: false, code: err.code, message: err.localized('zh-CN') };
      throw err;
    }
  }

  async function releaseHold(input: { companyId: number; requestId: number }): Promise<void> {
    const req = await loadRequest(input.companyId, input.requestId);
    if (req.reservation_id === null) return;
    try {
      await releaseReservation(db, systemActor(input.companyId, 'workflow', req.timezone), req.reservation_id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err; // already consumed or released: nothing to give back
    }
  }

  return { project, managersOf, fulfil, releaseHold };
}
