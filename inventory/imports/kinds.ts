import type { EmployeeInput } from '../master/employees.ts';
import type { ItemInput } from '../master/items.ts';
import { writeEmployees, employeeFacts } from './employee-writer.ts';
import { checkEmployees, EMPLOYEE_COLUMNS, parseEmployeeRow } from './employee-rows.ts';
import { checkItems, ITEM_COLUMNS, parseItemRow } from './item-rows.ts';
import { itemFacts, writeItems } from './item-writer.ts';
import type { ImportKind, ImportKindName } from './kind.ts';
import { openingStockFacts, writeOpeningStock } from './opening-stock-writer.ts';
import { checkOpeningStock, OPENING_STOCK_COLUMNS, parseOpeningStockRow, type OpeningStockRow } from './opening-stock-rows.ts';

const values = <T>(rows: readonly { value: T }[]) => rows.map((r) => r.value);

export const itemsImport: ImportKind<ItemInput> = {
  name: 'items',
  columns: ITEM_COLUMNS,
  sheet: { 'zh-CN': '物料', en: 'Items' },
  roles: ['warehouse_manager', 'purchaser'],
  parseRow: parseItemRow,
  check: async (db, user, rows, locale) => checkItems(rows, await itemFacts(db.sql, user.companyId, values(rows)), locale),
  write: (db, actor, rows, progress) => writeItems(db, actor, rows, progress),
};

export const openingStockImport: ImportKind<OpeningStockRow> = {
  name: 'opening-stock',
  columns: OPENING_STOCK_COLUMNS,
  sheet: { 'zh-CN': '期初库存', en: 'Opening stock' },
  roles: ['warehouse_manager'],
  parseRow: parseOpeningStockRow,
  check: async (db, user, rows, locale) =>
    checkOpeningStock(rows, await openingStockFacts(db.sql, user.companyId, user.warehouseScope, values(rows)), locale),
  write: writeOpeningStock,
};

export const employeesImport: ImportKind<EmployeeInput> = {
  name: 'employees',
  columns: EMPLOYEE_COLUMNS,
  sheet: { 'zh-CN': '员工', en: 'Employees' },
  roles: ['admin'],
  parseRow: parseEmployeeRow,
  check: async (db, user, rows, locale) => checkEmployees(rows, await employeeFacts(db.sql, user.companyId, values(rows)), locale),
  write: (db, actor, rows, progress) => writeEmployees(db, actor, rows, progress),
};

// The registry holds kinds of different row types; each kind's rows only ever meet its own functions.
export const IMPORTS: Record<ImportKindName, ImportKind<unknown>> = {
  items: itemsImport as ImportKind<unknown>,
  'opening-stock': openingStockImport as ImportKind<unknown>,
  employees: employeesImport as ImportKind<unknown>,
};
