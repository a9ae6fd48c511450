import type { Sql } from '../db/client.ts';
import type { StockSlot } from './allocation.ts';
import { parseMicro, type Micro } from './decimal.ts';

/** What posting needs to know about an item, with quantities as micro-units. */
export interface ItemInfo {
  id: number;
  code: string;
  name: string;
  unit: string;
  unitPrecision: number;
  tracking: 'none' | 'batch' | 'serial';
  unitCost: Micro;
  allowNegative: boolean;
  safetyStock: Micro;
  /** Alternate unit → factor to the base unit. */
  units: Map<string, Micro>;
}

export interface WarehouseInfo {
  id: number;
  code: string;
  name: string;
  defaultLocationId: number;
  transitLocationId: number;
  /** Storage location code → id. */
  locations: Map<string, number>;
  /** Every location of the warehouse (storage and transit): id → code, for answers. */
  locationCodes: Map<number, string>;
}

export interface BatchInfo {
  id: number;
  itemId: number;
  batchNo: string;
  expiryDate: string | null;
  mfgDate: string | null;
}

const micro = (v: string | null): Micro => (v === null ? 0n : (parseMicro(v) ?? 0n));

export type ItemRow = {
  id: number;
  code: string;
  name: string;
  unit: string;
  unit_precision: number;
  tracking: ItemInfo['tracking'];
  unit_cost: string;
  allow_negative: boolean;
  safety_stock: string;
  units: { unit: string; factor: string | number }[] | null;
};

/** Item rows as the lookups select them (numbers as text) → ItemInfo by code. */
export function itemsFromRows(rows: readonly ItemRow[]): Map<string, ItemInfo> {
  return itemMap(rows);
}

function itemMap(rows: readonly ItemRow[]): Map<string, ItemInfo> {
  return new Map(
    rows.map((r) => [
      r.code,
      {
        id: r.id,
        code: r.code,
        name: r.name,
        unit: r.unit,
        unitPrecision: r.unit_precision,
        tracking: r.tracking,
        unitCost: micro(r.unit_cost),
        allowNegative: r.allow_negative,
        safetyStock: micro(r.safety_stock),
        units: new Map((r.units ?? []).map((u) => [u.unit, micro(String(u.factor))])),
      },
    ]),
  );
}

export async function loadItems(sql: Sql, companyId: number, codes: readonly string[]): Promise<Map<string, ItemInfo>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<ItemRow[]>`
    select i.id, i.code, i.name, i.unit, i.unit_precision, i.tracking, i.unit_cost, i.allow_negative, i.safety_stock,
           (select json_agg(json_build_object('unit', u.unit, 'factor', u.factor)) from item_units u where u.item_id = i.id) as units
    from items i
    where i.company_id = ${companyId} and i.code = any(${[...new Set(codes)]}) and i.active`;
  return itemMap(rows);
}

export async function loadWarehouses(
  sql: Sql,
  companyId: number,
  codes: readonly string[],
): Promise<Map<string, WarehouseInfo>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<WarehouseRow[]>`
    select w.id, w.code, w.name,
           (select json_agg(json_build_object('id', l.id, 'code', l.code, 'kind', l.kind, 'is_default', l.is_default))
              from locations l where l.warehouse_id = w.id) as locations
    from warehouses w
    where w.company_id = ${companyId} and w.code = any(${[...new Set(codes)]}) and w.active`;
  return warehouseMap(rows);
}

type WarehouseRow = { id: number; code: string; name: string; locations: { id: number; code: string; kind: string; is_default: boolean }[] | null };

function warehouseMap(rows: readonly WarehouseRow[]): Map<string, WarehouseInfo> {
  const out = new Map<string, WarehouseInfo>();
  for (const r of rows) {
    const locs = r.locations ?? [];
    const def = locs.find((l) => l.kind === 'storage' && l.is_default);
    const transit = locs.find((l) => l.kind === 'transit');
    // Every warehouse is created with both (see createWarehouse); a missing one is a data bug.
    if (!def || !transit) throw new Error(`warehouse ${r.code} lacks its default or transit location`);
    out.set(r.code, {
      id: r.id,
      code: r.code,
      name: r.name,
      defaultLocationId: def.id,
      transitLocationId: transit.id,
      locations: new Map(locs.filter((l) => l.kind === 'storage').map((l) => [l.code, l.id])),
      locationCodes: new Map(locs.map((l) => [l.id, l.code])),
    });
  }
  return out;
}

export async function loadBatches(
  sql: Sql,
  companyId: number,
  keys: readonly { itemId: number; batchNo: string }[],
): Promise<Map<string, BatchInfo>> {
  if (keys.length === 0) return new Map();
  const rows = await sql<BatchDbRow[]>`
    select b.id, b.item_id, b.batch_no, b.expiry_date::text as expiry_date, b.mfg_date::text as mfg_date
    from batches b
    join unnest(${keys.map((k) => k.itemId)}::bigint[], ${keys.map((k) => k.batchNo)}::text[]) as k(item_id, batch_no)
      on b.item_id = k.item_id and b.batch_no = k.batch_no
    where b.company_id = ${companyId}`;
  return batchMap(rows);
}

type BatchDbRow = { id: number; item_id: number; batch_no: string; expiry_date: string | null; mfg_date: string | null };

function batchMap(rows: readonly BatchDbRow[]): Map<string, BatchInfo> {
  return new Map(
    rows.map((r) => [
      batchKey(r.item_id, r.batch_no),
      { id: r.id, itemId: r.item_id, batchNo: r.batch_no, expiryDate: r.expiry_date, mfgDate: r.mfg_date },
    ]),
  );
}

export const batchKey = (itemId: number, batchNo: string): string => `${itemId}\u0000${batchNo}`;

/** A balance row as FIFO sees it, plus what it needs to report (batch no, location). */
export interface SlotRow extends StockSlot {
  itemId: number;
  batchNo: string | null;
  onHand: Micro;
  reserved: Micro;
}

/** Storage-location balances of these items in these warehouses: the candidates for an outbound. */
export async function loadSlots(
  sql: Sql,
  companyId: number,
  itemIds: readonly number[],
  warehouseIds: readonly number[],
): Promise<SlotRow[]> {
  if (itemIds.length === 0) return [];
  const rows = await sql<SlotDbRow[]>`
    select b.id, b.item_id, b.warehouse_id, b.location_id, b.batch_id, bt.batch_no,
           bt.expiry_date::text as expiry_date,
           to_char(bt.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as received_at,
           b.on_hand, b.reserved
    from stock_balances b
    join locations l on l.id = b.location_id and l.kind = 'storage'
    left join batches bt on bt.id = b.batch_id
    where b.company_id = ${companyId} and b.item_id = any(${[...new Set(itemIds)]}::bigint[])
      and b.warehouse_id = any(${[...new Set(warehouseIds)]}::bigint[])`;
  return rows.map(slotFromRow);
}

/** A balance row as the slot queries select it. */
export type SlotDbRow = {
  id: number;
  item_id: number;
  warehouse_id: number;
  location_id: number;
  batch_id: number | null;
  batch_no: string | null;
  expiry_date: string | null;
  received_at: string | null;
  on_hand: string;
  reserved: string;
};

export function slotFromRow(r: SlotDbRow): SlotRow {
  const onHand = micro(r.on_hand);
  const reserved = micro(r.reserved);
  return {
    balanceId: r.id,
    itemId: r.item_id,
    warehouseId: r.warehouse_id,
    locationId: r.location_id,
    batchId: r.batch_id,
    batchNo: r.batch_no,
    expiryDate: r.expiry_date,
    receivedAt: r.received_at,
    onHand,
    reserved,
    available: onHand - reserved,
  };
}

/** What posting needs to know, for one document or a batch of them. */
export interface PostingMaster {
  items: Map<string, ItemInfo>;
  warehouses: Map<string, WarehouseInfo>;
  /** By batchKey(itemId, batchNo). */
  batches: Map<string, BatchInfo>;
  /** Storage-location balances for the (item, warehouse) pairs asked for. */
  slots: SlotRow[];
  /** The idempotency keys asked about that a document already has. */
  takenKeys: Set<string>;
}

export interface PostingLookup {
  items: readonly string[];
  warehouses: readonly string[];
  /** Named batches: (item code, batch number). */
  batches: readonly { item: string; batchNo: string }[];
  /** Outbound candidates: (item code, warehouse code). */
  slots: readonly { item: string; warehouse: string }[];
  /** Idempotency keys to check for an existing document. */
  keys?: readonly string[];
}

const uniq = <T>(xs: readonly T[], key: (x: T) => string): T[] => {
  const seen = new Map<string, T>();
  for (const x of xs) if (!seen.has(key(x))) seen.set(key(x), x);
  return [...seen.values()];
};

/**
 * Items (with units), warehouses (with locations), named batches and the
 * outbound slots of a document, or of a whole batch of documents, in ONE
 * statement and one round trip. Codes go in as arrays joined through unnest,
 * so the statement text never changes and its plan is cached per connection.
 */
export async function lookupForPosting(sql: Sql, companyId: number, want: PostingLookup): Promise<PostingMaster> {
  const items = [...new Set(want.items)];
  const warehouses = [...new Set(want.warehouses)];
  const batches = uniq(want.batches, (b) => `${b.item}\u0000${b.batchNo}`);
  const slots = uniq(want.slots, (s) => `${s.item}\u0000${s.warehouse}`);
  const keys = [...new Set(want.keys ?? [])];
  const [row] = await sql<
    { items: ItemRow[] | null; warehouses: WarehouseRow[] | null; batches: BatchDbRow[] | null; slots: SlotDbRow[] | null; taken: string[] | null }[]
  >`
    with pairs as materialized (
      -- resolved first, so that each pair's rows come from the (warehouse, item) index, not from all rows of the item
      select i.id as item_id, w.id as warehouse_id
      from unnest(${slots.map((s) => s.item)}::text[], ${slots.map((s) => s.warehouse)}::text[]) k(item, warehouse)
      join items i on i.company_id = ${companyId} and i.code = k.item
      join warehouses w on w.company_id = ${companyId} and w.code = k.warehouse
    )
    select
      ${activeItemsJson(sql, companyId, items)} as items,
      (select json_agg(json_build_object(
                'id', w.id, 'code', w.code, 'name', w.name,
                'locations', (select json_agg(json_build_object('id', l.id, 'code', l.code, 'kind', l.kind, 'is_default', l.is_default))
                                from locations l where l.warehouse_id = w.id)))
         from unnest(${warehouses}::text[]) k(code)
         join warehouses w on w.company_id = ${companyId} and w.code = k.code and w.active) as warehouses,
      (select json_agg(json_build_object('id', b.id, 'item_id', b.item_id, 'batch_no', b.batch_no,
                                         'expiry_date', b.expiry_date::text, 'mfg_date', b.mfg_date::text))
         from unnest(${batches.map((b) => b.item)}::text[], ${batches.map((b) => b.batchNo)}::text[]) k(item, batch_no)
         join items i on i.company_id = ${companyId} and i.code = k.item
         join batches b on b.item_id = i.id and b.batch_no = k.batch_no and b.company_id = ${companyId}) as batches,
      (select json_agg(json_build_object(
                'id', b.id, 'item_id', b.item_id, 'warehouse_id', b.warehouse_id, 'location_id', b.location_id,
                'batch_id', b.batch_id, 'batch_no', bt.batch_no, 'expiry_date', bt.expiry_date::text,
                'received_at', to_char(bt.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                'on_hand', b.on_hand::text, 'reserved', b.reserved::text))
         from pairs p
         join stock_balances b on b.warehouse_id = p.warehouse_id and b.item_id = p.item_id and b.company_id = ${companyId}
         join locations l on l.id = b.location_id and l.kind = 'storage'
         left join batches bt on bt.id = b.batch_id) as slots,
      (select json_agg(d.idempotency_key)
         from unnest(${keys}::text[]) k(key)
         join stock_documents d on d.company_id = ${companyId} and d.idempotency_key = k.key) as taken`;
  return {
    items: itemMap(row?.items ?? []),
    warehouses: warehouseMap(row?.warehouses ?? []),
    batches: batchMap(row?.batches ?? []),
    slots: (row?.slots ?? []).map(slotFromRow),
    takenKeys: new Set(row?.taken ?? []),
  };
}

/** A serial-numbered unit as planning sees it. */
export interface SerialRow {
  itemId: number;
  serialNo: string;
  status: 'in_stock' | 'issued';
  locationId: number | null;
  warehouseId: number | null;
  lastDocumentId: number | null;
}

export const serialKey = (itemId: number, serialNo: string): string => `${itemId}\u0000${serialNo}`;

/**
 * Serial rows of these items: the named ones (wherever they are) plus, when
 * `inStockAt` is given, every unit in stock at those locations (FIFO candidates).
 * Oldest movement first.
 */
export async function loadSerials(
  sql: Sql,
  companyId: number,
  named: readonly { itemId: number; serialNo: string }[],
  inStockAt: { itemIds: readonly number[]; locationIds: readonly number[] } | null,
): Promise<SerialRow[]> {
  if (named.length === 0 && (!inStockAt || inStockAt.itemIds.length === 0)) return [];
  const rows = await sql<
    { item_id: number; serial_no: string; status: SerialRow['status']; location_id: number | null; warehouse_id: number | null; last_document_id: number | null }[]
  >`
    select s.item_id, s.serial_no, s.status, s.location_id, l.warehouse_id, s.last_document_id
    from serials s left join locations l on l.id = s.location_id
    where s.company_id = ${companyId}
      and ((s.item_id, s.serial_no) in (select * from unnest(${named.map((n) => n.itemId)}::bigint[], ${named.map((n) => n.serialNo)}::text[]))
           or (s.status = 'in_stock' and s.item_id = any(${[...(inStockAt?.itemIds ?? [])]}::bigint[])
               and s.location_id = any(${[...(inStockAt?.locationIds ?? [])]}::bigint[])))
    order by s.updated_at, s.id`;
  return rows.map((r) => ({
    itemId: r.item_id,
    serialNo: r.serial_no,
    status: r.status,
    locationId: r.location_id,
    warehouseId: r.warehouse_id,
    lastDocumentId: r.last_document_id,
  }));
}

/**
 * The active items among `codes`, with their alternate units, as one JSON
 * array (ItemRow's shape): the sub-select both the posting and the
 * reservation look-ups start from.
 */
export function activeItemsJson(sql: Sql, companyId: number, codes: readonly string[]) {
  return sql`(select json_agg(json_build_object(
                'id', i.id, 'code', i.code, 'name', i.name, 'unit', i.unit, 'unit_precision', i.unit_precision,
                'tracking', i.tracking, 'unit_cost', i.unit_cost::text, 'allow_negative', i.allow_negative,
                'safety_stock', i.safety_stock::text,
                'units', (select json_agg(json_build_object('unit', u.unit, 'factor', u.factor::text)) from item_units u where u.item_id = i.id)))
         from unnest(${[...codes]}::text[]) k(code)
         join items i on i.company_id = ${companyId} and i.code = k.code and i.active)`;
}
