import { allocatable, allocateFifo, type AllocationOptions } from './allocation.ts';
import { decimalPlaces, formatMicro, mulMicro, parseMicro, type Micro } from './decimal.ts';
import { InsufficientStockError } from './errors.ts';
import { batchKey, type BatchInfo, type ItemInfo, type SerialRow, type SlotRow, type WarehouseInfo } from './lookup.ts';
import type { MovementInput, MovementLineInput } from './movement-input.ts';
import { planSerialLine } from './plan-serials.ts';
import { IssueList } from './validate.ts';

/** One future ledger row. Positive qty moves stock in, negative out. */
export interface PlannedMove {
  seq: number;
  lineNo: number;
  itemId: number;
  warehouseId: number;
  locationId: number;
  batchId: number | null;
  /** A batch the posting creates (receipt of a new batch number). */
  newBatchNo: string | null;
  qty: Micro;
  /** Cost per base unit; null = the item's moving average at posting time. */
  unitCost: Micro | null;
  /** Change to `reserved` on the same balance row (consuming a reservation). */
  reservedDelta: Micro;
  /** Fallback cost when the item has no stock to average over. */
  referenceCost: Micro;
  allowNegative: boolean;
}

export interface PlannedLine {
  lineNo: number;
  itemId: number;
  qty: Micro;
  unit: string;
  qtyBase: Micro;
  batchNo: string | null;
  unitCost: Micro | null;
}

export interface NewBatch {
  itemId: number;
  batchNo: string;
  mfgDate: string | null;
  expiryDate: string | null;
}

/** A serial-numbered unit arriving (from null), leaving (to null) or changing location. */
export interface SerialMove {
  itemId: number;
  serialNo: string;
  fromLocationId: number | null;
  toLocationId: number | null;
}

export interface MovementPlan {
  moves: PlannedMove[];
  lines: PlannedLine[];
  newBatches: NewBatch[];
  serialMoves: SerialMove[];
}

/** A line after units, locations and batches are resolved: still independent of stock levels. */
export interface ResolvedLine {
  lineNo: number;
  path: string;
  item: ItemInfo;
  qty: Micro;
  unit: string;
  qtyBase: Micro;
  unitCostBase: Micro | null;
  locationId: number | null;
  toLocationId: number | null;
  batch: BatchInfo | null;
  newBatch: NewBatch | null;
  allowExpired: boolean;
  /** Serial numbers named on the line (serial-tracked items). */
  serials: string[] | null;
}

export interface MasterData {
  items: Map<string, ItemInfo>;
  warehouses: Map<string, WarehouseInfo>;
  batches: Map<string, BatchInfo>;
}

const MICRO = 1_000_000n;

/** cost per document unit ÷ factor → cost per base unit, rounded half up to 6 decimals. */
function perBaseUnit(cost: Micro, factor: Micro): Micro {
  return (cost * MICRO * 2n + factor) / (factor * 2n);
}

/** Converts a line's quantity to the item's base unit, or explains why it cannot be. */
export function toBaseQty(
  item: ItemInfo,
  rawQty: string | number,
  unit: string | undefined,
  path: string,
  issues: IssueList,
  sign: 'positive' | 'nonzero',
): { qty: Micro; unit: string; qtyBase: Micro; factor: Micro } | null {
  const qty = parseMicro(rawQty);
  if (qty === null) {
    issues.add(`${path}.qty`, `"${rawQty}" is not a decimal number with at most 6 decimal places`, `「${rawQty}」不是有效数量（最多 6 位小数）`);
    return null;
  }
  if (sign === 'positive' ? qty <= 0n : qty === 0n) {
    issues.add(`${path}.qty`, sign === 'positive' ? 'must be greater than 0' : 'must not be 0', sign === 'positive' ? '必须大于 0' : '不能为 0');
    return null;
  }
  const lineUnit = unit ?? item.unit;
  const factor = lineUnit === item.unit ? MICRO : item.units.get(lineUnit);
  if (factor === undefined) {
    const allowed = [item.unit, ...item.units.keys()].join(', ');
    issues.add(`${path}.unit`, `unit "${lineUnit}" is not defined for item ${item.code}; allowed: ${allowed}`, `物料 ${item.code} 没有单位「${lineUnit}」；可用：${allowed}`);
    return null;
  }
  const qtyBase = mulMicro(qty, factor);
  if (qtyBase === null || decimalPlaces(qtyBase) > item.unitPrecision) {
    issues.add(
      `${path}.qty`,
      `${formatMicro(qty)} ${lineUnit} is ${qtyBase === null ? 'too fine' : `${formatMicro(qtyBase)} ${item.unit}`}; ` +
        `item ${item.code} allows ${item.unitPrecision} decimal place(s) in ${item.unit}`,
    );
    return null;
  }
  return { qty, unit: lineUnit, qtyBase, factor };
}

/**
 * Checks every line against master data and converts it to base units.
 * Throws a ValidationError listing all problems; nothing has been written.
 */
export function resolveMovement(input: MovementInput, master: MasterData): ResolvedLine[] {
  const issues = new IssueList();
  const warehouse = master.warehouses.get(input.warehouse);
  const toWarehouse = input.toWarehouse === undefined ? undefined : master.warehouses.get(input.toWarehouse);
  if (input.type === 'transfer') {
    if (input.toWarehouse === undefined) issues.add('toWarehouse', 'a transfer needs a destination warehouse', '调拨需要调入仓库');
    else if (input.toWarehouse === input.warehouse) issues.add('toWarehouse', 'must differ from warehouse', '调入仓库不能与调出仓库相同');
  } else {
    if (input.toWarehouse !== undefined) issues.add('toWarehouse', `only transfers have a destination; this is a ${input.type}`, `只有调拨有调入仓库（本单为 ${input.type}）`);
    if (input.inTransit !== undefined) issues.add('inTransit', `only transfers can be in transit; this is a ${input.type}`, `只有调拨可以在途（本单为 ${input.type}）`);
  }

  const resolved: ResolvedLine[] = [];
  input.lines.forEach((line: MovementLineInput, i) => {
    const path = `lines[${i}]`;
    const item = master.items.get(line.item);
    if (!item || !warehouse) return; // unknown codes are reported as not-found by the caller
    const inbound = input.type === 'receipt' || (input.type === 'adjustment' && (parseMicro(line.qty) ?? 0n) > 0n);
    const q = toBaseQty(item, line.qty, line.unit, path, issues, input.type === 'adjustment' ? 'nonzero' : 'positive');
    if (!q) return;

    let unitCostBase: Micro | null = null;
    if (line.unitCost !== undefined) {
      const cost = parseMicro(line.unitCost);
      if (!inbound) issues.add(`${path}.unitCost`, 'only stock coming in takes a unit cost; outbound is valued at moving average', '只有入库可填单位成本；出库按移动平均成本计价');
      else if (cost === null || cost < 0n) issues.add(`${path}.unitCost`, `"${line.unitCost}" is not a cost ≥ 0 with at most 6 decimals`, `「${line.unitCost}」不是有效成本（≥ 0，最多 6 位小数）`);
      else unitCostBase = perBaseUnit(cost, q.factor);
    } else if (input.type === 'receipt') {
      unitCostBase = item.unitCost;
    }

    let locationId: number | null = null;
    if (line.location !== undefined) {
      locationId = warehouse.locations.get(line.location) ?? null;
      if (locationId === null) issues.add(`${path}.location`, `no location ${line.location} in warehouse ${warehouse.code}`, `仓库 ${warehouse.code} 没有库位 ${line.location}`);
    }
    let toLocationId: number | null = null;
    if (line.toLocation !== undefined) {
      if (input.type !== 'transfer' || !toWarehouse) issues.add(`${path}.toLocation`, 'only transfers have a destination location', '只有调拨有调入库位');
      else if (input.inTransit) issues.add(`${path}.toLocation`, 'an in-transit transfer picks the location when it is received', '在途调拨在收货时再选库位');
      else {
        toLocationId = toWarehouse.locations.get(line.toLocation) ?? null;
        if (toLocationId === null) issues.add(`${path}.toLocation`, `no location ${line.toLocation} in warehouse ${toWarehouse.code}`, `仓库 ${toWarehouse.code} 没有库位 ${line.toLocation}`);
      }
    }

    let batch: BatchInfo | null = null;
    let newBatch: NewBatch | null = null;
    if (line.batch !== undefined) {
      if (item.tracking !== 'batch') {
        issues.add(`${path}.batch`, `item ${item.code} is not batch-tracked`, `物料 ${item.code} 不按批次管理`);
      } else {
        batch = master.batches.get(batchKey(item.id, line.batch)) ?? null;
        if (inbound) {
          if (batch && line.expiryDate !== undefined && batch.expiryDate !== line.expiryDate) {
            issues.add(`${path}.expiryDate`, `batch ${line.batch} already exists with expiry ${batch.expiryDate ?? 'none'}`, `批次 ${line.batch} 已存在，有效期为 ${batch.expiryDate ?? '无'}`);
          }
          if (!batch) newBatch = { itemId: item.id, batchNo: line.batch, mfgDate: line.mfgDate ?? null, expiryDate: line.expiryDate ?? null };
        } else if (!batch) {
          issues.add(`${path}.batch`, `item ${item.code} has no batch ${line.batch}`, `物料 ${item.code} 没有批次 ${line.batch}`);
        }
      }
    } else if (inbound && item.tracking === 'batch') {
      issues.add(`${path}.batch`, `item ${item.code} is batch-tracked: incoming stock needs a batch number`, `物料 ${item.code} 按批次管理：入库需要批次号`);
    }
    if (item.tracking === 'serial') {
      const count = q.qtyBase / MICRO;
      if (line.serials === undefined && inbound) {
        issues.add(`${path}.serials`, `item ${item.code} is serial-tracked: list the serial number of every unit received`, `物料 ${item.code} 按序列号管理：请列出每件的序列号`);
      } else if (line.serials !== undefined && (q.qtyBase % MICRO !== 0n || BigInt(line.serials.length) !== (count < 0n ? -count : count))) {
        issues.add(`${path}.serials`, `${line.serials.length} serial number(s) for a quantity of ${formatMicro(q.qtyBase)} ${item.unit}; they must match`, `序列号 ${line.serials.length} 个，数量 ${formatMicro(q.qtyBase)} ${item.unit}，两者须一致`);
      } else if (line.serials !== undefined && new Set(line.serials).size !== line.serials.length) {
        issues.add(`${path}.serials`, 'a serial number is listed twice', '序列号重复');
      }
    } else if (line.serials !== undefined) {
      issues.add(`${path}.serials`, `item ${item.code} is not serial-tracked`, `物料 ${item.code} 不按序列号管理`);
    }
    if (!inbound && (line.mfgDate !== undefined || line.expiryDate !== undefined)) {
      issues.add(`${path}.expiryDate`, 'dates are recorded when a batch is received, not on outbound lines', '日期在批次入库时记录，出库行不填');
    }

    resolved.push({
      lineNo: i + 1,
      path,
      item,
      qty: q.qty,
      unit: q.unit,
      qtyBase: q.qtyBase,
      unitCostBase,
      locationId,
      toLocationId,
      batch,
      newBatch,
      allowExpired: line.allowExpired ?? false,
      serials: line.serials ?? null,
    });
  });
  issues.throwIfAny();
  return resolved;
}

/**
 * Turns resolved lines into ledger moves. Outbound lines share one pool of
 * slots, so two lines of the same item cannot both take the same units.
 * Throws InsufficientStockError (nothing written) when stock does not cover a line.
 */
export function planMovement(
  input: Pick<MovementInput, 'type' | 'inTransit'>,
  lines: readonly ResolvedLine[],
  from: WarehouseInfo,
  to: WarehouseInfo | undefined,
  slots: readonly SlotRow[],
  opts: AllocationOptions,
  serials: readonly SerialRow[] = [],
): MovementPlan {
  const pool = slots.map((s) => ({ ...s }));
  const moves: PlannedMove[] = [];
  const newBatches = new Map<string, NewBatch>();
  const serialMoves: SerialMove[] = [];
  const serialIssues = new IssueList();
  const serialsTaken = new Set<string>();
  const push = (m: Omit<PlannedMove, 'seq'>) => moves.push({ seq: moves.length + 1, ...m });

  for (const line of lines) {
    const base = {
      lineNo: line.lineNo,
      itemId: line.item.id,
      reservedDelta: 0n,
      referenceCost: line.item.unitCost,
      allowNegative: line.item.allowNegative,
    };
    const inbound = input.type === 'receipt' || (input.type === 'adjustment' && line.qtyBase > 0n);
    if (line.item.tracking === 'serial') {
      const ctx = { from, to, pool, serials, serialsTaken, issues: serialIssues, inbound, transfer: input.type === 'transfer', inTransit: input.inTransit ?? false };
      for (const m of planSerialLine(line, ctx, serialMoves)) push({ ...base, ...m });
      continue;
    }
    if (inbound) {
      if (line.newBatch) newBatches.set(batchKey(line.item.id, line.newBatch.batchNo), line.newBatch);
      push({
        ...base,
        warehouseId: from.id,
        locationId: line.locationId ?? from.defaultLocationId,
        batchId: line.batch?.id ?? null,
        newBatchNo: line.newBatch?.batchNo ?? null,
        qty: line.qtyBase < 0n ? -line.qtyBase : line.qtyBase,
        unitCost: line.unitCostBase,
      });
      continue;
    }

    const want = line.qtyBase < 0n ? -line.qtyBase : line.qtyBase;
    const candidates = pool.filter(
      (s) =>
        s.itemId === line.item.id &&
        s.warehouseId === from.id &&
        (line.locationId === null || s.locationId === line.locationId) &&
        (line.batch === null || s.batchId === line.batch.id),
    );
    const lineOpts = { ...opts, allowExpired: opts.allowExpired || line.allowExpired || line.batch !== null };
    let taken = allocateFifo(candidates, want, lineOpts);
    if (!taken && line.item.allowNegative) {
      // Negative stock is allowed for this item: take what exists, book the rest on the default slot.
      const partial = allocateFifo(candidates, allocatable(candidates, lineOpts), lineOpts) ?? [];
      const rest = want - partial.reduce((s, a) => s + a.qty, 0n);
      const fallback = candidates.find((s) => s.locationId === (line.locationId ?? from.defaultLocationId) && s.batchId === (line.batch?.id ?? null));
      const slot = fallback ?? {
        balanceId: 0,
        itemId: line.item.id,
        warehouseId: from.id,
        locationId: line.locationId ?? from.defaultLocationId,
        batchId: line.batch?.id ?? null,
        batchNo: line.batch?.batchNo ?? null,
        expiryDate: null,
        receivedAt: null,
        onHand: 0n,
        reserved: 0n,
        available: 0n,
      };
      taken = [...partial, { slot, qty: rest }];
    }
    if (!taken) {
      throw new InsufficientStockError({
        item: line.item.code,
        warehouse: from.code,
        requested: formatMicro(want),
        available: formatMicro(allocatable(candidates, lineOpts)),
        ...(line.batch ? { batch: line.batch.batchNo } : {}),
      });
    }
    for (const a of taken) {
      (a.slot as SlotRow).available -= a.qty;
      const out = { ...base, warehouseId: from.id, locationId: a.slot.locationId, batchId: a.slot.batchId, newBatchNo: null, unitCost: null };
      push({ ...out, qty: -a.qty });
      if (input.type === 'transfer' && to) {
        const locationId = input.inTransit ? to.transitLocationId : (line.toLocationId ?? to.defaultLocationId);
        push({ ...out, warehouseId: to.id, locationId, qty: a.qty });
      }
    }
  }

  serialIssues.throwIfAny();
  return {
    moves,
    newBatches: [...newBatches.values()],
    serialMoves,
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      itemId: l.item.id,
      qty: l.qty,
      unit: l.unit,
      qtyBase: l.qtyBase,
      batchNo: l.batch?.batchNo ?? l.newBatch?.batchNo ?? null,
      unitCost: l.unitCostBase,
    })),
  };
}
