import type { WarehouseInfo } from '../../bot/core/lexicon.ts';
import { NotFoundError, RoleRequiredError, WarehouseOutOfScopeError } from '../../inventory/errors.ts';
import type { Person } from '../../inventory/people.ts';
import type { Role } from '../../inventory/roles.ts';
import type { MiniDeps } from './context.ts';

/** Warehouses the employee may see and act on, in code order. */
export function visibleWarehouses(deps: Pick<MiniDeps, 'warehouses'>, user: Person): Promise<WarehouseInfo[]> {
  return deps.warehouses.visible(user.companyId, user.warehouseScope);
}

/**
 * The warehouse by code, if the employee may act on it. Out of scope is
 * refused as such (not "not found"): the employee knows the warehouse exists.
 */
export async function warehouseInScope(deps: Pick<MiniDeps, 'warehouses'>, user: Person, code: string): Promise<WarehouseInfo> {
  const all = await deps.warehouses.list(user.companyId);
  const w = all.find((x) => x.code === code);
  if (!w) throw new NotFoundError('warehouse', code);
  if (user.warehouseScope !== null && !user.warehouseScope.includes(w.id)) throw new WarehouseOutOfScopeError(code);
  return w;
}

export function requireRole(user: Person, roles: readonly Role[]): void {
  if (!user.roles.some((r) => r === 'admin' || roles.includes(r))) throw new RoleRequiredError(roles);
}
