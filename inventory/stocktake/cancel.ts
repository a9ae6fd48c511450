import type { Database } from '../../db/client.ts';
import type { Person } from '../people.ts';
import { parseInput } from '../validate.ts';
import { requireCounter, requireWarehouse, StocktakeClosedError } from './access.ts';
import { cancelStocktakeSchema } from './input.ts';
import { loadHeader, type StocktakeHeader } from './sheet.ts';

/** Abandons a count while it is being counted; cancelling twice answers the same. A submitted count is the request's now. */
export async function cancelStocktake(db: Database, user: Person, id: number, raw: unknown): Promise<StocktakeHeader> {
  requireCounter(user);
  const input = parseInput(cancelStocktakeSchema, raw ?? {});
  await db.sql.begin(async (tx) => {
    const h = await loadHeader(tx, user.companyId, id, 'update');
    requireWarehouse(user, { id: h.warehouseId, code: h.warehouseCode });
    if (h.status === 'cancelled') return;
    if (h.status !== 'counting') throw new StocktakeClosedError(h.stocktakeNo, h.status, 'cancelled');
    const note = input.reason ? (h.note ? `${h.note}\n取消：${input.reason}` : `取消：${input.reason}`) : h.note;
    await tx`
      update stocktakes set status = 'cancelled', cancelled_by = ${user.employeeId}, cancelled_at = now(), note = ${note}, updated_at = now()
      where id = ${id} and status = 'counting'`;
  });
  return loadHeader(db.sql, user.companyId, id);
}
