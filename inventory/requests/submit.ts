import type { Database, Sql } from '../../db/client.ts';
import type { WorkflowGateway } from '../../workflows/gateway.ts';
import type { ApprovalInput } from '../../workflows/approval/snapshot.ts';
import { requireScope, type Actor } from '../actor.ts';
import { policyStepSchema, type PolicyStep } from '../approvals/policy.ts';
import { Directory, resolvePolicy, type Person } from '../approvals/resolve.ts';
import { formatMicro } from '../decimal.ts';
import { EmployeeRequiredError, IdempotencyConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { requestHash } from '../hash.ts';
import { loadItems, loadWarehouses, type WarehouseInfo } from '../lookup.ts';
import { parseMicro } from '../decimal.ts';
import { toBaseQty } from '../plan-movement.ts';
import type { ReservationService } from '../reservations/reserve.ts';
import { releaseReservation } from '../reservations/release.ts';
import { IssueList, parseInput } from '../validate.ts';
import { OUTBOUND_REASONS, requestInputSchema, type RequestInput } from './input.ts';

export interface RequestDeps {
  db: Database;
  gateway: WorkflowGateway;
  reservations: ReservationService;
}

const FULFILLER_ROLES = ['warehouse_keeper', 'warehouse_manager'];
const MICRO = 1_000_000n;

/**
 * Workflow ids must be unique across every database that shares the Temporal
 * namespace (deployments, tenants' private databases, test databases), so the
 * row id alone is not enough: a random suffix is stored with the request.
 */
const workflowIdPrefix = (companyId: number) => `request-${companyId}-${crypto.randomUUID().slice(0, 8)}-`;

/**
 * Submits a request (单据): validates it (nothing saved on error), prices it,
 * snapshots the approval policy resolved to people, holds stock for outbound
 * requests, saves it and starts its approval workflow. A retry with the same
 * idempotency key answers the same request (and makes sure its workflow runs).
 */
export async function submitRequest(deps: RequestDeps, actor: Actor, raw: unknown): Promise<{ id: number; requestNo: string }> {
  requireScope(actor, 'stock:write');
  if (actor.employeeId === null) throw new EmployeeRequiredError();
  const requesterId = actor.employeeId;
  const input = parseInput(requestInputSchema, raw);
  const hash = await requestHash(input);
  const { db } = deps;

  const existing = await findExisting(db.sql, actor.companyId, input.idempotencyKey, hash);
  if (existing) {
    await deps.gateway.startApproval(existing.workflowId, existing.snapshot);
    return { id: existing.id, requestNo: existing.requestNo };
  }

  const [items, warehouses, people] = await Promise.all([
    loadItems(db.sql, actor.companyId, input.lines.map((l) => l.item)),
    loadWarehouses(db.sql, actor.companyId, [input.warehouse, ...(input.toWarehouse ? [input.toWarehouse] : [])]),
    loadPeople(db.sql, actor.companyId),
  ]);
  const from = warehouses.get(input.warehouse);
  if (!from) throw new NotFoundError('warehouse', input.warehouse);
  if (input.toWarehouse !== undefined && !warehouses.has(input.toWarehouse)) throw new NotFoundError('warehouse', input.toWarehouse);
  const to = input.toWarehouse === undefined ? undefined : warehouses.get(input.toWarehouse);
  const missing = input.lines.find((l) => !items.has(l.item));
  if (missing) throw new NotFoundError('item', missing.item);

  const issues = new IssueList();
  checkShape(input, issues);
  const lines = input.lines.flatMap((l, i) => {
    const item = items.get(l.item);
    if (!item) return [];
    const locationId = lineLocation(input, i, from, issues);
    const q = toBaseQty(item, l.qty, l.unit, `lines[${i}]`, issues, input.type === 'stocktake' ? 'nonzero' : 'positive');
    if (!q) return [];
    // Price per unit of the line; the reference cost is per base unit.
    const price = l.unitPrice === undefined ? (item.unitCost * q.factor) / MICRO : parseMicro(l.unitPrice);
    if (price === null || price < 0n) {
      issues.add(`lines[${i}].unitPrice`, `"${l.unitPrice}" is not a price ≥ 0 with at most 6 decimals`, `「${l.unitPrice}」不是有效单价（≥ 0，最多 6 位小数）`);
      return [];
    }
    const amount = (q.qty < 0n ? -q.qty : q.qty) * price; // scale 10^12, exact
    return [{ lineNo: i + 1, itemId: item.id, qty: q.qty, unit: q.unit, qtyBase: q.qtyBase, price, amount, batch: l.batch ?? null, locationId }];
  });
  issues.throwIfAny();
  const amount12 = lines.reduce((s, l) => s + l.amount, 0n);
  const amount = formatMicro((amount12 + MICRO / 2n) / MICRO);

  const categories = await lineCategories(db.sql, lines.map((l) => l.itemId));
  const policy = await choosePolicy(db.sql, actor.companyId, input.type, from.id, categories);
  const dir = new Directory(people);
  const resolved = resolvePolicy(
    policy.steps,
    { requesterId, amount: (amount12 + MICRO / 2n) / MICRO, warehouseId: from.id, warehouseCode: from.code, categories },
    dir,
  );
  if (!resolved.ok) throw new ValidationError(resolved.issues.map((i) => ({ path: `policy(${policy.name}).${i.path}`, message: i.message })));
  const fulfillers = fulfillersOf(people, [from, ...(to ? [to] : [])]);

  // Outbound requests hold their stock from submission (预占), so approval never promises what is gone.
  let reservationId: number | null = null;
  if (input.type === 'outbound') {
    const held = await deps.reservations.reserve(actor, {
      orderRef: `request:${input.idempotencyKey}`,
      channel: 'request',
      lines: input.lines.map((l) => ({ item: l.item, warehouse: input.warehouse, qty: l.qty, ...(l.unit ? { unit: l.unit } : {}) })),
      idempotencyKey: `request:${input.idempotencyKey}`,
    });
    reservationId = held.id;
  }

  let saved: { id: number; requestNo: string; workflowId: string; snapshot: ApprovalInput };
  const prefix = workflowIdPrefix(actor.companyId);
  try {
    saved = await db.sql.begin(async (tx) => {
      const [row] = await tx<{ id: number; request_no: string; workflow_id: string }[]>`
        insert into requests (id, company_id, request_no, type, reason, status, requester_id, warehouse_id, to_warehouse_id, amount,
                              partner, note, policy_id, policy_snapshot, workflow_id, reservation_id, idempotency_key, request_hash)
        select n.id, ${actor.companyId}, 'SQ' || to_char(now() at time zone ${actor.timezone}, 'YYYYMMDD') || '-' || lpad(n.id::text, 6, '0'),
               ${input.type}, ${input.reason ?? null}, 'pending', ${requesterId}, ${from.id}, ${to?.id ?? null}, ${amount},
               ${input.partner ?? null}, ${input.note ?? null}, ${policy.id}, '{}'::jsonb,
               ${prefix} || n.id, ${reservationId}, ${input.idempotencyKey}, ${hash}
        from (select nextval(pg_get_serial_sequence('requests', 'id')) as id) n
        returning id, request_no, workflow_id`;
      if (!row) throw new Error('request insert returned nothing');
      // The hold was taken before the request had a number; people recognise it by the number ("5 个 已为 SQ… 预占").
      if (reservationId !== null) await tx`update reservations set order_ref = ${row.request_no} where id = ${reservationId}`;
      const snapshot: ApprovalInput = {
        companyId: actor.companyId,
        requestId: row.id,
        requestNo: row.request_no,
        kind: input.type,
        requesterId,
        steps: resolved.steps,
        fulfillers,
      };
      await tx`update requests set policy_snapshot = ${JSON.stringify(snapshot)}::jsonb where id = ${row.id}`;
      for (const l of lines) {
        await tx`
          insert into request_lines (company_id, request_id, line_no, item_id, qty, unit, qty_base, unit_price, amount, batch_no, location_id)
          values (${actor.companyId}, ${row.id}, ${l.lineNo}, ${l.itemId}, ${formatMicro(l.qty)}, ${l.unit}, ${formatMicro(l.qtyBase)},
                  ${formatMicro(l.price)}, ${formatMicro((l.amount + MICRO / 2n) / MICRO)}, ${l.batch}, ${l.locationId})`;
      }
      return { id: row.id, requestNo: row.request_no, workflowId: row.workflow_id, snapshot };
    });
  } catch (err) {
    if (reservationId !== null) await releaseReservation(db, actor, reservationId);
    if ((err as { code?: string }).code === '23505') {
      const again = await findExisting(db.sql, actor.companyId, input.idempotencyKey, hash);
      if (again) return { id: again.id, requestNo: again.requestNo };
    }
    throw err;
  }
  await deps.gateway.startApproval(saved.workflowId, saved.snapshot);
  return { id: saved.id, requestNo: saved.requestNo };
}

function checkShape(input: RequestInput, issues: IssueList): void {
  if (input.type === 'transfer' && !input.toWarehouse) issues.add('toWarehouse', 'a transfer request needs a destination warehouse', '调拨申请需要调入仓库');
  if (input.type === 'transfer' && input.toWarehouse === input.warehouse) issues.add('toWarehouse', 'must differ from warehouse', '调入仓库不能与调出仓库相同');
  if (input.type !== 'transfer' && input.toWarehouse) issues.add('toWarehouse', `only transfer requests have a destination; this is ${input.type}`, `只有调拨申请有调入仓库（本单为 ${input.type}）`);
  if (input.type === 'outbound' && !(OUTBOUND_REASONS as readonly string[]).includes(input.reason ?? '')) {
    issues.add('reason', `an outbound request needs a reason: ${OUTBOUND_REASONS.join(', ')}`, `出库申请需要用途：${OUTBOUND_REASONS.join('、')}`);
  }
}

/**
 * The storage location a line names in the request's warehouse (null: the
 * default). Outbound lines cannot name one: their stock is reserved FIFO at
 * submission and shipping takes exactly the reserved balances. A purchase
 * receives each item at one place, because what is still to arrive is
 * reckoned per item.
 */
function lineLocation(input: RequestInput, i: number, from: WarehouseInfo, issues: IssueList): number | null {
  const line = input.lines[i];
  if (line?.location === undefined) return null;
  const path = `lines[${i}].location`;
  if (input.type === 'outbound') {
    issues.add(path, 'an outbound request takes its stock where it is reserved (first in, first out); it cannot name a location', '出库按预占（先进先出）取货，不能指定库位');
    return null;
  }
  const id = from.locations.get(line.location);
  if (id === undefined) {
    issues.add(path, `no storage location ${line.location} in warehouse ${from.code}`, `仓库 ${from.code} 没有库位 ${line.location}`);
    return null;
  }
  if (input.type === 'purchase') {
    const other = input.lines.findIndex((o, j) => j !== i && o.item === line.item && o.location !== line.location);
    if (other !== -1) issues.add(path, `item ${line.item} is received at ${input.lines[other]?.location ?? 'the default location'} on lines[${other}]; a purchase receives an item at one location`, `物料 ${line.item} 已在 lines[${other}] 收到 ${input.lines[other]?.location ?? '默认库位'}；一张采购单中同一物料只能收到一个库位`);
  }
  return id;
}

async function findExisting(sql: Sql, companyId: number, key: string, hash: string) {
  const [row] = await sql<{ id: number; request_no: string; request_hash: string; workflow_id: string; policy_snapshot: ApprovalInput }[]>`
    select id, request_no, request_hash, workflow_id, policy_snapshot from requests where company_id = ${companyId} and idempotency_key = ${key}`;
  if (!row) return null;
  if (row.request_hash !== hash) throw new IdempotencyConflictError(key);
  return { id: row.id, requestNo: row.request_no, workflowId: row.workflow_id, snapshot: row.policy_snapshot };
}

export async function loadPeople(sql: Sql, companyId: number): Promise<Person[]> {
  const rows = await sql<{ id: number; code: string; name: string; roles: string[]; manager_id: number | null; warehouse_scope: number[] | null; active: boolean }[]>`
    select id, code, name, roles, manager_id, warehouse_scope, active from employees where company_id = ${companyId}`;
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    roles: r.roles,
    managerId: r.manager_id,
    warehouseScope: r.warehouse_scope?.map(Number) ?? null,
    active: r.active,
  }));
}

async function lineCategories(sql: Sql, itemIds: number[]): Promise<string[]> {
  const rows = await sql<{ category: string }[]>`select distinct category from items where id = any(${itemIds}::bigint[]) and category is not null`;
  return rows.map((r) => r.category);
}

/** The most specific active policy: warehouse + category, warehouse, category, then the general one; newest version. */
async function choosePolicy(sql: Sql, companyId: number, type: string, warehouseId: number, categories: string[]): Promise<{ id: number | null; name: string; steps: PolicyStep[] }> {
  const [row] = await sql<{ id: number; name: string; steps: unknown }[]>`
    select id, name, steps from approval_policies
    where company_id = ${companyId} and request_type = ${type} and active
      and (warehouse_id is null or warehouse_id = ${warehouseId})
      and (category is null or category = any(${categories}::text[]))
    order by (warehouse_id is not null)::int + (category is not null)::int desc, (warehouse_id is not null) desc, version desc
    limit 1`;
  if (!row) throw new NotFoundError('policy', type);
  return { id: row.id, name: row.name, steps: policyStepSchema.array().parse(row.steps) };
}

function fulfillersOf(people: Person[], warehouses: WarehouseInfo[]): number[] {
  return people
    .filter((p) => p.active && p.roles.some((r) => FULFILLER_ROLES.includes(r)))
    .filter((p) => p.warehouseScope === null || warehouses.some((w) => p.warehouseScope?.includes(w.id)))
    .map((p) => p.id);
}
