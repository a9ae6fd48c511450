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
}

export interface BatchInfo {
  id: number;
  itemId: number;
  batchNo: string;
  expiryDate: string | null;
  mfgDate: string | null;
}

const micro = (v: string | null): Micro => (v === null ? 0n : (parseMicro(v) ?? 0n));

export async function loadItems(sql: Sql, companyId: number, codes: readonly string[]): Promise<Map<string, ItemInfo>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<
    {
      id: number;
      code: string;
      name: string;
      unit: string;
      unit_precision: number;
      tracking: ItemInfo['tracking'];
      unit_cost: string;
      allow_negative: boolean;
      safety_stock: string;
      units: { unit: string; factor: string }[] | null;
    }[]
  >`
    select i.id, i.code, i.name, i.unit, i.unit_precision, i.tracking, i.unit_cost, i.allow_negative, i.safety_stock,
           (select json_agg(json_build_object('unit', u.unit, 'factor', u.factor)) from item_units u where u.item_id = i.id) as units
    from items i
    where i.company_id = ${companyId} and i.code = any(${[...new Set(codes)]}) and i.active`;
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

export async function loadWarehouses(
  sql: Sql,
  companyId: number,
  codes: readonly string[],
): Promise<Map<string, WarehouseInfo>> {
  if (codes.length === 0) return new Map();
  const rows = await sql<
    { id: number; code: string; name: string; locations: { id: number; code: string; kind: string; is_default: boolean }[] }[]
  >`
    select w.id, w.code, w.name,
           (select json_agg(json_build_object('id', l.id, 'code', l.code, 'kind', l.kind, 'is_default', l.is_default))
              from locations l where l.warehouse_id = w.id) as locations
    from warehouses w
    where w.company_id = ${companyId} and w.code = any(${[...new Set(codes)]}) and w.active`;
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
  const rows = await sql<{ id: number; item_id: number; batch_no: string; expiry_date: string | null; mfg_date: string | null }[]>`
    select b.id, b.item_id, b.batch_no, b.expiry_date::text as expiry_date, b.mfg_date::text as mfg_date
    from batches b
    join unnest(${keys.map((k) => k.itemId)}::bigint[], ${keys.map((k) => k.batchNo)}::text[]) as k(item_id, batch_no)
      on b.item_id = k.item_id and b.batch_no = k.batch_no
    where b.company_id = ${companyId}`;
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
  const rows = await sql<
    {
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
    }[]
  >`
    select b.id, b.item_id, b.warehouse_id, b.location_id, b.batch_id, bt.batch_no,
           bt.expiry_date::text as expiry_date,
           to_char(bt.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as received_at,
           b.on_hand, b.reserved
    from stock_balances b
    join locations l on l.id = b.location_id and l.kind = 'storage'
    left join batches bt on bt.id = b.batch_id
    where b.company_id = ${companyId} and b.item_id = any(${[...new Set(itemIds)]}::bigint[])
      and b.warehouse_id = any(${[...new Set(warehouseIds)]}::bigint[])`;
  return rows.map((r) => {
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
  });
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
