import type { Micro } from '../decimal.ts';

/** A count as stored: the text that was scanned or typed. */
export interface CountEntry {
  entryId: string;
  item: string;
  location: string | null;
  batch: string | null;
  qty: Micro;
  mode: 'add' | 'set';
  voided: boolean;
}

export interface ItemRef {
  id: number;
  code: string;
  tracking: 'none' | 'batch' | 'serial';
}

/** What an entry is resolved against: master data as it is now, the count's scope and its snapshot. */
export interface CountContext {
  itemsByCode: ReadonlyMap<string, ItemRef>;
  itemsByBarcode: ReadonlyMap<string, readonly ItemRef[]>;
  /** Storage location code → id, of the counted warehouse. */
  locations: ReadonlyMap<string, number>;
  locationCodes: ReadonlyMap<number, string>;
  defaultLocationId: number;
  /** Locations the count covers; null = the whole warehouse. */
  scope: readonly number[] | null;
  /** `${itemId}:${batchNo}` → batch id. */
  batches: ReadonlyMap<string, number>;
  /** Where the book had each item at the snapshot: item id → location ids. */
  bookedAt: ReadonlyMap<number, readonly number[]>;
}

export interface SlotKey {
  itemId: number;
  locationId: number;
  batchId: number | null;
}

export const slotKey = (k: SlotKey): string => `${k.itemId}:${k.locationId}:${k.batchId ?? ''}`;
export const batchRef = (itemId: number, batchNo: string): string => `${itemId}:${batchNo}`;

/** A count entry's problem, in English and Chinese (the counter reads the one in their language). */
export interface EntryProblem {
  field: 'item' | 'location' | 'batch';
  message: string;
  zh: string;
}

export type Resolution = { ok: true; slot: SlotKey; item: ItemRef } | { ok: false; problems: EntryProblem[] };

/**
 * Which shelf slot an entry counts. A code wins over a barcode (codes are
 * unique, barcodes are not). A missing location is inferred only when there is
 * one answer — the count covers one location, or the book had the item in one
 * place, or (a whole-warehouse count of an item not on the book) the default
 * location; anything else asks the counter rather than guess. A batch is never
 * guessed: the label on the goods is the only source.
 */
export function resolveEntry(e: Pick<CountEntry, 'item' | 'location' | 'batch'>, ctx: CountContext): Resolution {
  const problems: EntryProblem[] = [];
  let item = ctx.itemsByCode.get(e.item);
  if (!item) {
    const byBarcode = ctx.itemsByBarcode.get(e.item) ?? [];
    if (byBarcode.length > 1) {
      problems.push({ field: 'item', message: `barcode ${e.item} belongs to several items (${byBarcode.map((i) => i.code).join(', ')}); enter the item code`, zh: `条码 ${e.item} 对应多个物料（${byBarcode.map((i) => i.code).join('、')}），请输入物料编码` });
    } else if (byBarcode.length === 0) {
      problems.push({ field: 'item', message: `no item with code or barcode ${e.item}; create the item, then this count will be taken`, zh: `没有编码或条码为 ${e.item} 的物料；新建该物料后这条盘点会自动计入` });
    }
    item = byBarcode.length === 1 ? byBarcode[0] : undefined;
  }

  let locationId: number | null = null;
  if (e.location !== null) {
    const id = ctx.locations.get(e.location);
    if (id === undefined) problems.push({ field: 'location', message: `no storage location ${e.location} in this warehouse`, zh: `本仓没有库位 ${e.location}` });
    else if (ctx.scope !== null && !ctx.scope.includes(id)) problems.push({ field: 'location', message: `location ${e.location} is not part of this count (${codes(ctx, ctx.scope)})`, zh: `库位 ${e.location} 不在本次盘点范围内（${codes(ctx, ctx.scope)}）` });
    else locationId = id;
  } else if (ctx.scope !== null && ctx.scope.length === 1) {
    locationId = ctx.scope[0] ?? null;
  } else if (item) {
    const booked = (ctx.bookedAt.get(item.id) ?? []).filter((l) => ctx.scope === null || ctx.scope.includes(l));
    const distinct = [...new Set(booked)];
    if (distinct.length === 1) locationId = distinct[0] ?? null;
    else if (distinct.length > 1) problems.push({ field: 'location', message: `${item.code} is on the book in ${codes(ctx, distinct)}: say which location was counted`, zh: `${item.code} 账面在 ${codes(ctx, distinct)} 都有，请注明盘点的库位` });
    else if (ctx.scope === null) locationId = ctx.defaultLocationId;
    else problems.push({ field: 'location', message: `say which location was counted (${codes(ctx, ctx.scope)})`, zh: `请注明盘点的库位（${codes(ctx, ctx.scope)}）` });
  }

  let batchId: number | null = null;
  if (item) {
    if (item.tracking === 'batch') {
      if (e.batch === null) problems.push({ field: 'batch', message: `${item.code} is batch-tracked: scan or type the batch number on the label`, zh: `${item.code} 按批次管理：请扫描或输入标签上的批次号` });
      else {
        const id = ctx.batches.get(batchRef(item.id, e.batch));
        if (id === undefined) problems.push({ field: 'batch', message: `${item.code} has no batch ${e.batch}`, zh: `${item.code} 没有批次 ${e.batch}` });
        else batchId = id;
      }
    } else if (e.batch !== null) {
      problems.push({ field: 'batch', message: `${item.code} is not batch-tracked; leave the batch empty`, zh: `${item.code} 不按批次管理，批次请留空` });
    }
  }
  if (problems.length > 0 || !item || locationId === null) return { ok: false, problems };
  return { ok: true, item, slot: { itemId: item.id, locationId, batchId } };
}

const codes = (ctx: CountContext, ids: readonly number[]) => ids.map((id) => ctx.locationCodes.get(id) ?? String(id)).join(', ');

/**
 * Counted quantity per slot, from the entries in the order they were recorded:
 * `add` adds to what the slot has (several counters, several scans), `set`
 * replaces it (a recount). Voided and unresolved entries count nothing.
 */
export function tally(entries: readonly { entry: CountEntry; resolution: Resolution }[]): Map<string, { slot: SlotKey; qty: Micro }> {
  const out = new Map<string, { slot: SlotKey; qty: Micro }>();
  for (const { entry, resolution } of entries) {
    if (entry.voided || !resolution.ok) continue;
    const key = slotKey(resolution.slot);
    const prev = out.get(key)?.qty ?? 0n;
    out.set(key, { slot: resolution.slot, qty: entry.mode === 'set' ? entry.qty : prev + entry.qty });
  }
  return out;
}
