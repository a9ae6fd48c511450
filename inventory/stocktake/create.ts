import type { Database } from '../../db/client.ts';
import { IdempotencyConflictError, NotFoundError } from '../errors.ts';
import { loadWarehouses } from '../lookup.ts';
import type { Person } from '../people.ts';
import { IssueList, parseInput } from '../validate.ts';
import { requireCounter, requireWarehouse } from './access.ts';
import { createStocktakeSchema } from './input.ts';
import { loadHeader, type StocktakeHeader } from './sheet.ts';

/**
 * Opens a count: numbers it PD-YYYYMMDD-NNN (per company and day, in the
 * company's time zone) and snapshots the book — every storage slot (item ×
 * location × batch) in scope with stock ≠ 0 — as the lines to count. Transit
 * locations are left out: goods on the road are not on a shelf to count.
 */
export async function createStocktake(db: Database, user: Person, raw: unknown): Promise<StocktakeHeader> {
  requireCounter(user);
  const input = parseInput(createStocktakeSchema, raw);
  const wh = (await loadWarehouses(db.sql, user.companyId, [input.warehouse])).get(input.warehouse);
  if (!wh) throw new NotFoundError('warehouse', input.warehouse);
  requireWarehouse(user, wh);

  const issues = new IssueList();
  const locationIds = input.locations?.flatMap((code, i) => {
    const id = wh.locations.get(code);
    if (id === undefined) issues.add(`locations[${i}]`, `no storage location ${code} in warehouse ${wh.code}`, `仓库 ${wh.code} 没有库位 ${code}`);
    return id === undefined ? [] : [id];
  });
  if (input.category !== undefined) {
    const [hit] = await db.sql`select 1 from items where company_id = ${user.companyId} and category = ${input.category} and active limit 1`;
    if (!hit) issues.add('category', `no active item has category ${input.category}`, `没有分类为 ${input.category} 的在用物料`);
  }
  issues.throwIfAny();

  if (input.idempotencyKey !== undefined) {
    const again = await existing(db, user, input.idempotencyKey, wh.id);
    if (again) return again;
  }
  let id: number;
  try {
    id = await db.sql.begin(async (tx) => {
      // One numbering per company and day: concurrent creates wait here instead of colliding on the number.
      await tx`select pg_advisory_xact_lock(hashtextextended(${`stocktake-no:${user.companyId}`}, 0))`;
      const [row] = await tx<{ id: number }[]>`
        with day as (select 'PD-' || to_char(now() at time zone ${user.timezone}, 'YYYYMMDD') || '-' as prefix),
             n as (select count(*) + 1 as n from stocktakes, day where company_id = ${user.companyId} and stocktake_no like day.prefix || '%')
        insert into stocktakes (company_id, stocktake_no, warehouse_id, location_ids, category, blind, note, idempotency_key, created_by)
        select ${user.companyId}, day.prefix || case when n.n < 1000 then lpad(n.n::text, 3, '0') else n.n::text end,
               ${wh.id}, ${locationIds ?? null}::bigint[], ${input.category ?? null}, ${input.blind ?? false}, ${input.note ?? null},
               ${input.idempotencyKey ?? null}, ${user.employeeId}
        from day, n
        returning id`;
      if (!row) throw new Error('stocktake insert returned nothing');
      await tx`
        insert into stocktake_lines (company_id, stocktake_id, line_no, item_id, location_id, batch_id, book_qty)
        select ${user.companyId}, ${row.id}, row_number() over (order by l.code, i.code, bt.batch_no nulls first), b.item_id, b.location_id, b.batch_id, b.on_hand
        from stock_balances b
        join locations l on l.id = b.location_id and l.kind = 'storage'
        join items i on i.id = b.item_id
        left join batches bt on bt.id = b.batch_id
        where b.warehouse_id = ${wh.id} and b.on_hand <> 0
          and (${locationIds ?? null}::bigint[] is null or b.location_id = any(${locationIds ?? null}::bigint[]))
          and (${input.category ?? null}::text is null or i.category = ${input.category ?? null})`;
      return row.id;
    });
  } catch (err) {
    const again = (err as { code?: string }).code === '23505' && input.idempotencyKey !== undefined ? await existing(db, user, input.idempotencyKey, wh.id) : null;
    if (again) return again;
    throw err;
  }
  return loadHeader(db.sql, user.companyId, id);
}

async function existing(db: Database, user: Person, key: string, warehouseId: number): Promise<StocktakeHeader | null> {
  const [row] = await db.sql<{ id: number; warehouse_id: number }[]>`
    select id, warehouse_id from stocktakes where company_id = ${user.companyId} and idempotency_key = ${key}`;
  if (!row) return null;
  if (row.warehouse_id !== warehouseId) throw new IdempotencyConflictError(key);
  return loadHeader(db.sql, user.companyId, row.id);
}
