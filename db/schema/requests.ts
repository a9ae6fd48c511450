import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, money, quantity, ref, unitCost, updatedAt } from './columns.ts';
import { companies } from './companies.ts';
import { employees } from './employees.ts';
import { items } from './items.ts';
import { locations, warehouses } from './warehouses.ts';

export const REQUEST_TYPES = ['purchase', 'outbound', 'transfer', 'stocktake'] as const;
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'completed', 'failed'] as const;

/**
 * 审批流: an admin-editable approval policy. Saving creates a new version; a
 * running request keeps the snapshot it was submitted with.
 */
export const approvalPolicies = pgTable(
  'approval_policies',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    requestType: text('request_type', { enum: REQUEST_TYPES }).notNull(),
    /** Narrower policies (a warehouse, a category) win over the general one. */
    warehouseId: ref('warehouse_id').references(() => warehouses.id),
    category: text('category'),
    name: text('name').notNull(),
    version: integer('version').notNull(),
    steps: jsonb('steps').notNull(),
    active: boolean('active').notNull().default(true),
    createdBy: ref('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('approval_policies_version_uq').on(t.companyId, t.requestType, t.warehouseId, t.category, t.version).nullsNotDistinct(),
  ],
);

/** 单据 people submit: purchase, outbound, transfer and stocktake requests. */
export const requests = pgTable(
  'requests',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    requestNo: text('request_no').notNull(),
    type: text('type', { enum: REQUEST_TYPES }).notNull(),
    /** outbound: sales | requisition | sample; purchase: purchase; … */
    reason: text('reason'),
    status: text('status', { enum: REQUEST_STATUSES }).notNull().default('pending'),
    /** Where fulfilment stands after approval: accepted, picked, checked, shipped, received … */
    stage: text('stage'),
    requesterId: ref('requester_id').notNull().references(() => employees.id),
    warehouseId: ref('warehouse_id').notNull().references(() => warehouses.id),
    toWarehouseId: ref('to_warehouse_id').references(() => warehouses.id),
    amount: money('amount').notNull(),
    partner: text('partner'),
    note: text('note'),
    policyId: ref('policy_id').references(() => approvalPolicies.id),
    policySnapshot: jsonb('policy_snapshot').notNull(),
    workflowId: text('workflow_id').notNull(),
    reservationId: ref('reservation_id'),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    failure: jsonb('failure'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('requests_no_uq').on(t.companyId, t.requestNo),
    unique('requests_idempotency_uq').on(t.companyId, t.idempotencyKey),
    index('requests_requester_idx').on(t.requesterId, t.id),
  ],
);

export const requestLines = pgTable(
  'request_lines',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    requestId: ref('request_id').notNull().references(() => requests.id),
    lineNo: integer('line_no').notNull(),
    itemId: ref('item_id').notNull().references(() => items.id),
    /** As entered, in `unit`; `qtyBase` in the item's base unit (signed for stocktake variances). */
    qty: quantity('qty').notNull(),
    unit: text('unit').notNull(),
    qtyBase: quantity('qty_base').notNull(),
    unitPrice: unitCost('unit_price').notNull(),
    amount: money('amount').notNull(),
    batchNo: text('batch_no'),
    /**
     * stocktake: the counted location, so the variance is posted where it was
     * found; others: where to take from / put to. Null: the warehouse default
     * (requests made before lines had a location, and lines that name none).
     */
    locationId: ref('location_id').references(() => locations.id),
  },
  (t) => [unique('request_lines_line_uq').on(t.requestId, t.lineNo)],
);

/**
 * One row per (request, step, assignee, round): what "my pending approvals"
 * reads. Written only by workflow activities (a projection of workflow state).
 */
export const approvalTasks = pgTable(
  'approval_tasks',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    requestId: ref('request_id').notNull().references(() => requests.id),
    taskKey: text('task_key').notNull().unique(),
    stepIndex: integer('step_index').notNull(),
    stepName: text('step_name').notNull(),
    assigneeId: ref('assignee_id').notNull().references(() => employees.id),
    status: text('status', { enum: ['pending', 'approved', 'rejected', 'delegated', 'escalated', 'cancelled'] }).notNull(),
    comment: text('comment'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    channel: text('channel'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('approval_tasks_assignee_idx').on(t.assigneeId, t.status)],
);

/** The audit trail: who did what, when, from which channel. Append-only by convention, keyed for idempotent projection. */
export const requestEvents = pgTable(
  'request_events',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    requestId: ref('request_id').notNull().references(() => requests.id),
    eventKey: text('event_key').notNull().unique(),
    kind: text('kind').notNull(),
    actorId: ref('actor_id'),
    channel: text('channel'),
    detail: jsonb('detail'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('request_events_request_idx').on(t.requestId, t.id)],
);

/**
 * Every message meant for a person or a group, recorded with a stable key so a
 * retried activity never sends twice. The chat adapters deliver from here.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    companyId: ref('company_id').notNull().references(() => companies.id),
    notificationKey: text('notification_key').notNull().unique(),
    kind: text('kind').notNull(),
    requestId: ref('request_id').references(() => requests.id),
    recipientId: ref('recipient_id').references(() => employees.id),
    payload: jsonb('payload').notNull(),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('notifications_recipient_idx').on(t.recipientId, t.id)],
);
