import type { TransactionSql } from 'postgres';
import type { Sql } from '../../db/client.ts';
import { parseMicro, type Micro } from '../decimal.ts';
import { NotFoundError } from '../errors.ts';
import { batchRef, resolveEntry, slotKey, tally, type CountContext, type CountEntry, type ItemRef, type Resolution } from './count-entries.ts';
import { varianceLines, varianceTotals, type BookLine, type VarianceLine, type VarianceTotals } from './variance.ts';

/** The pool or an open transaction: the verbs read the sheet inside the transaction that locks the stocktake. */
export type Queryable = Sql | TransactionSql;

export interface StocktakeHeader {
  id: number;
  stocktakeNo: string;
  warehouseId: number;
  warehouseCode: string;
  warehouseName: string;
  locationIds: number[] | null;
  locationCodes: string[] | null;
  category: string | null;
  blind: boolean;
  note: string | null;
  status: 'counting' | 'submitted' | 'cancelled';
  submission: unknown;
  requestId: number | null;
  requestNo: string | null;
  requestStatus: string | null;
  createdBy: string;
  snapshotAt: string;
  submittedAt: string | null;
  cancelledAt: string | null;
}

interface HeaderRow {
  id: number;
  stocktake_no: string;
  warehouse_id: number;
  warehouse_code: string;
  warehouse_name: string;
  location_ids: (number | string)[] | null;
  location_codes: string[] | null;
  category: string | null;
  blind: boolean;
  note: string | null;
  status: StocktakeHeader['status'];
  submission: unknown;
  request_id: number | null;
  request_no: string | null;
  request_status: string | null;
  created_by: string;
  snapshot_at: string;
  submitted_at: string | null;
  cancelled_at: string | null;
}

const HEADER_SELECT = `
  select s.id, s.stocktake_no, s.warehouse_id, w.code as warehouse_code, w.name as warehouse_name, s.location_ids, s.category, s.blind,
         s.note, s.status, s.submission, s.request_id, r.request_no, r.status as request_status, e.code as created_by,
         s.snapshot_at::text, s.submitted_at::text, s.cancelled_at::text,
         (select array_agg(l.code order by l.code) from locations l where l.id = any(s.location_ids)) as location_codes
  from stocktakes s join warehouses w on w.id = s.warehouse_id join employees e on e.id = s.created_by
  left join requests r on r.id = s.request_id`;

export const toHeader = (r: HeaderRow): StocktakeHeader => ({
  id: r.id,
  stocktakeNo: r.stocktake_no,
  warehouseId: r.warehouse_id,
  warehouseCode: r.warehouse_code,
  warehouseName: r.warehouse_name,
  locationIds: r.location_ids?.map(Number) ?? null,
  locationCodes: r.location_codes,
  category: r.category,
  blind: r.blind,
  note: r.note,
  status: r.status,
  submission: r.submission,
  requestId: r.request_id,
  requestNo: r.request_no,
  requestStatus: r.request_status,
  createdBy: r.created_by,
  snapshotAt: r.snapshot_at,
  submittedAt: r.submitted_at,
  cancelledAt: r.cancelled_at,
});

/** The stocktake's header; `lock` takes the row lock counts (share) and submit/cancel (update) serialise on. */
export async function loadHeader(sql: Queryable, companyId: number, id: number, lock: 'share' | 'update' | null = null): Promise<StocktakeHeader> {
  const suffix = lock === null ? '' : ` for ${lock} of s`;
  const [row] = await sql.unsafe<HeaderRow[]>(`${HEADER_SELECT} where s.company_id = $1 and s.id = $2${suffix}`, [companyId, id]);
  if (!row) throw new NotFoundError('document', `stocktake ${id}`);
  return toHeader(row);
}

/** Headers of the company's stocktakes in these warehouses (null = all), newest first. */
export async function listHeaders(sql: Sql, companyId: number, warehouseIds: readonly number[] | null, status: string | null): Promise<StocktakeHeader[]> {
  const rows = await sql.unsafe<HeaderRow[]>(
    `${HEADER_SELECT} where s.company_id = $1 and ($2::bigint[] is null or s.warehouse_id = any($2::bigint[])) and ($3::text is null or s.status = $3)
     order by s.id desc limit 200`,
    [companyId, warehouseIds === null ? null : [...warehouseIds], status] as never[],
  );
  return rows.map(toHeader);
}

export interface SheetItem {
  id: number;
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'batch' | 'serial';
}

export interface SheetEntry extends CountEntry {
  countedBy: string;
  countedAt: string;
  resolution: Resolution;
}

export interface Sheet {
  lines: VarianceLine[];
  totals: VarianceTotals;
  entries: SheetEntry[];
  /** Entries that could not be placed, by index into `entries`. */
  entryProblems: { index: number; field: string; message: string; zh: string }[];
  items: Map<number, SheetItem>;
  unitCost: Map<number, Micro>;
  locationCodes: Map<number, string>;
  batches: Map<number, { batchNo: string; expiryDate: string | null }>;
}

const micro = (v: string | null): Micro => (v === null ? 0n : (parseMicro(v) ?? 0n));

/**
 * Everything the sheet shows, read in a handful of queries and computed by the
 * pure functions: entries are resolved against master data as it is now, so a
 * barcode scanned before its item existed counts once the item is created.
 */
export async function loadSheet(sql: Queryable, companyId: number, h: StocktakeHeader, opts: { uncountedAsZero?: boolean } = {}): Promise<Sheet> {
  const [bookRows, entryRows, locRows] = await Promise.all([
    sql<{ line_no: number; item_id: number; location_id: number; batch_id: number | null; book_qty: string }[]>`
      select line_no, item_id, location_id, batch_id, book_qty::text from stocktake_lines where stocktake_id = ${h.id} order by line_no`,
    sql<{ entry_id: string; item: string; location: string | null; batch: string | null; qty: string; mode: 'add' | 'set'; voided: boolean; counted_by: string; counted_at: string }[]>`
      select e.entry_id, e.item, e.location, e.batch, e.qty::text, e.mode, e.voided_at is not null as voided, p.code as counted_by, e.counted_at::text
      from stocktake_entries e join employees p on p.id = e.counted_by where e.stocktake_id = ${h.id} order by e.id`,
    sql<{ id: number; code: string; kind: string; is_default: boolean }[]>`select id, code, kind, is_default from locations where warehouse_id = ${h.warehouseId}`,
  ]);

  const texts = [...new Set(entryRows.map((e) => e.item))];
  const itemRefs = texts.length === 0 ? [] : await sql<(ItemRef & { barcode: string | null })[]>`
    select id, code, barcode, tracking from items where company_id = ${companyId} and active and (code = any(${texts}) or barcode = any(${texts}))`;
  const batchTexts = [...new Set(entryRows.flatMap((e) => (e.batch === null ? [] : [e.batch])))];
  const batchRows = batchTexts.length === 0 || itemRefs.length === 0 ? [] : await sql<{ id: number; item_id: number; batch_no: string }[]>`
    select id, item_id, batch_no from batches where company_id = ${companyId} and batch_no = any(${batchTexts}) and item_id = any(${itemRefs.map((i) => i.id)}::bigint[])`;

  const book: BookLine[] = bookRows.map((r) => ({ lineNo: r.line_no, itemId: r.item_id, locationId: r.location_id, batchId: r.batch_id, book: micro(r.book_qty) }));
  const bookedAt = new Map<number, number[]>();
  for (const b of book) bookedAt.set(b.itemId, [...(bookedAt.get(b.itemId) ?? []), b.locationId]);
  const byBarcode = new Map<string, ItemRef[]>();
  for (const i of itemRefs) if (i.barcode) byBarcode.set(i.barcode, [...(byBarcode.get(i.barcode) ?? []), i]);
  const storage = locRows.filter((l) => l.kind === 'storage');
  const ctx: CountContext = {
    itemsByCode: new Map(itemRefs.map((i) => [i.code, i])),
    itemsByBarcode: byBarcode,
    locations: new Map(storage.map((l) => [l.code, l.id])),
    locationCodes: new Map(locRows.map((l) => [l.id, l.code])),
    defaultLocationId: storage.find((l) => l.is_default)?.id ?? storage[0]?.id ?? 0,
    scope: h.locationIds,
    batches: new Map(batchRows.map((b) => [batchRef(b.item_id, b.batch_no), b.id])),
    bookedAt,
  };
  const entries: SheetEntry[] = entryRows.map((r) => {
    const entry: CountEntry = { entryId: r.entry_id, item: r.item, location: r.location, batch: r.batch, qty: micro(r.qty), mode: r.mode, voided: r.voided };
    return { ...entry, countedBy: r.counted_by, countedAt: r.counted_at, resolution: resolveEntry(entry, ctx) };
  });
  const entryProblems = entries.flatMap((e, index) => (e.voided || e.resolution.ok ? [] : e.resolution.problems.map((p) => ({ index, ...p }))));
  const counted = tally(entries.map((e) => ({ entry: e, resolution: e.resolution })));

  const itemIds = [...new Set([...book.map((b) => b.itemId), ...[...counted.values()].map((c) => c.slot.itemId)])];
  const [itemRows, balanceRows] = await Promise.all([
    itemIds.length === 0 ? [] : sql<{ id: number; code: string; name: string; spec: string | null; unit: string; unit_precision: number; tracking: SheetItem['tracking']; unit_cost: string }[]>`
      -- Valued as the ledger values an adjustment: the moving average, the reference cost while there is no stock to average.
      select i.id, i.code, i.name, i.spec, i.unit, i.unit_precision, i.tracking,
             (case when v.qty > 0 then round(v.value / v.qty, 6) else i.unit_cost end)::text as unit_cost
      from items i left join item_valuations v on v.item_id = i.id where i.id = any(${itemIds}::bigint[])`,
    itemIds.length === 0 ? [] : sql<{ item_id: number; location_id: number; batch_id: number | null; on_hand: string }[]>`
      select item_id, location_id, batch_id, on_hand::text from stock_balances where warehouse_id = ${h.warehouseId} and item_id = any(${itemIds}::bigint[])`,
  ]);
  const unitCost = new Map(itemRows.map((r) => [r.id, micro(r.unit_cost)]));
  const bookNow = new Map(balanceRows.map((r) => [slotKey({ itemId: r.item_id, locationId: r.location_id, batchId: r.batch_id }), micro(r.on_hand)]));
  const lines = varianceLines(book, counted, unitCost, bookNow, opts);

  const batchIds = [...new Set(lines.flatMap((l) => (l.batchId === null ? [] : [l.batchId])))];
  const batchInfo = batchIds.length === 0 ? [] : await sql<{ id: number; batch_no: string; expiry_date: string | null }[]>`
    select id, batch_no, expiry_date::text from batches where id = any(${batchIds}::bigint[])`;
  return {
    lines,
    totals: varianceTotals(lines),
    entries,
    entryProblems,
    items: new Map(itemRows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, spec: r.spec, unit: r.unit, unitPrecision: r.unit_precision, tracking: r.tracking }])),
    unitCost,
    locationCodes: ctx.locationCodes as Map<number, string>,
    batches: new Map(batchInfo.map((b) => [b.id, { batchNo: b.batch_no, expiryDate: b.expiry_date }])),
  };
}
