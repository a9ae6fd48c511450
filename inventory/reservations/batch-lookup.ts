import type { Sql } from '../../db/client.ts';
import { activeItemsJson, itemsFromRows, slotFromRow, type ItemInfo, type SlotDbRow, type SlotRow } from '../lookup.ts';

/** A balance row a reservation could hold, with the codes its answer shows. */
export interface HoldSlot extends SlotRow {
  warehouseCode: string;
  locationCode: string;
}

export interface ReservationLookup {
  items: Map<string, ItemInfo>;
  /** Active warehouses: code → id. */
  warehouses: Map<string, number>;
  slots: HoldSlot[];
  /** Keys that already have a reservation → its request hash. */
  taken: Map<string, string>;
  /** Row versions (xmin) of the items and warehouses looked up: a change to either row changes its version. */
  versions: { items: { id: number; v: string }[]; warehouses: { id: number; v: string }[] };
}

/** Everything a batch needs, in ONE statement: items, warehouses, the items' storage balance rows, taken keys. */
export async function lookupForReservations(sql: Sql, companyId: number, codes: string[], keys: string[]): Promise<ReservationLookup> {
  const itemCodes = [...new Set(codes)];
  const [row] = await sql<
    {
      items: Parameters<typeof itemsFromRows>[0] | null;
      warehouses: { id: number; code: string }[] | null;
      slots: (SlotDbRow & { warehouse_code: string; location_code: string })[] | null;
      taken: { key: string; hash: string }[] | null;
      item_versions: { id: number; v: string }[] | null;
      warehouse_versions: { id: number; v: string }[] | null;
    }[]
  >`
    select
      ${activeItemsJson(sql, companyId, itemCodes)} as items,
      (select json_agg(json_build_object('id', w.id, 'code', w.code)) from warehouses w where w.company_id = ${companyId} and w.active) as warehouses,
      (select json_agg(json_build_object(
                'id', b.id, 'item_id', b.item_id, 'warehouse_id', b.warehouse_id, 'location_id', b.location_id,
                'batch_id', b.batch_id, 'batch_no', bt.batch_no, 'expiry_date', bt.expiry_date::text,
                'received_at', to_char(bt.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                'on_hand', b.on_hand::text, 'reserved', b.reserved::text, 'warehouse_code', w.code, 'location_code', l.code))
         from unnest(${itemCodes}::text[]) k(code)
         join items i on i.company_id = ${companyId} and i.code = k.code and i.active
         join stock_balances b on b.item_id = i.id and b.company_id = ${companyId}
         join warehouses w on w.id = b.warehouse_id and w.active
         join locations l on l.id = b.location_id and l.kind = 'storage'
         left join batches bt on bt.id = b.batch_id) as slots,
      (select json_agg(json_build_object('key', r.idempotency_key, 'hash', r.request_hash))
         from unnest(${[...new Set(keys)]}::text[]) k(key)
         join reservations r on r.company_id = ${companyId} and r.idempotency_key = k.key) as taken,
      (select json_agg(json_build_object('id', i.id, 'v', i.xmin::text))
         from items i where i.company_id = ${companyId} and i.code = any(${itemCodes}::text[]) and i.active) as item_versions,
      (select json_agg(json_build_object('id', w.id, 'v', w.xmin::text)) from warehouses w where w.company_id = ${companyId} and w.active) as warehouse_versions`;
  return {
    items: itemsFromRows(row?.items ?? []),
    warehouses: new Map((row?.warehouses ?? []).map((w) => [w.code, w.id])),
    slots: (row?.slots ?? []).map((r) => ({ ...slotFromRow(r), warehouseCode: r.warehouse_code, locationCode: r.location_code })),
    taken: new Map((row?.taken ?? []).map((t) => [t.key, t.hash])),
    versions: { items: row?.item_versions ?? [], warehouses: row?.warehouse_versions ?? [] },
  };
}
