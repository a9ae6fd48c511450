import { beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../app/auth/tokens.ts';
import { createApp } from '../app/http/app.ts';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { DomainError, ValidationError } from '../inventory/errors.ts';
import { createEmployee, getEmployee, updateEmployee } from '../inventory/master/employees.ts';
import { createItem, getItem, updateItem } from '../inventory/master/items.ts';
import { createSupplier } from '../inventory/master/partners.ts';
import { addLocations, createWarehouse, getWarehouse, listWarehouses, updateWarehouse } from '../inventory/master/warehouses.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { searchItems } from '../inventory/queries/search-items.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { NO_TEMPORAL } from './support/miniapp.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

/*
 * The edit verbs for master data on a real database: an admin corrects an
 * item, an employee or a warehouse; what would rewrite history is refused,
 * naming the field and why; every refusal changes nothing; and another
 * company's admin cannot reach any of it.
 */
let db: Database;
let co: Actor;
let other: Actor;

beforeAll(async () => {
  db = await freshDatabase();
  co = await companyWithWarehouses(db);
  other = await companyWithWarehouses(db);
  await createSupplier(db, co, { code: 'S-01', name: '华东五金' });
  for (const e of [
    { code: 'DIR', name: '总监', roles: ['director'] },
    { code: 'WM', name: '仓库主管', roles: ['warehouse_manager'], manager: 'DIR' },
    { code: 'KEEP', name: '仓管员', roles: ['warehouse_keeper'], manager: 'WM', warehouses: ['SH'] },
    { code: 'ADM', name: '管理员', roles: ['admin'] },
  ]) {
    await createEmployee(db, co, e);
  }
});

/** The refusal a call ends in (the test fails if it succeeds). */
async function refusal(call: Promise<unknown>): Promise<DomainError> {
  const err = await call.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw err;
  return err;
}

const issuesOf = (err: DomainError) => (err instanceof ValidationError ? err.issues : []);

/** Every row of the company's master data and stock: a refused edit must leave all of it as it was. */
async function everything(companyId = co.companyId) {
  const of = (table: string) => db.sql`select * from ${db.sql(table)} where company_id = ${companyId} order by id`;
  return {
    items: await of('items'),
    units: await of('item_units'),
    valuations: await db.sql`select * from item_valuations where company_id = ${companyId} order by item_id`,
    employees: await of('employees'),
    warehouses: await of('warehouses'),
    locations: await of('locations'),
    ledger: await of('stock_ledger'),
  };
}

const receive = (code: string, qty: number, unitCost: number, warehouse = 'SH') =>
  postMovement(db, co, { type: 'receipt', warehouse, lines: [{ item: code, qty, unitCost }], idempotencyKey: idem('recv') });

describe('updateItem', () => {
  it('corrects name, spec, barcode, safety stock, supplier and alternate units, and finds the item by its new pinyin initials', async () => {
    await item(db, co, { code: 'A-1', name: '螺丝M6', spec: 'M6×20', units: [{ unit: '盒', factor: '100' }] });
    const updated = await updateItem(db, co, 'A-1', {
      name: '六角螺栓M8',
      spec: null,
      barcode: '6901234500011',
      safetyStock: '30',
      reorderPoint: 50,
      leadTimeDays: 7,
      moq: '200',
      packSize: 100,
      defaultSupplier: 'S-01',
      units: [{ unit: '箱', factor: 24 }],
    });
    expect(updated).toMatchObject({
      code: 'A-1', name: '六角螺栓M8', spec: null, barcode: '6901234500011', safetyStock: '30', reorderPoint: '50', leadTimeDays: 7,
      moq: '200', packSize: '100', defaultSupplier: 'S-01', units: [{ unit: '箱', factor: '24' }], active: true,
    });
    expect((await searchItems(db, co, 'ljlsm8')).map((h) => h.code)).toEqual(['A-1']);
    expect(await searchItems(db, co, 'lsm6')).toEqual([]);
    // null clears an optional field; absent leaves it.
    expect(await updateItem(db, co, 'A-1', { defaultSupplier: null, barcode: null })).toMatchObject({ defaultSupplier: null, barcode: null, safetyStock: '30', name: '六角螺栓M8' });
  });

  it('changes the code, base unit and tracking while nothing has been recorded against the item', async () => {
    await item(db, co, { code: 'B-1', name: '胶带', unit: '个' });
    const renamed = await updateItem(db, co, 'B-1', { code: 'B-2', unit: '卷', tracking: 'batch', unitPrecision: 0, allowNegative: true });
    expect(renamed).toMatchObject({ code: 'B-2', unit: '卷', tracking: 'batch', allowNegative: true });
    expect((await refusal(getItem(db, co, 'B-1'))).code).toBe('NOT_FOUND');
  });

  it('refuses to change code, base unit, tracking or fewer decimals once stock has moved, naming each field and why, and changes nothing', async () => {
    await item(db, co, { code: 'C-1', name: '电缆', unit: 'm', unitPrecision: 2 });
    await receive('C-1', 10, 2);
    const before = await everything();
    const err = await refusal(updateItem(db, co, 'C-1', { code: 'C-9', unit: 'km', tracking: 'serial', unitPrecision: 0, allowNegative: true, name: '电缆（新）' }));
    expect(err.code).toBe('VALIDATION_FAILED');
    const issues = issuesOf(err);
    expect(issues.map((i) => i.path)).toEqual(['code', 'unit', 'tracking', 'unitPrecision', 'allowNegative']);
    expect(issues.find((i) => i.path === 'unit')?.message).toMatch(/cannot change from m.*ledger/);
    expect(issues.find((i) => i.path === 'tracking')?.message).toMatch(/cannot change from none.*ledger/);
    expect(await everything()).toEqual(before);
    // What does not rewrite history still can change.
    expect(await updateItem(db, co, 'C-1', { name: '电缆（新）', unitPrecision: 3 })).toMatchObject({ name: '电缆（新）', unit: 'm', unitPrecision: 3 });
  });

  it('takes a new reference cost without touching the moving-average valuation: the next issue still costs what the ledger says', async () => {
    await item(db, co, { code: 'D-1', name: '垫片', unitCost: '1' });
    await receive('D-1', 10, 2);
    await receive('D-1', 10, 4);
    const valuation = () => db.sql<{ qty: string; value: string }[]>`
      select v.qty::text, v.value::text from item_valuations v join items i on i.id = v.item_id where i.company_id = ${co.companyId} and i.code = 'D-1'`;
    const [before] = await valuation();
    expect((await updateItem(db, co, 'D-1', { unitCost: '9.5' })).unitCost).toBe('9.5');
    expect((await valuation())[0]).toEqual(before);
    const issued = await postMovement(db, co, { type: 'issue', warehouse: 'SH', lines: [{ item: 'D-1', qty: 5 }], idempotencyKey: idem('iss') });
    // (10 × 2 + 10 × 4) / 20 = 3 per unit, not the new reference cost.
    expect(issued.movements[0]).toMatchObject({ qty: '-5', unitCost: '3' });
  });

  it('lists every problem at once (barcode of another item, unknown supplier, taken code, a bad alternate unit) and changes nothing', async () => {
    await item(db, co, { code: 'E-1', name: '扎带', barcode: '6900000000001' });
    await item(db, co, { code: 'E-2', name: '扎带大' });
    const before = await everything();
    const err = await refusal(
      updateItem(db, co, 'E-2', { code: 'E-1', barcode: '6900000000001', defaultSupplier: 'NOPE', units: [{ unit: '个', factor: 10 }, { unit: '包', factor: 0 }], name: '改了也不算' }),
    );
    expect(issuesOf(err).map((i) => i.path).sort()).toEqual(['barcode', 'code', 'defaultSupplier', 'units[0].unit', 'units[1].factor']);
    expect(issuesOf(err).find((i) => i.path === 'barcode')?.message).toContain('E-1');
    expect(await everything()).toEqual(before);
  });

  it('keeps a barcode to one item: a new item with a taken barcode is refused, and of two created at once with the same barcode one wins', async () => {
    await item(db, co, { code: 'BC-1', name: '垫片', barcode: '6900000000101' });
    const err = await refusal(createItem(db, co, { code: 'BC-2', name: '垫片大', unit: '个', barcode: '6900000000101' }));
    expect(issuesOf(err)).toEqual([{ path: 'barcode', message: 'barcode 6900000000101 already belongs to item BC-1', zh: '条码 6900000000101 已属于物料 BC-1' }]);
    expect(await db.sql`select 1 from items where company_id = ${co.companyId} and code = 'BC-2'`).toHaveLength(0);
    // Another company may use the same barcode for its own item.
    await createItem(db, other, { code: 'BC-2', name: '垫片大', unit: '个', barcode: '6900000000101' });

    const racing = await Promise.allSettled(
      ['BC-3', 'BC-4', 'BC-5'].map((code) => createItem(db, co, { code, name: '弹簧垫', unit: '个', barcode: '6900000000202' })),
    );
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of racing) if (r.status === 'rejected') expect(issuesOf(r.reason as DomainError).map((i) => i.path)).toEqual(['barcode']);
    expect(await db.sql`select code from items where company_id = ${co.companyId} and barcode = '6900000000202'`).toHaveLength(1);
  });

  it('refuses a field it does not know, rather than ignoring a misspelling', async () => {
    const err = await refusal(updateItem(db, co, 'E-2', { safetystock: 5 }));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect((await refusal(updateItem(db, co, 'E-2', {}))).code).toBe('VALIDATION_FAILED');
  });

  it('deactivates an item: search and new postings no longer find it, its history stays readable; reactivating brings it back', async () => {
    await item(db, co, { code: 'F-1', name: '过期手套' });
    await receive('F-1', 3, 1);
    expect(await updateItem(db, co, 'F-1', { active: false })).toMatchObject({ code: 'F-1', active: false });
    expect(await searchItems(db, co, 'F-1')).toEqual([]);
    expect((await refusal(receive('F-1', 1, 1))).code).toBe('NOT_FOUND');
    expect((await getItem(db, co, 'F-1')).name).toBe('过期手套');
    await updateItem(db, co, 'F-1', { active: true });
    expect((await searchItems(db, co, 'F-1')).map((h) => h.code)).toEqual(['F-1']);
  });

  it("answers NOT_FOUND to another company's admin and changes nothing", async () => {
    const before = await everything();
    expect((await refusal(updateItem(db, other, 'A-1', { name: '别家改的' }))).code).toBe('NOT_FOUND');
    expect(await everything()).toEqual(before);
  });

  it('needs the master:write scope', async () => {
    const reader: Actor = { ...co, scopes: ['stock:read', 'stock:write'] };
    expect((await refusal(updateItem(db, reader, 'A-1', { name: 'x' }))).code).toBe('FORBIDDEN');
  });
});

describe('updateEmployee', () => {
  it('corrects name, department, manager, roles and warehouses; null scope means every warehouse', async () => {
    const updated = await updateEmployee(db, co, 'KEEP', { name: '王仓管', department: '仓储部', manager: 'DIR', roles: ['warehouse_keeper', 'qc'], warehouses: ['SZ', 'SH'] });
    expect(updated).toMatchObject({ name: '王仓管', department: '仓储部', manager: 'DIR', roles: ['warehouse_keeper', 'qc'], warehouses: ['SZ', 'SH'] });
    expect(await updateEmployee(db, co, 'KEEP', { warehouses: null, manager: 'WM', department: null })).toMatchObject({ warehouses: null, manager: 'WM', department: null });
  });

  it('refuses a manager who already reports to the employee, showing the chain, and changes nothing', async () => {
    const before = await everything();
    // KEEP → WM → DIR: DIR cannot report to KEEP.
    const loop = await refusal(updateEmployee(db, co, 'DIR', { manager: 'KEEP' }));
    expect(issuesOf(loop)).toEqual([{ path: 'manager', message: expect.stringContaining('KEEP → WM → DIR'), zh: expect.stringContaining('循环') }]);
    const self = await refusal(updateEmployee(db, co, 'WM', { manager: 'WM' }));
    expect(issuesOf(self)).toEqual([{ path: 'manager', message: expect.stringContaining('own manager'), zh: expect.stringContaining('自己的上级') }]);
    expect(await everything()).toEqual(before);
    expect((await getEmployee(db, co, 'DIR')).manager).toBeNull();
  });

  it('lists every unknown warehouse code and an unknown manager at once, and changes nothing', async () => {
    const before = await everything();
    const err = await refusal(updateEmployee(db, co, 'WM', { warehouses: ['SH', 'BJ', 'GZ'], manager: 'NOBODY', name: '不该改' }));
    const issues = issuesOf(err);
    expect(issues.map((i) => i.path).sort()).toEqual(['manager', 'warehouses[1]', 'warehouses[2]']);
    expect(issues.filter((i) => i.path.startsWith('warehouses')).map((i) => i.message)).toEqual(['no warehouse BJ', 'no warehouse GZ']);
    expect(await everything()).toEqual(before);
  });

  it('accepts only the roles the product knows, naming the one it does not', async () => {
    const before = await everything();
    const err = await refusal(updateEmployee(db, co, 'WM', { roles: ['finance', 'wizard'], name: '' }));
    expect(issuesOf(err).map((i) => i.path).sort()).toEqual(['name', 'roles[1]']);
    expect(issuesOf(err).find((i) => i.path === 'roles[1]')?.message).toContain('warehouse_keeper');
    expect(await everything()).toEqual(before);
    // A new employee too: a misspelt role would otherwise give nobody the permission meant.
    const created = await refusal(createEmployee(db, co, { code: 'NEWBIE', name: '新人', roles: ['warehouse_keeper', 'warehouse-keeper'] }));
    expect(issuesOf(created)).toEqual([{ path: 'roles[1]', message: expect.stringContaining('no role warehouse-keeper; allowed: '), zh: expect.stringContaining('角色 warehouse-keeper 不存在') }]);
    expect(await db.sql`select 1 from employees where company_id = ${co.companyId} and code = 'NEWBIE'`).toHaveLength(0);
  });

  it('deactivates an employee and keeps them readable; an admin cannot deactivate themself', async () => {
    await createEmployee(db, co, { code: 'GONE', name: '离职员工', roles: ['sales'], manager: 'DIR' });
    expect(await updateEmployee(db, co, 'GONE', { active: false })).toMatchObject({ code: 'GONE', active: false, manager: 'DIR', roles: ['sales'] });
    const [adm] = await db.sql<{ id: number }[]>`select id from employees where company_id = ${co.companyId} and code = 'ADM'`;
    const self: Actor = { ...co, employeeId: adm!.id };
    const before = await everything();
    const err = await refusal(updateEmployee(db, self, 'ADM', { active: false, roles: ['sales'] }));
    expect(issuesOf(err).map((i) => i.path)).toEqual(['active', 'roles']);
    expect(await everything()).toEqual(before);
    // A deactivated colleague is no manager to escalate to.
    expect(issuesOf(await refusal(updateEmployee(db, co, 'KEEP', { manager: 'GONE' })))[0]?.message).toContain('deactivated');
  });

  it("answers NOT_FOUND to another company's admin and changes nothing", async () => {
    const before = await everything();
    expect((await refusal(updateEmployee(db, other, 'KEEP', { active: false }))).code).toBe('NOT_FOUND');
    expect(await everything()).toEqual(before);
  });
});

describe('updateWarehouse and addLocations', () => {
  it('renames a warehouse and replaces its aliases and address', async () => {
    const updated = await updateWarehouse(db, co, 'SZ', { name: '苏州工业园仓', aliases: ['园区', 'SIP'], address: '苏州工业园区星湖街 1 号' });
    expect(updated).toMatchObject({ code: 'SZ', name: '苏州工业园仓', aliases: ['园区', 'SIP'], address: '苏州工业园区星湖街 1 号', active: true });
  });

  it('refuses a name or alias another warehouse answers to, so that chat still knows which is meant', async () => {
    const before = await everything();
    const err = await refusal(updateWarehouse(db, co, 'SZ', { name: '上海仓', aliases: ['ok', '上海'] }));
    expect(issuesOf(err).map((i) => i.path)).toEqual(['name', 'aliases[1]']);
    expect(await everything()).toEqual(before);
  });

  it('adds locations; refuses codes the warehouse has (DEFAULT included) or that are given twice, every one named, adding none', async () => {
    const added = await addLocations(db, co, 'SH', { locations: [{ code: 'B-01', name: 'B区01' }, { code: 'B-02', name: 'B区02' }] });
    expect(added.locations.map((l) => l.code)).toEqual(['DEFAULT', 'TRANSIT', 'A-01', 'B-01', 'B-02']);
    const before = await everything();
    const err = await refusal(
      addLocations(db, co, 'SH', { locations: [{ code: 'C-01', name: 'C区' }, { code: 'A-01', name: '重复' }, { code: 'DEFAULT', name: '重复' }, { code: 'C-01', name: '又一个' }] }),
    );
    expect(issuesOf(err).map((i) => i.path)).toEqual(['locations[1].code', 'locations[2].code', 'locations[3].code']);
    expect(await everything()).toEqual(before);
    // The same code in another warehouse is a different location.
    expect((await addLocations(db, co, 'SZ', { locations: [{ code: 'B-01', name: 'B区01' }] })).locations.map((l) => l.code)).toContain('B-01');
  });

  it('refuses to deactivate a warehouse that holds stock; an empty one is retired and comes back', async () => {
    await item(db, co, { code: 'G-1', name: '纸箱' });
    await receive('G-1', 5, 1, 'SH');
    const before = await everything();
    const err = await refusal(updateWarehouse(db, co, 'SH', { active: false }));
    expect(issuesOf(err)).toEqual([{ path: 'active', message: expect.stringContaining('stock'), zh: expect.stringContaining('库存') }]);
    expect(await everything()).toEqual(before);

    expect(await updateWarehouse(db, co, 'SZ', { active: false })).toMatchObject({ code: 'SZ', active: false });
    expect((await listWarehouses(db, co)).map((w) => w.code)).toEqual(['SH']);
    expect((await listWarehouses(db, co, { includeInactive: true })).map((w) => w.code)).toEqual(['SH', 'SZ']);
    expect((await refusal(receive('G-1', 1, 1, 'SZ'))).code).toBe('NOT_FOUND');
    await updateWarehouse(db, co, 'SZ', { active: true });
    expect((await getWarehouse(db, co, 'SZ')).active).toBe(true);
  });

  it("answers NOT_FOUND to another company's admin for a warehouse only this company has, and changes nothing", async () => {
    await updateWarehouse(db, co, 'SZ', { name: '苏州仓' });
    await createWarehouse(db, co, { code: 'HZ', name: '杭州仓' });
    const before = await everything();
    expect((await refusal(updateWarehouse(db, other, 'HZ', { name: '别家改的' }))).code).toBe('NOT_FOUND');
    expect((await refusal(addLocations(db, other, 'HZ', { locations: [{ code: 'X', name: 'X' }] }))).code).toBe('NOT_FOUND');
    expect(await everything()).toEqual(before);
  });
});

describe('the integration API', () => {
  it('corrects master data over PATCH, answers 400 with every problem and 403 without master:write, and describes it in the OpenAPI document', async () => {
    const app = createApp({ db, reservations: new ReservationService(db), gateway: NO_TEMPORAL, version: 'test' });
    const writer = (await createApiToken(db, { companyId: co.companyId, name: 'erp', scopes: ['stock:read', 'master:write'] })).token;
    const reader = (await createApiToken(db, { companyId: co.companyId, name: 'bi', scopes: ['stock:read'] })).token;
    const call = async (method: string, path: string, json: unknown, token = writer) => {
      const res = await app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
      // biome-ignore lint: tests read any JSON shape
      return { status: res.status, body: (await res.json()) as any };
    };
    expect(await call('PATCH', '/api/v1/items/A-1', { safetyStock: 12 })).toMatchObject({ status: 200, body: { code: 'A-1', safetyStock: '12' } });
    const bad = await call('PATCH', '/api/v1/items/C-1', { unit: 'km', safetyStock: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['safetyStock']);
    const history = await call('PATCH', '/api/v1/items/C-1', { unit: 'km' });
    expect(history).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', details: { issues: [{ path: 'unit' }] } } } });
    expect((await call('PATCH', '/api/v1/items/A-1', { safetyStock: 99 }, reader)).status).toBe(403);
    expect((await getItem(db, co, 'A-1')).safetyStock).toBe('12');

    expect(await call('PATCH', '/api/v1/employees/WM', { department: '仓储部' })).toMatchObject({ status: 200, body: { code: 'WM', department: '仓储部' } });
    expect(await call('PATCH', '/api/v1/warehouses/HZ', { aliases: ['杭州'] })).toMatchObject({ status: 200, body: { code: 'HZ', aliases: ['杭州'] } });
    expect(await call('POST', '/api/v1/warehouses/HZ/locations', { locations: [{ code: 'H-01', name: 'H区01' }] })).toMatchObject({ status: 201 });
    expect((await call('POST', '/api/v1/warehouses/HZ/locations', { locations: [{ code: 'H-01', name: '又一个' }] })).status).toBe(400);
    expect((await call('PATCH', '/api/v1/warehouses/HZ', { active: false })).status).toBe(200);
    const list = async (query: string) =>
      ((await (await app.request(`/api/v1/warehouses${query}`, { headers: { authorization: `Bearer ${writer}` } })).json()) as { warehouses: { code: string; active: boolean }[] }).warehouses;
    expect((await list('')).map((w) => w.code)).not.toContain('HZ');
    expect((await list('?all=true')).find((w) => w.code === 'HZ')).toMatchObject({ active: false });

    const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: object }> } };
    expect(Object.keys(doc.paths['/api/v1/items/{code}']!)).toContain('patch');
    expect(Object.keys(doc.paths['/api/v1/employees/{code}']!)).toContain('patch');
    expect(Object.keys(doc.paths['/api/v1/warehouses/{code}']!)).toContain('patch');
    expect(Object.keys(doc.paths['/api/v1/warehouses/{code}/locations']!)).toContain('post');
    expect(Object.keys(doc.components.schemas.ItemUpdate!.properties ?? {})).toEqual(expect.arrayContaining(['safetyStock', 'unitCost', 'active']));
  });
});
