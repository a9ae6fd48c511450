import { DomainError, RoleRequiredError, WarehouseOutOfScopeError } from '../errors.ts';
import type { Person } from '../people.ts';
import type { Role } from '../roles.ts';

/** Who runs counts: they create, count, submit and cancel. */
export const COUNTER_ROLES: readonly Role[] = ['warehouse_keeper', 'warehouse_manager', 'admin'];
/** Who sees book quantities of a blind count while it is being counted. */
export const BLIND_EXEMPT_ROLES: readonly Role[] = ['warehouse_manager', 'admin'];

export function requireCounter(p: Person): void {
  if (!p.roles.some((r) => COUNTER_ROLES.includes(r))) throw new RoleRequiredError(COUNTER_ROLES);
}

export function requireWarehouse(p: Person, warehouse: { id: number; code: string }): void {
  if (p.warehouseScope !== null && !p.warehouseScope.includes(warehouse.id)) throw new WarehouseOutOfScopeError(warehouse.code);
}

/**
 * A blind count hides the book from the counters so that they count what is
 * there rather than confirm a number; once submitted the variance is the
 * point, and everyone who may see the stocktake sees it.
 */
export function seesBook(p: Person, st: { blind: boolean; status: string }): boolean {
  return !st.blind || st.status !== 'counting' || p.roles.some((r) => BLIND_EXEMPT_ROLES.includes(r));
}

const STATUS_ZH: Record<string, string> = { submitted: '已提交', cancelled: '已取消', counting: '盘点中' };
const ACTION_ZH: Record<string, string> = { counted: '录入盘点数', submitted: '提交', cancelled: '取消' };

/** The stocktake is no longer being counted (submitted or cancelled). */
export class StocktakeClosedError extends DomainError {
  constructor(stocktakeNo: string, status: string, action: 'counted' | 'submitted' | 'cancelled') {
    super(
      'STOCKTAKE_CLOSED',
      { stocktakeNo, status, statusZh: STATUS_ZH[status] ?? status, action, actionZh: ACTION_ZH[action] },
      { stocktakeNo, status },
    );
  }
}
