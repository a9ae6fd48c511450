import { z } from 'zod';
import { employeeInputSchema, employeeUpdateSchema, identitiesInputSchema } from '../../inventory/master/employees.ts';
import { itemInputSchema, itemUpdateSchema } from '../../inventory/master/items.ts';
import { locationsInputSchema, warehouseInputSchema, warehouseUpdateSchema } from '../../inventory/master/warehouses.ts';
import { movementInputSchema, transferReceiptInputSchema } from '../../inventory/movement-input.ts';
import { ledgerQuerySchema } from '../../inventory/queries/ledger-history.ts';
import { reservationInputSchema } from '../../inventory/reservations/input.ts';
import { policyInputSchema } from '../../inventory/approvals/policy.ts';
import { alertQuerySchema, alertRuleSchema } from '../../inventory/reports/alert-admin.ts';
import { kpiQuerySchema } from '../../inventory/reports/kpi-report.ts';
import { subscriptionInputSchema } from '../../bot/subscription-admin.ts';
import {
  commentInputSchema,
  decisionInputSchema,
  delegateInputSchema,
  fulfilInputSchema,
  requestInputSchema,
  withdrawInputSchema,
} from '../../inventory/requests/input.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' });

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', example: 'INSUFFICIENT_STOCK' },
        message: { type: 'string', description: 'In the caller\'s language (Accept-Language: zh-CN default, en)' },
        details: { description: 'Facts about the error: issues[] with path and message for 400, available quantity for 409' },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'Validation failed: every problem listed with its path; nothing was changed',
  401: 'Missing or invalid bearer token',
  403: 'The token lacks the needed scope',
  404: 'Unknown item, warehouse, reservation or document',
  409: 'Insufficient stock (details.available), idempotency conflict, or a state conflict',
};
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const path = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });

/** The integration API described from the same zod schemas the verbs validate with. */
export function openApiDocument(version: string) {
  const queryParams = (q: z.ZodType) =>
    Object.entries((schema(q) as { properties: Record<string, object> }).properties).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));
  const ledgerParams = queryParams(ledgerQuerySchema);
  return {
    openapi: '3.0.3',
    info: {
      title: 'StockPilot 库存领航 integration API',
      version,
      description:
        'One stock ledger (一本账) for WMS, e-commerce and ERP systems. Authenticate with `Authorization: Bearer <token>` ' +
        '(`npm run token -- create`). Quantities and money are decimal strings in answers; writes take an idempotencyKey.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: errorBody,
        ItemInput: schema(itemInputSchema),
        ItemUpdate: schema(itemUpdateSchema),
        WarehouseInput: schema(warehouseInputSchema),
        WarehouseUpdate: schema(warehouseUpdateSchema),
        LocationsInput: schema(locationsInputSchema),
        EmployeeInput: schema(employeeInputSchema),
        EmployeeUpdate: schema(employeeUpdateSchema),
        IdentitiesInput: schema(identitiesInputSchema),
        MovementInput: schema(movementInputSchema),
        TransferReceiptInput: schema(transferReceiptInputSchema),
        ReservationInput: schema(reservationInputSchema),
        RequestInput: schema(requestInputSchema),
        DecisionInput: schema(decisionInputSchema),
        DelegateInput: schema(delegateInputSchema),
        WithdrawInput: schema(withdrawInputSchema),
        FulfilInput: schema(fulfilInputSchema),
        PolicyInput: schema(policyInputSchema),
        CommentInput: schema(commentInputSchema),
        AlertRuleInput: schema(alertRuleSchema),
        SubscriptionInput: schema(subscriptionInputSchema),
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { summary: 'Liveness and database round trip', security: [], responses: { 200: ok('Healthy'), 503: ok('Database unreachable') } } },
      '/api/v1/items': {
        post: { summary: 'Create an item', requestBody: json('ItemInput'), responses: { 201: ok('The item'), ...errors(400, 401, 403, 409) } },
        get: {
          summary: 'Search items (q: code, barcode or name fragment, best first) or list them in code order',
          parameters: [
            { name: 'q', in: 'query', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
            { name: 'after', in: 'query', schema: { type: 'string' }, description: 'List: continue after this code' },
          ],
          responses: { 200: ok('Items'), ...errors(401, 403) },
        },
      },
      '/api/v1/items/{code}': {
        get: { summary: 'One item', parameters: [path('code', 'Item code')], responses: { 200: ok('The item'), ...errors(401, 404) } },
        patch: {
          summary:
            'Correct an item (only the fields given; null clears one). Code, base unit, tracking, allowNegative and fewer decimal places only while nothing refers to the item yet; unitCost is the reference cost and leaves the ledger valuation as it is; active=false retires it',
          parameters: [path('code', 'Item code')],
          requestBody: json('ItemUpdate'),
          responses: { 200: ok('The item as it is now'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/warehouses': {
        post: { summary: 'Create a warehouse (with DEFAULT and TRANSIT locations)', requestBody: json('WarehouseInput'), responses: { 201: ok('The warehouse'), ...errors(400, 401, 403, 409) } },
        get: {
          summary: 'Warehouses and their locations',
          parameters: [{ name: 'all', in: 'query', schema: { type: 'boolean' }, description: 'true: deactivated warehouses too' }],
          responses: { 200: ok('Warehouses'), ...errors(401) },
        },
      },
      '/api/v1/warehouses/{code}': {
        patch: {
          summary: 'Rename a warehouse, replace its aliases or address, or (de)activate it (deactivate only while it holds no stock)',
          parameters: [path('code', 'Warehouse code')],
          requestBody: json('WarehouseUpdate'),
          responses: { 200: ok('The warehouse as it is now'), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/warehouses/{code}/locations': {
        post: {
          summary: 'Add storage locations (库位); codes unique within the warehouse',
          parameters: [path('code', 'Warehouse code')],
          requestBody: json('LocationsInput'),
          responses: { 201: ok('The warehouse with its locations'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/employees': {
        post: { summary: 'Create an employee (roles, warehouse scope, manager, chat identities)', requestBody: json('EmployeeInput'), responses: { 201: ok('The employee'), ...errors(400, 401, 403, 404, 409) } },
      },
      '/api/v1/employees/{code}': {
        get: { summary: 'One employee', parameters: [path('code', 'Employee code (工号)')], responses: { 200: ok('The employee'), ...errors(401, 404) } },
        patch: {
          summary: 'Correct an employee: name, department, manager (no loops), roles, warehouse scope (null: all), active (deactivated people keep their history but can no longer sign in)',
          parameters: [path('code', 'Employee code (工号)')],
          requestBody: json('EmployeeUpdate'),
          responses: { 200: ok('The employee as they are now'), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/employees/{code}/identities': {
        put: {
          summary: 'Bind (or with null unbind) the employee’s DingTalk / Feishu / WeCom identities; chat messages from them then act as this employee',
          parameters: [path('code', 'Employee code (工号)')],
          requestBody: json('IdentitiesInput'),
          responses: { 200: ok('The employee'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/stock/{itemCode}': {
        get: {
          summary: 'Stock of an item: totals, per warehouse, per location and batch (on hand, reserved, available, in transit)',
          parameters: [path('itemCode', 'Item code')],
          responses: { 200: ok('Stock'), ...errors(401, 404) },
        },
      },
      '/api/v1/reports/below-safety-stock': { get: { summary: 'Items whose available stock is below safety stock', responses: { 200: ok('Items'), ...errors(401) } } },
      '/api/v1/movements': {
        post: {
          summary: 'Post a receipt, issue, transfer or adjustment at once (all lines or none; idempotent)',
          requestBody: json('MovementInput'),
          responses: { 201: ok('The posted document with its ledger rows'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/movements/{docNo}': { get: { summary: 'A posted document', parameters: [path('docNo', 'Document number')], responses: { 200: ok('Document'), ...errors(401, 404) } } },
      '/api/v1/movements/{docNo}/receive': {
        post: {
          summary: 'Receive an in-transit transfer (all outstanding, or the given lines)',
          parameters: [path('docNo', 'Transfer document number')],
          requestBody: json('TransferReceiptInput'),
          responses: { 201: ok('The receipt document'), ...errors(400, 401, 404, 409) },
        },
      },
      '/api/v1/reservations': {
        post: { summary: 'Reserve stock for an order (all lines or none; idempotent)', requestBody: json('ReservationInput'), responses: { 201: ok('The reservation'), ...errors(400, 401, 403, 404, 409) } },
      },
      '/api/v1/reservations/{id}': { get: { summary: 'A reservation', parameters: [path('id', 'Reservation id')], responses: { 200: ok('Reservation'), ...errors(401, 404) } } },
      '/api/v1/reservations/{id}/release': { post: { summary: 'Release a reservation', parameters: [path('id', 'Reservation id')], responses: { 200: ok('Released'), ...errors(401, 404, 409) } } },
      '/api/v1/reservations/{id}/consume': { post: { summary: 'Ship what a reservation holds (posts an issue)', parameters: [path('id', 'Reservation id')], responses: { 201: ok('The issue document'), ...errors(401, 404, 409) } } },
      '/api/v1/requests': {
        post: {
          summary: 'Submit a purchase, outbound, transfer or stocktake request (validated, priced, policy snapshot taken, approval started; idempotent). Acts as the token\'s employee.',
          requestBody: json('RequestInput'),
          responses: { 201: ok('The request with its live approval status'), ...errors(400, 401, 403, 404, 409) },
        },
        get: { summary: 'My requests (我的申请)', responses: { 200: ok('Requests'), ...errors(401, 403) } },
      },
      '/api/v1/requests/{id}': {
        get: { summary: 'A request: lines, approval tasks, audit timeline, live status', parameters: [path('id', 'Request id')], responses: { 200: ok('Request'), ...errors(401, 404) } },
      },
      '/api/v1/requests/{id}/decisions': {
        post: {
          summary: 'Approve or reject as a current approver; a repeated clickId answers the first result',
          parameters: [path('id', 'Request id')],
          requestBody: json('DecisionInput'),
          responses: { 200: ok('Status after the decision'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/requests/{id}/delegate': {
        post: { summary: '转办 to another employee', parameters: [path('id', 'Request id')], requestBody: json('DelegateInput'), responses: { 200: ok('Status'), ...errors(400, 401, 403, 404, 409) } },
      },
      '/api/v1/requests/{id}/withdraw': {
        post: { summary: '撤回 by the requester while pending', parameters: [path('id', 'Request id')], requestBody: json('WithdrawInput'), responses: { 200: ok('Status'), ...errors(401, 403, 404, 409) } },
      },
      '/api/v1/requests/{id}/comments': {
        post: { summary: 'Comment on a request (joins the timeline; the requester is told)', parameters: [path('id', 'Request id')], requestBody: json('CommentInput'), responses: { 201: ok('Recorded'), ...errors(400, 401, 403, 404) } },
      },
      '/api/v1/requests/{id}/fulfilment': {
        post: {
          summary: 'Warehouse staff confirm a step: accept, pick, check, ship (outbound); ship, receive (transfer); receive (purchase, partial allowed)',
          parameters: [path('id', 'Request id')],
          requestBody: json('FulfilInput'),
          responses: { 200: ok('Status, stage and the posted document'), ...errors(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/approvals': { get: { summary: 'My pending approvals (我的待办), ?assignee=me', responses: { 200: ok('Approvals'), ...errors(401, 403) } } },
      '/api/v1/policies': {
        get: { summary: 'Current approval policies (审批流)', responses: { 200: ok('Policies'), ...errors(401) } },
        post: { summary: 'Save a policy as a new version (admin)', requestBody: json('PolicyInput'), responses: { 201: ok('The saved version'), ...errors(400, 401, 403, 404) } },
      },
      '/api/v1/policies/{id}': { delete: { summary: 'Retire a policy (every version)', parameters: [path('id', 'Policy id')], responses: { 200: ok('Retired'), ...errors(401, 403, 404) } } },
      '/api/v1/reports/kpis': {
        get: {
          summary: 'KPIs of a closed period per company, warehouse, category or item: opening/closing/average value, inbound, COGS, turnover, stock-to-sales, ABC',
          parameters: queryParams(kpiQuerySchema),
          responses: { 200: ok('KPI rows'), ...errors(400, 401) },
        },
      },
      '/api/v1/alerts': { get: { summary: '预警 history, newest first', parameters: queryParams(alertQuerySchema), responses: { 200: ok('Alerts'), ...errors(400, 401) } } },
      '/api/v1/alerts/rules': {
        get: { summary: 'Alert thresholds per company, category or item', responses: { 200: ok('Rules'), ...errors(401) } },
        put: { summary: 'Set the thresholds for the company, a category or an item (admin)', requestBody: json('AlertRuleInput'), responses: { 200: ok('The rule'), ...errors(400, 401, 403, 404) } },
      },
      '/api/v1/chat-subscriptions': {
        get: { summary: 'Group subscriptions to the digest and alerts (admin)', responses: { 200: ok('Subscriptions'), ...errors(401, 403) } },
        post: {
          summary: 'Subscribe a group (WeCom group robot: chatId "robot:<key>"), or change its digest time and language (admin)',
          requestBody: json('SubscriptionInput'),
          responses: { 201: ok('The subscription'), ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/chat-subscriptions/{id}': { delete: { summary: 'Unsubscribe (admin)', parameters: [path('id', 'Subscription id')], responses: { 204: { description: 'Removed' }, ...errors(401, 403, 404) } } },
      '/api/v1/ledger': { get: { summary: 'Ledger rows, oldest first, cursor-paginated', parameters: ledgerParams, responses: { 200: ok('Entries and nextCursor'), ...errors(400, 401, 404) } } },
    },
  };
}
