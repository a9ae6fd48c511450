import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { approvalCompany } from './support/approvals.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses } from './support/fixtures.ts';
import { miniappHarness } from './support/miniapp.ts';

/*
 * The mini-app's admin area on a real database: only an admin (and, for
 * items, a warehouse manager or purchaser) gets in, every form is checked by
 * the domain's own schema with all problems listed and nothing saved, and an
 * admin of another company sees none of it.
 */
let db: Database;
let companyId: number;
let otherCompanyId: number;
let mini: ReturnType<typeof miniappHarness>;
type Call = Awaited<ReturnType<ReturnType<typeof miniappHarness>['as']>>;
const as: Record<string, Call> = {};
// biome-ignore lint: tests read any JSON shape
const body = async (res: Response) => (await res.json()) as any;

beforeAll(async () => {
  db = await freshDatabase();
  const co = await approvalCompany(db);
  companyId = co.admin.companyId;
  await createEmployee(db, co.admin, { code: 'ADM', name: '系统管理员', roles: ['admin'] });
  await createEmployee(db, co.admin, { code: 'BUY', name: '采购员', roles: ['purchaser'], manager: 'DIR' });
  const other = await companyWithWarehouses(db);
  otherCompanyId = other.companyId;
  await createEmployee(db, other, { code: 'ADM2', name: '别家管理员', roles: ['admin'] });
  mini = miniappHarness(db);
  for (const code of ['ADM', 'KEEP', 'WM', 'BUY', 'DIR']) as[code] = await mini.as(companyId, code);
  as.OTHER = await mini.as(otherCompanyId, 'ADM2');
});

const count = async (table: 'warehouses' | 'employees' | 'approval_policies' | 'items') =>
  Number((await db.sql<{ n: string }[]>`select count(*)::text as n from ${db.sql(table)} where company_id = ${companyId}`)[0]!.n);

describe('who may enter the admin area', () => {
  it.each([
    ['GET', '/admin/warehouses', undefined],
    ['POST', '/admin/warehouses', { code: 'BJ', name: '北京仓' }],
    ['GET', '/admin/employees', undefined],
    ['POST', '/admin/employees', { code: 'X1', name: '某人' }],
    ['PUT', '/admin/employees/KEEP/identities', { feishuOpenId: 'ou_x' }],
    ['PATCH', '/admin/employees/KEEP', { active: false }],
    ['PATCH', '/admin/warehouses/SH', { name: '改名仓' }],
    ['POST', '/admin/warehouses/SH/locations', { locations: [{ code: 'Z-01', name: 'Z区' }] }],
    ['GET', '/admin/policies', undefined],
    ['POST', '/admin/policies', { requestType: 'outbound', name: 'x', steps: [{ name: 's', mode: 'any', approvers: [{ kind: 'manager' }] }] }],
    ['GET', '/admin/alert-rules', undefined],
    ['PUT', '/admin/alert-rules', { staleDays: 30 }],
    ['GET', '/admin/subscriptions', undefined],
  ])('refuses a keeper and a warehouse manager: %s %s', async (method, path, json) => {
    const before = await Promise.all([count('warehouses'), count('employees'), count('approval_policies')]);
    for (const who of ['KEEP', 'WM', 'DIR']) {
      const res = await as[who]!(path, { method, ...(json ? { json } : {}) });
      expect(res.status, `${who} ${method} ${path}`).toBe(403);
      expect((await body(res)).error.code).toBe('ROLE_REQUIRED');
    }
    expect(await Promise.all([count('warehouses'), count('employees'), count('approval_policies')])).toEqual(before);
    expect((await as.ADM!(path.replace('/KEEP/identities', '/KEEP'), method === 'GET' ? {} : { method: 'GET' })).status).not.toBe(403);
  });

  it('lets a purchaser and a warehouse manager create items, but not a keeper', async () => {
    const keeper = await as.KEEP!('/admin/items', { method: 'POST', json: { code: 'K-1', name: '仓管建的', unit: '个' } });
    expect(keeper.status).toBe(403);
    const bought = await as.BUY!('/admin/items', { method: 'POST', json: { code: 'P-1', name: '包装箱', unit: '个', units: [{ unit: '捆', factor: 20 }] } });
    expect(bought.status).toBe(201);
    expect(await body(bought)).toMatchObject({ code: 'P-1', name: '包装箱', units: [{ unit: '捆', factor: '20' }] });
    expect((await as.WM!('/admin/items', { method: 'POST', json: { code: 'W-1', name: '托盘', unit: '个' } })).status).toBe(201);
    const listed = await body(await as.WM!('/admin/items?q=包装'));
    expect(listed.items).toEqual([{ code: 'P-1', name: '包装箱', spec: null, unit: '个', category: null, active: true }]);
    expect((await body(await as.BUY!('/admin/items/P-1'))).units).toEqual([{ unit: '捆', factor: '20' }]);
  });
});

describe('an admin sets up the company', () => {
  it('creates a warehouse with its locations, and sees it listed with the default and transit ones', async () => {
    const res = await as.ADM!('/admin/warehouses', {
      method: 'POST',
      json: { code: 'BJ', name: '北京仓', aliases: ['北京'], locations: [{ code: 'A-01', name: 'A区01' }, { code: 'B-02', name: 'B区02' }] },
    });
    expect(res.status).toBe(201);
    const list = await body(await as.ADM!('/admin/warehouses'));
    const bj = list.warehouses.find((w: { code: string }) => w.code === 'BJ');
    expect(bj).toMatchObject({ name: '北京仓', aliases: ['北京'] });
    expect(bj.locations.map((l: { code: string }) => l.code)).toEqual(['DEFAULT', 'TRANSIT', 'A-01', 'B-02']);
    const again = await as.ADM!('/admin/warehouses', { method: 'POST', json: { code: 'BJ', name: '另一个' } });
    expect(again.status).toBe(409);
  });

  it('refuses a warehouse form with every problem at once and saves nothing', async () => {
    const before = await count('warehouses');
    const res = await as.ADM!('/admin/warehouses', { method: 'POST', json: { code: 'has space', name: '', locations: [{ code: '', name: 'x' }] } });
    expect(res.status).toBe(400);
    const paths = (await body(res)).error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['code', 'name', 'locations[0].code']));
    expect(await count('warehouses')).toBe(before);
  });

  it('creates an employee with platform bindings, then rebinds Feishu and unbinds DingTalk', async () => {
    const res = await as.ADM!('/admin/employees', {
      method: 'POST',
      json: { code: 'E100', name: '新仓管', department: '仓储部', manager: 'WM', roles: ['warehouse_keeper'], warehouses: ['BJ'], dingtalkUserId: 'dt-e100', wecomUserId: 'wx-e100' },
    });
    expect(res.status).toBe(201);
    expect(await body(res)).toMatchObject({ code: 'E100', manager: 'WM', warehouses: ['BJ'], dingtalkUserId: 'dt-e100', wecomUserId: 'wx-e100', feishuOpenId: null });
    const bound = await as.ADM!('/admin/employees/E100/identities', { method: 'PUT', json: { feishuOpenId: 'ou_e100', feishuUnionId: 'on_e100', dingtalkUserId: null } });
    expect(bound.status).toBe(200);
    expect(await body(bound)).toMatchObject({ feishuOpenId: 'ou_e100', feishuUnionId: 'on_e100', dingtalkUserId: null, wecomUserId: 'wx-e100' });
    const list = await body(await as.ADM!('/admin/employees?q=E100'));
    expect(list.employees).toEqual([expect.objectContaining({ code: 'E100', name: '新仓管', bound: ['feishu', 'wecom'] })]);
  });

  it('refuses an identity already bound to someone else, naming it, and changes nothing', async () => {
    const res = await as.ADM!('/admin/employees/KEEP/identities', { method: 'PUT', json: { feishuOpenId: 'ou_e100' } });
    expect(res.status).toBe(409);
    expect((await body(res)).error.message).toContain('ou_e100');
    expect((await body(await as.ADM!('/admin/employees/KEEP'))).feishuOpenId).toBeNull();
  });

  it('refuses an employee form with every problem at once and saves nothing', async () => {
    const before = await count('employees');
    const res = await as.ADM!('/admin/employees', { method: 'POST', json: { code: '', name: '', feishuOpenId: '' } });
    expect(res.status).toBe(400);
    const paths = (await body(res)).error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['code', 'name', 'feishuOpenId']));
    expect(await count('employees')).toBe(before);
  });

  it('refuses a policy naming an unknown role, listing where, and saves nothing', async () => {
    const before = await count('approval_policies');
    const res = await as.ADM!('/admin/policies', {
      method: 'POST',
      json: {
        requestType: 'purchase',
        name: '采购审批',
        steps: [
          { name: '主管', mode: 'maybe', approvers: [{ kind: 'manager' }], remindAfter: 'soon' },
          { name: '财务', mode: 'all', approvers: [{ kind: 'role', role: 'chief_wizard' }] },
        ],
      },
    });
    expect(res.status).toBe(400);
    const issues = (await body(res)).error.details.issues as { path: string }[];
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['steps[0].mode', 'steps[0].remindAfter', 'steps[1].approvers[0].role']));
    expect(await count('approval_policies')).toBe(before);
  });

  it('refuses a policy whose role nobody holds or whose employee does not exist', async () => {
    const res = await as.ADM!('/admin/policies', {
      method: 'POST',
      json: { requestType: 'purchase', name: '采购审批', steps: [{ name: '质检', mode: 'any', approvers: [{ kind: 'role', role: 'qc' }, { kind: 'employee', employee: 'NOBODY' }] }] },
    });
    expect(res.status).toBe(400);
    expect((await body(res)).error.details.issues.map((i: { path: string }) => i.path)).toEqual(['steps[0].approvers[0]', 'steps[0].approvers[1]']);
    expect(await count('approval_policies')).toBe(0);
  });

  it('saves a valid policy as version 1, then version 2, and lists only the newest', async () => {
    const policy = (amountAbove: string) => ({
      requestType: 'purchase',
      name: '采购审批',
      steps: [
        { name: '主管', mode: 'any', approvers: [{ kind: 'manager' }] },
        { name: '财务', mode: 'sequential', approvers: [{ kind: 'role', role: 'finance' }, { kind: 'employee', employee: 'DIR' }], when: { amountAbove }, remindAfter: '2h', escalateAfter: '1d', escalateTo: { kind: 'manager' } },
      ],
    });
    const v1 = await as.ADM!('/admin/policies', { method: 'POST', json: policy('5000') });
    expect(v1.status).toBe(201);
    expect((await body(v1)).version).toBe(1);
    const v2 = await body(await as.ADM!('/admin/policies', { method: 'POST', json: policy('8000') }));
    expect(v2.version).toBe(2);
    const list = (await body(await as.ADM!('/admin/policies'))).policies;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ requestType: 'purchase', version: 2, name: '采购审批' });
    expect(list[0].steps[1]).toMatchObject({ mode: 'sequential', when: { amountAbove: '8000' }, escalateTo: { kind: 'manager' } });
  });

  it('saves alert thresholds for the company and an item, refusing a rule for both a category and an item', async () => {
    expect((await as.ADM!('/admin/alert-rules', { method: 'PUT', json: { staleDays: 90, expiryDays: 30 } })).status).toBe(200);
    expect((await as.ADM!('/admin/alert-rules', { method: 'PUT', json: { item: 'P-1', expiryDays: 7 } })).status).toBe(200);
    const both = await as.ADM!('/admin/alert-rules', { method: 'PUT', json: { item: 'P-1', category: '包材', staleDays: 0 } });
    expect(both.status).toBe(400);
    expect((await body(both)).error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['item', 'staleDays']));
    const rules = (await body(await as.ADM!('/admin/alert-rules'))).rules;
    expect(rules).toEqual([
      expect.objectContaining({ category: null, item: null, staleDays: 90, expiryDays: 30 }),
      expect.objectContaining({ item: 'P-1', expiryDays: 7, staleDays: null }),
    ]);
  });

  it('sets a group’s digest time and language, and deletes the subscription', async () => {
    const created = await body(await as.ADM!('/admin/subscriptions', { method: 'POST', json: { platform: 'feishu', chatId: 'oc_ops', chatName: '仓储群', topic: 'digest' } }));
    expect(created).toMatchObject({ chatName: '仓储群', sendAt: '08:30', lang: 'zh' });
    const moved = await body(await as.ADM!('/admin/subscriptions', { method: 'POST', json: { platform: 'feishu', chatId: 'oc_ops', topic: 'digest', sendAt: '17:45', lang: 'en' } }));
    expect(moved).toMatchObject({ id: created.id, chatName: '仓储群', sendAt: '17:45', lang: 'en' });
    const bad = await as.ADM!('/admin/subscriptions', { method: 'POST', json: { platform: 'feishu', chatId: 'oc_ops', topic: 'digest', sendAt: '25:00', lang: 'fr' } });
    expect((await body(bad)).error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['sendAt', 'lang']));
    expect((await body(await as.ADM!('/admin/subscriptions'))).subscriptions).toHaveLength(1);
    expect((await as.ADM!(`/admin/subscriptions/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await body(await as.ADM!('/admin/subscriptions'))).subscriptions).toEqual([]);
  });
});

describe('correcting master data', () => {
  const row = async (table: 'items' | 'employees' | 'warehouses', code: string) =>
    (await db.sql`select * from ${db.sql(table)} where company_id = ${companyId} and code = ${code}`)[0];

  it('lets a purchaser correct an item but not people or warehouses, and refuses a keeper the item', async () => {
    const item = await row('items', 'P-1');
    const keeper = await as.KEEP!('/admin/items/P-1', { method: 'PATCH', json: { safetyStock: '5' } });
    expect(keeper.status).toBe(403);
    expect(await row('items', 'P-1')).toEqual(item);

    const bought = await as.BUY!('/admin/items/P-1', { method: 'PATCH', json: { name: '包装箱（大）', safetyStock: '40', units: [{ unit: '捆', factor: '25' }] } });
    expect(bought.status).toBe(200);
    expect(await body(bought)).toMatchObject({ code: 'P-1', name: '包装箱（大）', safetyStock: '40', unit: '个', units: [{ unit: '捆', factor: '25' }] });

    const [keep, sh] = [await row('employees', 'KEEP'), await row('warehouses', 'SH')];
    for (const [method, path, json] of [
      ['PATCH', '/admin/employees/KEEP', { active: false }],
      ['PATCH', '/admin/warehouses/SH', { name: '采购改的' }],
      ['POST', '/admin/warehouses/SH/locations', { locations: [{ code: 'P-01', name: '采购加的' }] }],
    ] as const) {
      const res = await as.BUY!(path, { method, json });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await body(res)).error.code).toBe('ROLE_REQUIRED');
    }
    expect([await row('employees', 'KEEP'), await row('warehouses', 'SH')]).toEqual([keep, sh]);
    expect((await body(await as.ADM!('/admin/warehouses'))).warehouses.find((w: { code: string }) => w.code === 'SH').locations.map((l: { code: string }) => l.code)).not.toContain('P-01');
  });

  it('refuses an item edit with every problem at once and changes nothing', async () => {
    const item = await row('items', 'P-1');
    const res = await as.WM!('/admin/items/P-1', { method: 'PATCH', json: { safetyStock: 'abc', tracking: 'lots', unitPrecision: 9 } });
    expect(res.status).toBe(400);
    expect((await body(res)).error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['safetyStock', 'tracking', 'unitPrecision']);
    expect(await row('items', 'P-1')).toEqual(item);
  });

  it('an admin deactivates an employee: their open session is refused from the next call; reactivated, it works again', async () => {
    expect((await as.ADM!('/admin/employees', { method: 'POST', json: { code: 'E200', name: '临时工', roles: ['sales'] } })).status).toBe(201);
    const temp = await mini.as(companyId, 'E200');
    expect((await temp('/me')).status).toBe(200);
    const off = await as.ADM!('/admin/employees/E200', { method: 'PATCH', json: { active: false, department: '销售部' } });
    expect(off.status).toBe(200);
    expect(await body(off)).toMatchObject({ code: 'E200', active: false, department: '销售部', roles: ['sales'] });
    expect((await temp('/me')).status).toBe(401);
    expect((await body(await as.ADM!('/admin/employees?q=E200'))).employees).toEqual([expect.objectContaining({ code: 'E200', active: false })]);
    await as.ADM!('/admin/employees/E200', { method: 'PATCH', json: { active: true } });
    expect((await temp('/me')).status).toBe(200);
  });

  it('refuses a manager loop and unknown warehouse codes, listing each, and changes nothing', async () => {
    const dir = await row('employees', 'DIR');
    const res = await as.ADM!('/admin/employees/DIR', { method: 'PATCH', json: { manager: 'KEEP', warehouses: ['SH', 'NOPE', 'ALSO-NOPE'] } });
    expect(res.status).toBe(400);
    const issues = (await body(res)).error.details.issues as { path: string; message: string }[];
    expect(issues.map((i) => i.path)).toEqual(['manager', 'warehouses[1]', 'warehouses[2]']);
    expect(issues[0]!.message).toContain('KEEP → WM → DIR');
    expect(await row('employees', 'DIR')).toEqual(dir);
  });

  it('renames a warehouse and adds a location, and the app sees the new name at once', async () => {
    expect((await body(await as.KEEP!('/me'))).destinations).toContainEqual({ code: 'BJ', name: '北京仓' });
    const renamed = await as.ADM!('/admin/warehouses/BJ', { method: 'PATCH', json: { name: '北京一号仓', aliases: ['北京', '京一'] } });
    expect(renamed.status).toBe(200);
    expect((await body(await as.KEEP!('/me'))).destinations).toContainEqual({ code: 'BJ', name: '北京一号仓' });

    const dup = await as.ADM!('/admin/warehouses/BJ/locations', { method: 'POST', json: { locations: [{ code: 'C-03', name: 'C区03' }, { code: 'A-01', name: '重名' }] } });
    expect(dup.status).toBe(400);
    expect((await body(dup)).error.details.issues.map((i: { path: string }) => i.path)).toEqual(['locations[1].code']);
    const added = await as.ADM!('/admin/warehouses/BJ/locations', { method: 'POST', json: { locations: [{ code: 'C-03', name: 'C区03' }] } });
    expect(added.status).toBe(201);
    expect((await body(added)).locations.map((l: { code: string }) => l.code)).toEqual(['DEFAULT', 'TRANSIT', 'A-01', 'B-02', 'C-03']);

    // Retired, it leaves the app's choices at once but stays on the admin's list to be brought back.
    expect((await as.ADM!('/admin/warehouses/BJ', { method: 'PATCH', json: { active: false } })).status).toBe(200);
    expect((await body(await as.KEEP!('/me'))).destinations.map((w: { code: string }) => w.code)).not.toContain('BJ');
    expect((await body(await as.ADM!('/admin/warehouses'))).warehouses.find((w: { code: string }) => w.code === 'BJ')).toMatchObject({ active: false });
    expect((await as.ADM!('/admin/warehouses/BJ', { method: 'PATCH', json: { active: true } })).status).toBe(200);
  });
});

describe('another company', () => {
  it('its admin sees none of this company’s warehouses, people, policies, rules or groups, and cannot touch them', async () => {
    await as.ADM!('/admin/subscriptions', { method: 'POST', json: { platform: 'feishu', chatId: 'oc_keep', topic: 'alerts' } });
    const [sub] = (await body(await as.ADM!('/admin/subscriptions'))).subscriptions;
    const other = as.OTHER!;
    expect((await body(await other('/admin/warehouses'))).warehouses.map((w: { code: string }) => w.code)).toEqual(['SH', 'SZ']);
    expect((await body(await other('/admin/employees'))).employees.map((e: { code: string }) => e.code)).toEqual(['ADM2']);
    expect((await body(await other('/admin/items'))).items).toEqual([]);
    expect((await body(await other('/admin/policies'))).policies).toEqual([]);
    expect((await body(await other('/admin/alert-rules'))).rules).toEqual([]);
    expect((await body(await other('/admin/subscriptions'))).subscriptions).toEqual([]);
    expect((await other('/admin/employees/E100')).status).toBe(404);
    expect((await other('/admin/employees/E100/identities', { method: 'PUT', json: { feishuOpenId: 'ou_hijack' } })).status).toBe(404);
    expect((await other(`/admin/subscriptions/${sub.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await other('/admin/items/P-1', { method: 'PATCH', json: { name: '别家改的' } })).status).toBe(404);
    expect((await other('/admin/employees/E100', { method: 'PATCH', json: { active: false } })).status).toBe(404);
    expect((await other('/admin/warehouses/BJ', { method: 'PATCH', json: { name: '别家改的' } })).status).toBe(404);
    expect((await other('/admin/warehouses/BJ/locations', { method: 'POST', json: { locations: [{ code: 'X', name: 'X' }] } })).status).toBe(404);
    expect((await body(await as.ADM!('/admin/items/P-1'))).name).toBe('包装箱（大）');
    expect((await body(await as.ADM!('/admin/employees/E100'))).active).toBe(true);
    expect((await body(await as.ADM!('/admin/subscriptions'))).subscriptions).toHaveLength(1);
    expect((await body(await as.ADM!('/admin/employees/E100'))).feishuOpenId).toBe('ou_e100');
  });
});
