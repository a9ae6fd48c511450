import type { z } from 'zod';
import type { employeeInputSchema } from '../../inventory/master/employees.ts';
import type { partnerInputSchema } from '../../inventory/master/partners.ts';
import type { warehouseInputSchema } from '../../inventory/master/warehouses.ts';
import { mulberry32, seedOf } from './prng.ts';

/**
 * The demo company as a Chinese SME would set it up: a Shanghai head office
 * with its main warehouse, a Suzhou plant warehouse and a Shenzhen sales
 * warehouse close to the electronics market. Pure data; the item catalogue
 * lives in demo-catalogue.ts.
 */
export const DEMO_COMPANY = { code: 'DEMO', name: '示例科技（上海）有限公司', timezone: 'Asia/Shanghai' } as const;

export const SH = 'SH';
export const SZ = 'SZ';
export const SZN = 'SZN';
export type WarehouseCode = typeof SH | typeof SZ | typeof SZN;
export const WAREHOUSE_CODES: readonly WarehouseCode[] = [SH, SZ, SZN];

export const CATEGORIES = {
  fasteners: '紧固件',
  electronics: '电子元件',
  packaging: '包装材料',
  chemicals: '化工辅料',
} as const;
export type CategoryKey = keyof typeof CATEGORIES;

type WarehouseRaw = z.input<typeof warehouseInputSchema>;

/** Storage locations (库位): A = racks, B = floor stacking, C = the chemicals cabinet. */
const A01 = 'A-01';
const A02 = 'A-02';
const B01 = 'B-01';
const C01 = 'C-01';

export const DEMO_WAREHOUSES: readonly (WarehouseRaw & { code: WarehouseCode })[] = [
  {
    code: SH,
    name: '上海仓',
    aliases: ['上海', '沪'],
    address: '上海市闵行区莘庄工业区春东路 508 号 3 号库',
    locations: [
      { code: A01, name: 'A区01 五金货架' },
      { code: A02, name: 'A区02 电子料架' },
      { code: B01, name: 'B区01 包材堆放区' },
      { code: C01, name: 'C区01 化学品柜' },
    ],
  },
  {
    code: SZ,
    name: '苏州仓',
    aliases: ['苏州'],
    address: '江苏省苏州市工业园区星龙街 428 号',
    locations: [
      { code: A01, name: 'A区01 五金货架' },
      { code: A02, name: 'A区02 电子料架' },
      { code: B01, name: 'B区01 包材及辅料' },
    ],
  },
  {
    code: SZN,
    name: '深圳仓',
    aliases: ['深圳', '深'],
    address: '广东省深圳市宝安区福永街道凤凰第四工业区 12 栋',
    locations: [
      { code: A01, name: 'A区01 电子料架' },
      { code: B01, name: 'B区01 综合区' },
    ],
  },
];

/** Where each category is shelved in each warehouse (its home location). */
export const HOME_LOCATION: Record<WarehouseCode, Record<CategoryKey, string>> = {
  SH: { fasteners: A01, electronics: A02, packaging: B01, chemicals: C01 },
  SZ: { fasteners: A01, electronics: A02, packaging: B01, chemicals: B01 },
  SZN: { fasteners: B01, electronics: A01, packaging: B01, chemicals: B01 },
};

type PartnerRaw = z.input<typeof partnerInputSchema>;

/** Suppliers, each serving one category (the item's default supplier). */
export const DEMO_SUPPLIERS: readonly (PartnerRaw & { category: CategoryKey; leadTimeDays: number })[] = [
  { code: 'S001', name: '上海申标紧固件有限公司', contact: '陈国华', phone: '021-5488-1236', category: 'fasteners', leadTimeDays: 3 },
  { code: 'S002', name: '宁波永固五金制品有限公司', contact: '林海峰', phone: '0574-8765-2210', category: 'fasteners', leadTimeDays: 7 },
  { code: 'S003', name: '深圳市华芯源电子有限公司', contact: '黄晓敏', phone: '0755-8326-5519', category: 'electronics', leadTimeDays: 5 },
  { code: 'S004', name: '苏州立诚电子元器件有限公司', contact: '顾建平', phone: '0512-6652-3081', category: 'electronics', leadTimeDays: 10 },
  { code: 'S005', name: '昆山合力包装材料有限公司', contact: '沈丽娟', phone: '0512-5771-6620', category: 'packaging', leadTimeDays: 3 },
  { code: 'S006', name: '东莞市顺达纸品有限公司', contact: '何志强', phone: '0769-8551-2347', category: 'packaging', leadTimeDays: 4 },
  { code: 'S007', name: '上海恒润化工科技有限公司', contact: '钱文斌', phone: '021-6791-4458', category: 'chemicals', leadTimeDays: 7 },
  { code: 'S008', name: '广州市洁明工业清洗剂有限公司', contact: '梁嘉欣', phone: '020-3422-8105', category: 'chemicals', leadTimeDays: 12 },
];

export const DEMO_CUSTOMERS: readonly PartnerRaw[] = [
  { code: 'C001', name: '上海精工自动化设备有限公司', contact: '周明', phone: '021-3452-7781' },
  { code: 'C002', name: '苏州博远智能科技有限公司', contact: '徐静', phone: '0512-6280-4416' },
  { code: 'C003', name: '杭州云帆机电设备有限公司', contact: '郑涛', phone: '0571-8691-2203' },
  { code: 'C004', name: '深圳市星辰电子科技有限公司', contact: '李晓东', phone: '0755-2671-9034' },
  { code: 'C005', name: '无锡恒信机械制造有限公司', contact: '蒋伟', phone: '0510-8522-6148' },
  { code: 'C006', name: '南京华泰电气成套有限公司', contact: '孙燕', phone: '025-5218-3390' },
  { code: 'C007', name: '东莞市联诚精密模具有限公司', contact: '钟志勇', phone: '0769-2266-5173' },
  { code: 'C008', name: '合肥新锐新能源科技有限公司', contact: '王蕾', phone: '0551-6358-2207' },
];

export const ROLES = {
  admin: 'admin',
  director: 'director',
  warehouseManager: 'warehouse_manager',
  warehouseKeeper: 'warehouse_keeper',
  purchaser: 'purchaser',
  sales: 'sales',
  finance: 'finance',
  qc: 'qc',
} as const;

const DEPARTMENTS = {
  office: '总经办',
  warehouse: '仓储部',
  purchasing: '采购部',
  sales: '销售部',
  finance: '财务部',
  quality: '质检部',
} as const;

type EmployeeRaw = z.input<typeof employeeInputSchema>;

interface Person {
  code: string;
  name: string;
  /** Family name and given name in pinyin: the platform ids are derived from them. */
  pinyin: readonly [string, string];
  department: string;
  roles: string[];
  manager?: string;
  warehouses?: WarehouseCode[];
}

/** Managers come before their reports: createEmployee resolves the manager by code. */
const PEOPLE: readonly Person[] = [
  { code: 'E001', name: '张伟', pinyin: ['Zhang', 'Wei'], department: DEPARTMENTS.office, roles: [ROLES.director] },
  { code: 'E002', name: '孙丽', pinyin: ['Sun', 'Li'], department: DEPARTMENTS.office, roles: [ROLES.admin], manager: 'E001' },
  { code: 'E003', name: '李娜', pinyin: ['Li', 'Na'], department: DEPARTMENTS.warehouse, roles: [ROLES.warehouseManager], manager: 'E001', warehouses: [SH, SZ] },
  { code: 'E004', name: '陈静', pinyin: ['Chen', 'Jing'], department: DEPARTMENTS.warehouse, roles: [ROLES.warehouseManager], manager: 'E001', warehouses: [SZN] },
  { code: 'E005', name: '王强', pinyin: ['Wang', 'Qiang'], department: DEPARTMENTS.warehouse, roles: [ROLES.warehouseKeeper], manager: 'E003', warehouses: [SH] },
  { code: 'E006', name: '刘洋', pinyin: ['Liu', 'Yang'], department: DEPARTMENTS.warehouse, roles: [ROLES.warehouseKeeper], manager: 'E003', warehouses: [SH] },
  { code: 'E007', name: '赵磊', pinyin: ['Zhao', 'Lei'], department: DEPARTMENTS.warehouse, roles: [ROLES.warehouseKeeper], manager: 'E003', warehouses: [SZ] },
  { code: 'E008', name: '黄敏', pinyin: ['Huang', 'Min'], department: DEPARTMENTS.warehouse, roles: [ROLES.warehouseKeeper], manager: 'E004', warehouses: [SZN] },
  { code: 'E009', name: '杨帆', pinyin: ['Yang', 'Fan'], department: DEPARTMENTS.purchasing, roles: [ROLES.purchaser], manager: 'E001' },
  { code: 'E010', name: '周婷', pinyin: ['Zhou', 'Ting'], department: DEPARTMENTS.sales, roles: [ROLES.sales], manager: 'E001' },
  { code: 'E011', name: '吴刚', pinyin: ['Wu', 'Gang'], department: DEPARTMENTS.sales, roles: [ROLES.sales], manager: 'E010', warehouses: [SZN] },
  { code: 'E012', name: '郑芳', pinyin: ['Zheng', 'Fang'], department: DEPARTMENTS.finance, roles: [ROLES.finance], manager: 'E001' },
  { code: 'E013', name: '徐明', pinyin: ['Xu', 'Ming'], department: DEPARTMENTS.quality, roles: [ROLES.qc], manager: 'E001' },
];

/** Feishu open ids look like ou_ + 32 hex digits; these are fixed per employee code. */
function feishuOpenId(code: string): string {
  const rng = mulberry32(seedOf(`feishu:${code}`));
  let hex = '';
  while (hex.length < 32) hex += rng.int(0, 15).toString(16);
  return `ou_${hex}`;
}

export const DEMO_EMPLOYEES: readonly EmployeeRaw[] = PEOPLE.map((p) => ({
  code: p.code,
  name: p.name,
  department: p.department,
  roles: p.roles,
  ...(p.manager ? { manager: p.manager } : {}),
  ...(p.warehouses ? { warehouses: p.warehouses } : {}),
  dingtalkUserId: `ding_${p.pinyin.join('').toLowerCase()}`,
  feishuOpenId: feishuOpenId(p.code),
  wecomUserId: p.pinyin.join(''),
}));
