import type { Database, Sql } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import type { MovementInput } from '../movement-input.ts';
import { postMovement } from '../post-movement.ts';
import { chunks } from './codes.ts';
import type { Progress } from './kind.ts';
import type { OpeningStockFacts, OpeningStockRow, StockItemFacts } from './opening-stock-rows.ts';

/** postMovement takes at most this many lines per document. */
const LINES_PER_DOCUMENT = 1000;

const json = (v: Iterable<string>) => JSON.stringify([...new Set(v)]);

/** Loads what checkOpeningStock needs. */
export async function openingStockFacts(sql: Sql, companyId: number, scope: readonly number[] | null, rows: readonly OpeningStockRow[]): Promise<OpeningStockFacts> {
  const [whRows, itemRows, batchRows, serialRows] = await Promise.all([
    sql<{ id: number; code: string; locations: string[] }[]>`
      select w.id, w.code, coalesce(array_agg(l.code) filter (where l.kind = 'storage'), '{}') as locations
      from warehouses w left join locations l on l.warehouse_id = w.id
      where w.company_id = ${companyId} and w.active and w.code in (select jsonb_array_elements_text(${json(rows.map((r) => r.warehouse))}::jsonb))
      group by w.id, w.code`,
    sql<{ code: string; unit: string; unit_precision: number; tracking: StockItemFacts['tracking']; units: string[] }[]>`
      select i.code, i.unit, i.unit_precision, i.tracking, coalesce(array_agg(u.unit) filter (where u.unit is not null), '{}') as units
      from items i left join item_units u on u.item_id = i.id
      where i.company_id = ${companyId} and i.code in (select jsonb_array_elements_text(${json(rows.map((r) => r.item))}::jsonb))
      group by i.id`,
    sql<{ key: string; expiry: string }[]>`
      select i.code || '|' || b.batch_no as key, coalesce(b.expiry_date::text, '') as expiry
      from batches b join items i on i.id = b.item_id
      where b.company_id = ${companyId}
        and i.code || '|' || b.batch_no in (select jsonb_array_elements_text(${json(rows.flatMap((r) => (r.batch ? [`${r.item}|${r.batch}`] : [])))}::jsonb))`,
    sql<{ key: string }[]>`
      select i.code || '|' || s.serial_no as key
      from serials s join items i on i.id = s.item_id
      where s.company_id = ${companyId} and s.status = 'in_stock'
        and i.code || '|' || s.serial_no in (select jsonb_array_elements_text(${json(rows.flatMap((r) => (r.serials ?? []).map((s) => `${r.item}|${s}`)))}::jsonb))`,
  ]);
  return {
    warehouses: new Map(whRows.map((w) => [w.code, { id: w.id, locations: new Set(w.locations) }])),
    items: new Map(itemRows.map((i) => [i.code, { unit: i.unit, unitPrecision: i.unit_precision, tracking: i.tracking, units: new Set(i.units) }])),
    batches: new Map(batchRows.map((b) => [b.key, b.expiry])),
    serialsInStock: new Set(serialRows.map((s) => s.key)),
    scope,
  };
}

/** Receipts to post: per warehouse, documents of at most LINES_PER_DOCUMENT lines. Pure. */
export function openingReceipts(rows: readonly OpeningStockRow[], key: string): MovementInput[] {
  const byWarehouse = new Map<string, OpeningStockRow[]>();
  for (const r of rows) {
    const list = byWarehouse.get(r.warehouse) ?? [];
    list.push(r);
    byWarehouse.set(r.warehouse, list);
  }
  return [...byWarehouse].flatMap(([warehouse, list]) =>
    chunks(list, LINES_PER_DOCUMENT).map((lines, n) => ({
      type: 'receipt' as const,
      reason: 'opening',
      warehouse,
      reference: `import ${key}`.slice(0, 128),
      lines: lines.map(({ warehouse: _w, ...l }) => l),
      idempotencyKey: `import:${key}:${warehouse}:${n}`,
    })),
  );
}

/**
 * Posts the opening stock through postMovement, the one way stock is posted
 * (ledger rows, balances, batches, valuation), every document inside ONE
 * transaction: a refusal of any line leaves nothing posted.
 */
export async function writeOpeningStock(db: Database, actor: Actor, rows: readonly OpeningStockRow[], progress: Progress, key: string): Promise<void> {
  const receipts = openingReceipts(rows, key);
  await db.sql.begin(async (tx) => {
    const inTx: Database = { ...db, sql: tx as unknown as Sql };
    let done = 0;
    for (const receipt of receipts) {
      await postMovement(inTx, actor, receipt);
      done += receipt.lines.length;
      progress(done);
    }
  });
}
