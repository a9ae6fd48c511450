import { z } from 'zod';
import { itemInputSchema } from '../../inventory/master/items.ts';
import { warehouseInputSchema } from '../../inventory/master/warehouses.ts';
import { movementInputSchema, transferReceiptInputSchema } from '../../inventory/movement-input.ts';
import { ledgerQuerySchema } from '../../inventory/queries/ledger-history.ts';
import { reservationInputSchema } from '../../inventory/reservations/input.ts';

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
  const ledgerParams = Object.entries((schema(ledgerQuerySchema) as { properties: Record<string, object> }).properties).map(
    ([name, s]) => ({ name, in: 'query', required: false, schema: s }),
  );
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
        WarehouseInput: schema(warehouseInputSchema),
        MovementInput: schema(movementInputSchema),
        TransferReceiptInput: schema(transferReceiptInputSchema),
        ReservationInput: schema(reservationInputSchema),
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
      '/api/v1/items/{code}': { get: { summary: 'One item', parameters: [path('code', 'Item code')], responses: { 200: ok('The item'), ...errors(401, 404) } } },
      '/api/v1/warehouses': {
        post: { summary: 'Create a warehouse (with DEFAULT and TRANSIT locations)', requestBody: json('WarehouseInput'), responses: { 201: ok('The warehouse'), ...errors(400, 401, 403, 409) } },
        get: { summary: 'Warehouses and their locations', responses: { 200: ok('Warehouses'), ...errors(401) } },
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
      '/api/v1/ledger': { get: { summary: 'Ledger rows, oldest first, cursor-paginated', parameters: ledgerParams, responses: { 200: ok('Entries and nextCursor'), ...errors(400, 401, 404) } } },
    },
  };
}
