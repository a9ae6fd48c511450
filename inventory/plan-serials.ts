import { InsufficientStockError } from './errors.ts';
import { serialKey, type SerialRow, type SlotRow, type WarehouseInfo } from './lookup.ts';
import type { PlannedMove, ResolvedLine, SerialMove } from './plan-movement.ts';
import type { IssueList } from './validate.ts';

const MICRO = 1_000_000n;

export interface SerialContext {
  from: WarehouseInfo;
  to: WarehouseInfo | undefined;
  pool: SlotRow[];
  serials: readonly SerialRow[];
  serialsTaken: Set<string>;
  issues: IssueList;
  inbound: boolean;
  transfer: boolean;
  inTransit: boolean;
}

/**
 * Serial-numbered units: named serials are honoured exactly, otherwise the
 * units in stock longest are taken (FIFO), only where the location has
 * unreserved stock. Returns the quantity moves, one per location touched.
 */
export function planSerialLine(
  line: ResolvedLine,
  ctx: SerialContext,
  serialMoves: SerialMove[],
): Pick<PlannedMove, 'warehouseId' | 'locationId' | 'batchId' | 'newBatchNo' | 'qty' | 'unitCost'>[] {
  const { from, issues } = ctx;
  const itemId = line.item.id;
  const known = new Map(ctx.serials.filter((r) => r.itemId === itemId).map((r) => [r.serialNo, r]));
  if (ctx.inbound) {
    const locationId = line.locationId ?? from.defaultLocationId;
    (line.serials ?? []).forEach((serialNo, j) => {
      const row = known.get(serialNo);
      if (row?.status === 'in_stock' || ctx.serialsTaken.has(serialKey(itemId, serialNo))) {
        issues.add(`${line.path}.serials[${j}]`, `serial ${serialNo} of ${line.item.code} is already in stock`, `${line.item.code} 的序列号 ${serialNo} 已在库`);
      }
      ctx.serialsTaken.add(serialKey(itemId, serialNo));
      serialMoves.push({ itemId, serialNo, fromLocationId: null, toLocationId: locationId });
    });
    const qty = line.qtyBase < 0n ? -line.qtyBase : line.qtyBase;
    return [{ warehouseId: from.id, locationId, batchId: null, newBatchNo: null, qty, unitCost: line.unitCostBase }];
  }

  const wantCount = Number((line.qtyBase < 0n ? -line.qtyBase : line.qtyBase) / MICRO);
  const slotAt = (locationId: number) => ctx.pool.find((s) => s.itemId === itemId && s.locationId === locationId && s.batchId === null);
  const inStockHere = (r: SerialRow | undefined): r is SerialRow & { locationId: number } =>
    r !== undefined &&
    r.status === 'in_stock' &&
    r.warehouseId === from.id &&
    r.locationId !== null &&
    [...from.locations.values()].includes(r.locationId) &&
    (line.locationId === null || r.locationId === line.locationId) &&
    !ctx.serialsTaken.has(serialKey(itemId, r.serialNo));

  const picked: (SerialRow & { locationId: number })[] = [];
  if (line.serials) {
    line.serials.forEach((serialNo, j) => {
      const row = known.get(serialNo);
      if (!inStockHere(row)) {
        issues.add(`${line.path}.serials[${j}]`, `serial ${serialNo} of ${line.item.code} is not in stock in ${from.code}`, `${line.item.code} 的序列号 ${serialNo} 不在 ${from.code} 库存中`);
        return;
      }
      const slot = slotAt(row.locationId);
      if (!slot || slot.available < MICRO) {
        throw new InsufficientStockError({ item: line.item.code, warehouse: from.code, requested: '1', available: '0' });
      }
      slot.available -= MICRO;
      picked.push(row);
    });
  } else {
    for (const row of ctx.serials) {
      if (picked.length === wantCount) break;
      if (row.itemId !== itemId || !inStockHere(row)) continue;
      const slot = slotAt(row.locationId);
      if (!slot || slot.available < MICRO) continue;
      slot.available -= MICRO;
      picked.push(row);
    }
    if (picked.length < wantCount) {
      throw new InsufficientStockError({ item: line.item.code, warehouse: from.code, requested: String(wantCount), available: String(picked.length) });
    }
  }

  const destination = ctx.transfer && ctx.to ? (ctx.inTransit ? ctx.to.transitLocationId : (line.toLocationId ?? ctx.to.defaultLocationId)) : null;
  const perLocation = new Map<number, number>();
  for (const row of picked) {
    ctx.serialsTaken.add(serialKey(itemId, row.serialNo));
    perLocation.set(row.locationId, (perLocation.get(row.locationId) ?? 0) + 1);
    serialMoves.push({ itemId, serialNo: row.serialNo, fromLocationId: row.locationId, toLocationId: destination });
  }
  return [...perLocation].flatMap(([locationId, n]) => {
    const qty = BigInt(n) * MICRO;
    const out = { warehouseId: from.id, locationId, batchId: null, newBatchNo: null, qty: -qty, unitCost: null };
    return destination !== null && ctx.to ? [out, { ...out, warehouseId: ctx.to.id, locationId: destination, qty }] : [out];
  });
}
