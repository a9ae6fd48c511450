import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/auth/tokens.ts';
import { createApp } from '../app/http/app.ts';
import type { Database } from '../db/client.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import type { WorkflowGateway } from '../workflows/gateway.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem } from './support/fixtures.ts';

let db: Database;
let server: ServerType;
let base: string;
let tokenA: string;
let tokenB: string;
let readOnly: string;

beforeAll(async () => {
  db = await freshDatabase();
  const a = await companyWithWarehouses(db, 'ACME');
  const b = await companyWithWarehouses(db, 'BETA');
  tokenA = (await createApiToken(db, { companyId: a.companyId, name: 'wms', scopes: ['stock:read', 'stock:write', 'master:write'] })).token;
  tokenB = (await createApiToken(db, { companyId: b.companyId, name: 'wms', scopes: ['stock:read', 'stock:write', 'master:write'] })).token;
  readOnly = (await createApiToken(db, { companyId: a.companyId, name: 'bi', scopes: ['stock:read'] })).token;
  // These tests never reach Temporal; approvals over HTTP are covered in approvals-api.test.ts.
  const gateway = new Proxy({} as WorkflowGateway, { get: () => () => Promise.reject(new Error('no Temporal in this test')) });
  const app = createApp({ db, reservations: new ReservationService(db), gateway, version: 'test' });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function call(method: string, path: string, opts: { token?: string | null; body?: unknown; lang?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const token = opts.token === undefined ? tokenA : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.lang) headers['accept-language'] = opts.lang;
  const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) });
  // biome-ignore lint: tests read any JSON shape
  return { status: res.status, body: (await res.json()) as any };
}

describe('health and discovery', () => {
  it('reports the database as reachable', async () => {
    const res = await call('GET', '/healthz', { token: null });
    expect(res).toMatchObject({ status: 200, body: { status: 'ok', db: 'ok' } });
  });

  it('publishes an OpenAPI document without a token', async () => {
    const res = await call('GET', '/api/v1/openapi.json', { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.0.3');
    expect(Object.keys(res.body.paths)).toContain('/api/v1/movements');
    expect(res.body.components.schemas.MovementInput.properties.lines).toBeDefined();
  });
});

describe('authentication', () => {
  it('refuses a missing or unknown token with 401', async () => {
    expect((await call('GET', '/api/v1/warehouses', { token: null })).status).toBe(401);
    const res = await call('GET', '/api/v1/warehouses', { token: 'sp_not-a-real-token' });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
  });

  it('refuses a write with a read-only token with 403, in the caller’s language', async () => {
    const res = await call('POST', '/api/v1/movements', {
      token: readOnly,
      lang: 'en-US,en;q=0.9',
      body: { type: 'receipt', warehouse: 'SH', lines: [{ item: 'X', qty: 1 }], idempotencyKey: idem() },
    });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'The token lacks the stock:write scope' } } });
  });
});

describe('master data', () => {
  it('creates and reads items and warehouses', async () => {
    const created = await call('POST', '/api/v1/items', {
      body: { code: 'A-1001', name: '螺丝M6', spec: 'M6×20', unit: '个', barcode: '6901234567892', safetyStock: 50, unitCost: '0.08', units: [{ unit: '盒', factor: 100 }] },
    });
    expect(created).toMatchObject({ status: 201, body: { code: 'A-1001', units: [{ unit: '盒', factor: '100' }] } });
    expect((await call('GET', '/api/v1/items/A-1001')).body.name).toBe('螺丝M6');
    expect((await call('POST', '/api/v1/items', { body: { code: 'A-1001', name: 'dup', unit: '个' } })).body.error.code).toBe('DUPLICATE');
    const wh = await call('POST', '/api/v1/warehouses', { body: { code: 'SZN', name: '深圳仓', aliases: ['深圳'] } });
    expect(wh).toMatchObject({ status: 201, body: { code: 'SZN', locations: [{ code: 'DEFAULT' }, { code: 'TRANSIT', kind: 'transit' }] } });
    expect((await call('GET', '/api/v1/warehouses')).body.warehouses.map((w: { code: string }) => w.code)).toEqual(['SH', 'SZ', 'SZN']);
  });

  it('ranks search results: exact code, barcode, prefix, name fragment', async () => {
    await call('POST', '/api/v1/items', { body: { code: 'A-10011', name: '螺丝M6加长', unit: '个', safetyStock: 10 } });
    await call('POST', '/api/v1/items', { body: { code: 'B-2001', name: '六角螺丝', unit: '个' } });
    const byCode = await call('GET', '/api/v1/items?q=A-1001');
    expect(byCode.body.items.map((i: { code: string; match: string }) => [i.code, i.match])).toEqual([
      ['A-1001', 'code'],
      ['A-10011', 'prefix'],
    ]);
    expect((await call('GET', '/api/v1/items?q=6901234567892')).body.items[0]).toMatchObject({ code: 'A-1001', match: 'barcode' });
    const byName = await call('GET', `/api/v1/items?q=${encodeURIComponent('螺丝')}`);
    // name prefix (螺丝M6…) before a fragment in the middle (六角螺丝)
    expect(byName.body.items.map((i: { code: string }) => i.code)).toEqual(['A-1001', 'A-10011', 'B-2001']);
  });

  it('binds chat identities to employees: an admin links a Feishu user, a taken identity is refused by name, null unbinds', async () => {
    expect((await call('POST', '/api/v1/employees', { body: { code: 'E1', name: '王强', roles: ['warehouse_keeper'], warehouses: ['SH'] } })).status).toBe(201);
    expect((await call('POST', '/api/v1/employees', { body: { code: 'E2', name: '李娜' } })).status).toBe(201);
    const bound = await call('PUT', '/api/v1/employees/E1/identities', { body: { feishuOpenId: 'ou_1234', dingtalkUserId: 'manager4711' } });
    expect(bound).toMatchObject({ status: 200, body: { code: 'E1', feishuOpenId: 'ou_1234', dingtalkUserId: 'manager4711', warehouses: ['SH'] } });
    const taken = await call('PUT', '/api/v1/employees/E2/identities', { body: { feishuOpenId: 'ou_1234' } });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: 'DUPLICATE' } } });
    expect(taken.body.error.message).toContain('feishuOpenId=ou_1234 (E1)');
    expect((await call('GET', '/api/v1/employees/E2')).body.feishuOpenId).toBeNull();
    const unbound = await call('PUT', '/api/v1/employees/E1/identities', { body: { feishuOpenId: null } });
    expect(unbound.body).toMatchObject({ feishuOpenId: null, dingtalkUserId: 'manager4711' });
    const empty = await call('PUT', '/api/v1/employees/E1/identities', { body: {} });
    expect(empty.status).toBe(400);
    const stranger = await call('PUT', '/api/v1/employees/E1/identities', { body: { slackId: 'U1' } });
    expect(stranger.status).toBe(400);
    expect((await call('PUT', '/api/v1/employees/E1/identities', { token: readOnly, body: { wecomUserId: 'w1' } })).status).toBe(403);
  });

  it('answers 400 with every problem for a bad item', async () => {
    const res = await call('POST', '/api/v1/items', { body: { code: 'bad code!', unit: '', unitPrecision: 9 } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['code', 'name', 'unit', 'unitPrecision']);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await call('POST', '/api/v1/items', { body: '{oops' });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
  });
});

describe('movements, stock and ledger', () => {
  it('posts a receipt and shows it in the stock answer', async () => {
    const res = await call('POST', '/api/v1/movements', {
      body: { type: 'receipt', reason: 'purchase', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 2, unit: '盒', unitCost: 8 }], idempotencyKey: 'po-1' },
    });
    expect(res.status).toBe(201);
    expect(res.body.movements[0]).toMatchObject({ qty: '200', unitCost: '0.08', value: '16' });
    const stock = await call('GET', '/api/v1/stock/A-1001');
    expect(stock.body).toMatchObject({ item: { code: 'A-1001', unit: '个' }, totals: { onHand: '200', available: '200', inTransit: '0' } });
    expect((await call('GET', `/api/v1/movements/${res.body.document.docNo}`)).body).toEqual(res.body);
  });

  it('answers an idempotent retry with the first result and a changed retry with 409', async () => {
    const body = { type: 'receipt', reason: 'purchase', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 2, unit: '盒', unitCost: 8 }], idempotencyKey: 'po-1' };
    const again = await call('POST', '/api/v1/movements', { body });
    expect(again.status).toBe(201);
    expect((await call('GET', '/api/v1/stock/A-1001')).body.totals.onHand).toBe('200');
    const changed = await call('POST', '/api/v1/movements', { body: { ...body, lines: [{ item: 'A-1001', qty: 3 }] } });
    expect(changed).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_CONFLICT', details: { idempotencyKey: 'po-1' } } } });
  });

  it('answers 409 with the available quantity when stock is short', async () => {
    const res = await call('POST', '/api/v1/movements', {
      body: { type: 'issue', reason: 'sales', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 500 }], idempotencyKey: idem() },
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_STOCK', details: { requested: '500', available: '200' } } } });
    expect(res.body.error.message).toBe('A-1001 在 SH 库存不足：需要 500，可用 200');
  });

  it('answers 404 for an unknown item or warehouse', async () => {
    expect((await call('GET', '/api/v1/stock/NOPE')).body.error).toMatchObject({ code: 'NOT_FOUND', details: { kind: 'item', key: 'NOPE' } });
    const res = await call('POST', '/api/v1/movements', { body: { type: 'receipt', warehouse: 'MARS', lines: [{ item: 'A-1001', qty: 1 }], idempotencyKey: idem() } });
    expect(res).toMatchObject({ status: 404, body: { error: { details: { kind: 'warehouse', key: 'MARS' } } } });
  });

  it('transfers in transit and receives them over the API', async () => {
    const shipped = await call('POST', '/api/v1/movements', {
      body: { type: 'transfer', warehouse: 'SH', toWarehouse: 'SZ', inTransit: true, lines: [{ item: 'A-1001', qty: 50 }], idempotencyKey: idem() },
    });
    expect(shipped.status).toBe(201);
    expect((await call('GET', '/api/v1/stock/A-1001')).body.totals).toMatchObject({ onHand: '150', inTransit: '50' });
    const received = await call('POST', `/api/v1/movements/${shipped.body.document.docNo}/receive`, { body: { idempotencyKey: idem() } });
    expect(received.status).toBe(201);
    expect((await call('GET', '/api/v1/stock/A-1001')).body.totals).toMatchObject({ onHand: '200', inTransit: '0' });
  });

  it('pages through the ledger with a cursor', async () => {
    const first = await call('GET', '/api/v1/ledger?item=A-1001&limit=2');
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await call('GET', `/api/v1/ledger?item=A-1001&limit=10&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.entries, ...second.body.entries].map((e: { id: number }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(5); // receipt, transfer out + in-transit, receive out of transit + in
    expect((await call('GET', '/api/v1/ledger?limit=0')).status).toBe(400);
  });

  it('lists items below safety stock', async () => {
    const res = await call('GET', '/api/v1/reports/below-safety-stock');
    expect(res.body.items.map((i: { code: string }) => i.code)).toContain('A-10011');
    expect(res.body.items.map((i: { code: string }) => i.code)).not.toContain('A-1001');
  });
});

describe('reservations over HTTP', () => {
  it('reserves, refuses over-reservation, consumes and releases', async () => {
    const held = await call('POST', '/api/v1/reservations', {
      body: { orderRef: 'SO-1', channel: 'jd', lines: [{ item: 'A-1001', warehouse: 'SH', qty: 120 }], idempotencyKey: idem() },
    });
    expect(held).toMatchObject({ status: 201, body: { status: 'active', lines: [{ qty: '120' }] } });
    const over = await call('POST', '/api/v1/reservations', {
      body: { orderRef: 'SO-2', lines: [{ item: 'A-1001', warehouse: 'SH', qty: 100 }], idempotencyKey: idem() },
    });
    expect(over).toMatchObject({ status: 409, body: { error: { code: 'INSUFFICIENT_STOCK', details: { available: '30' } } } });
    expect((await call('GET', `/api/v1/reservations/${held.body.id}`)).body.orderRef).toBe('SO-1');
    const shipped = await call('POST', `/api/v1/reservations/${held.body.id}/consume`);
    expect(shipped).toMatchObject({ status: 201, body: { document: { type: 'issue', reference: 'SO-1' } } });
    const late = await call('POST', `/api/v1/reservations/${held.body.id}/release`);
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'RESERVATION_NOT_ACTIVE' } } });
    expect((await call('GET', '/api/v1/reservations/999999')).status).toBe(404);
    expect((await call('GET', '/api/v1/reservations/abc')).status).toBe(400);
  });
});

describe('tenancy', () => {
  it("company B's token can neither see nor change company A's stock", async () => {
    expect((await call('GET', '/api/v1/stock/A-1001', { token: tokenB })).status).toBe(404);
    expect((await call('GET', '/api/v1/items?q=A-1001', { token: tokenB })).body.items).toEqual([]);
    const issue = await call('POST', '/api/v1/movements', {
      token: tokenB,
      body: { type: 'issue', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 1 }], idempotencyKey: idem() },
    });
    expect(issue.status).toBe(404);
    const reserve = await call('POST', '/api/v1/reservations', {
      token: tokenB,
      body: { orderRef: 'X', lines: [{ item: 'A-1001', qty: 1 }], idempotencyKey: idem() },
    });
    expect(reserve.status).toBe(404);
    expect((await call('GET', '/api/v1/ledger', { token: tokenB })).body.entries).toEqual([]);
    // Company B may use the same codes for its own items without touching A's.
    expect((await call('POST', '/api/v1/items', { token: tokenB, body: { code: 'A-1001', name: 'B 的物料', unit: '件' } })).status).toBe(201);
    expect((await call('GET', '/api/v1/stock/A-1001')).body.item.name).toBe('螺丝M6');
  });
});
