import { describe, expect, it } from 'vitest';
import { cellText, splitList } from './cells.ts';
import { matchHeaders } from './columns.ts';
import { checkEmployees } from './employee-rows.ts';
import { checkItems, ITEM_COLUMNS, parseItemRow, parseUnits } from './item-rows.ts';
import { checkOpeningStock, parseOpeningStockRow, type OpeningStockFacts } from './opening-stock-rows.ts';

describe('cellText', () => {
  it.each([
    [null, ''],
    ['  M6 ', 'M6'],
    [12, '12'],
    [0.1 + 0.2, '0.3'],
    [new Date(Date.UTC(2030, 0, 31)), '2030-01-31'],
    [{ richText: [{ text: '螺' }, { text: '丝' }] }, '螺丝'],
    [{ formula: 'A1*2', result: 24 }, '24'],
    [{ text: 'link', hyperlink: 'http://x' }, 'link'],
  ])('%j → %j', (value, text) => expect(cellText(value)).toBe(text));

  it('splits lists on either width of comma, semicolon and 、', () => {
    expect(splitList('SH, SZ，BJ;GZ、WH')).toEqual(['SH', 'SZ', 'BJ', 'GZ', 'WH']);
  });
});

describe('matchHeaders', () => {
  it('reads Chinese, English and template-marked headers, and says which required ones are missing', () => {
    const m = matchHeaders(ITEM_COLUMNS, ['编码*', 'Name', '', 'Shelf Life (days)', '备注']);
    expect(m.keys).toEqual(['code', 'name', null, 'shelfLifeDays', null]);
    expect(m.written.get('name')).toBe('Name');
    expect(m.missing.map((c) => c.key)).toEqual(['unit']);
    expect(m.unknown).toEqual(['备注']);
  });
});

describe('item rows', () => {
  const cells = (over: Record<string, string>) => ({ code: 'A-1', name: '螺丝', unit: '个', ...over });

  it('turns words into the item input: tracking, yes/no, alternate units', () => {
    expect(parseItemRow(cells({ tracking: '批次', allowNegative: '是', units: '箱=24, 盒=6', leadTimeDays: '7' }), 'zh-CN')).toEqual({
      value: { code: 'A-1', name: '螺丝', unit: '个', tracking: 'batch', allowNegative: true, leadTimeDays: 7, units: [{ unit: '箱', factor: '24' }, { unit: '盒', factor: '6' }] },
    });
  });

  it('names the column of each problem, in the user language', () => {
    const r = parseItemRow(cells({ unit: '', safetyStock: '-1', tracking: 'lot' }), 'zh-CN');
    expect('problems' in r && r.problems.map((p) => [p.key, p.message])).toEqual([
      ['unit', '必填'],
      ['tracking', expect.stringContaining('无效')],
      ['safetyStock', '应为 ≥ 0 的数字，最多 6 位小数'],
    ]);
    expect(parseUnits('箱 24')).toBeNull();
    expect(parseItemRow(cells({ units: '个=2' }), 'en')).toEqual({ problems: [{ key: 'units', message: expect.stringContaining('differ from the base unit') }] });
  });

  it('flags codes repeated in the file or taken already, and unknown suppliers', () => {
    const rows = [
      { row: 2, value: { code: 'A', name: 'a', unit: '个' } },
      { row: 3, value: { code: 'A', name: 'b', unit: '个' } },
      { row: 4, value: { code: 'OLD', name: 'c', unit: '个', defaultSupplier: 'S9' } },
    ];
    expect(checkItems(rows, { existingCodes: new Set(['OLD']), suppliers: new Set(), barcodeOwners: new Map() }, 'en')).toEqual([
      { row: 3, key: 'code', message: 'A repeats row 2' },
      { row: 4, key: 'code', message: 'OLD already exists' },
      { row: 4, key: 'defaultSupplier', message: 'no supplier S9' },
    ]);
  });

  it('flags a barcode repeated in the file or carried by another item already', () => {
    const rows = [
      { row: 2, value: { code: 'A', name: 'a', unit: '个', barcode: '6901' } },
      { row: 3, value: { code: 'B', name: 'b', unit: '个', barcode: '6901' } },
      { row: 4, value: { code: 'C', name: 'c', unit: '个', barcode: '6902' } },
      { row: 5, value: { code: 'D', name: 'd', unit: '个' } },
    ];
    expect(checkItems(rows, { existingCodes: new Set(), suppliers: new Set(), barcodeOwners: new Map([['6902', 'OLD']]) }, 'zh-CN')).toEqual([
      { row: 3, key: 'barcode', message: '6901 与第 2 行重复' },
      { row: 4, key: 'barcode', message: '条码 6902 已属于物料 OLD' },
    ]);
  });
});

describe('opening stock rows', () => {
  const facts: OpeningStockFacts = {
    warehouses: new Map([['SH', { id: 1, locations: new Set(['DEFAULT', 'A-01']) }], ['SZ', { id: 2, locations: new Set(['DEFAULT']) }]]),
    items: new Map([
      ['KG', { unit: 'kg', unitPrecision: 3, tracking: 'none' as const, units: new Set(['袋']) }],
      ['LOT', { unit: '个', unitPrecision: 0, tracking: 'batch' as const, units: new Set<string>() }],
      ['SN', { unit: '台', unitPrecision: 0, tracking: 'serial' as const, units: new Set<string>() }],
    ]),
    batches: new Map([['LOT|B1', '2030-01-31']]),
    serialsInStock: new Set(['SN|X1']),
    scope: [1],
  };
  const row = (n: number, cells: Record<string, string>) => {
    const r = parseOpeningStockRow(cells, 'en');
    if (!('value' in r)) throw new Error(JSON.stringify(r));
    return { row: n, value: r.value };
  };
  const problems = (...rows: ReturnType<typeof row>[]) => checkOpeningStock(rows, facts, 'en').map((p) => [p.row, p.key]);

  it('accepts what a receipt accepts', () => {
    expect(problems(row(2, { warehouse: 'SH', item: 'KG', qty: '1.255', location: 'A-01' }), row(3, { warehouse: 'SH', item: 'LOT', qty: '5', batch: 'B1' }), row(4, { warehouse: 'SH', item: 'SN', qty: '2', serials: 'X2, X3' }))).toEqual([]);
  });

  it('refuses out-of-scope warehouses, unknown locations, precision, batches and serials that do not fit', () => {
    expect(
      problems(
        row(2, { warehouse: 'SZ', item: 'KG', qty: '1' }),
        row(3, { warehouse: 'SH', item: 'KG', qty: '1', location: 'B-9' }),
        row(4, { warehouse: 'SH', item: 'KG', qty: '1.2345' }),
        row(5, { warehouse: 'SH', item: 'LOT', qty: '1' }),
        row(6, { warehouse: 'SH', item: 'LOT', qty: '1', batch: 'B1', expiryDate: '2031-01-01' }),
        row(7, { warehouse: 'SH', item: 'SN', qty: '2', serials: 'X1, X4' }),
        row(8, { warehouse: 'SH', item: 'KG', qty: '1', unit: '箱' }),
      ),
    ).toEqual([[2, 'warehouse'], [3, 'location'], [4, 'qty'], [5, 'batch'], [6, 'expiryDate'], [7, 'serials'], [8, 'unit']]);
  });
});

describe('employee rows', () => {
  it('lets a manager be a row of the same file, refuses unknown roles and taken identities', () => {
    const none = new Set<string>();
    const facts = { existingCodes: new Set(['BOSS']), warehouses: new Set(['SH']), takenIds: { dingtalkUserId: new Set(['dt-9']), feishuOpenId: none, feishuUnionId: none, wecomUserId: none, wechatyId: none } };
    const rows = [
      { row: 2, value: { code: 'A', name: 'a', manager: 'BOSS' } },
      { row: 3, value: { code: 'B', name: 'b', manager: 'A', roles: ['admin', 'king'], warehouses: ['SH', 'BJ'], dingtalkUserId: 'dt-9' } },
      { row: 4, value: { code: 'C', name: 'c', manager: 'C' } },
    ];
    expect(checkEmployees(rows, facts, 'en').map((p) => [p.row, p.key])).toEqual([[3, 'roles'], [3, 'warehouses'], [3, 'dingtalkUserId'], [4, 'manager']]);
  });
});
