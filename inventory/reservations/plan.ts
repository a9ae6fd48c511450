import type { Actor } from '../actor.ts';
import { allocatable, allocateFifo } from '../allocation.ts';
import { formatMicro, type Micro } from '../decimal.ts';
import { InsufficientStockError, NotFoundError } from '../errors.ts';
import type { ItemInfo, SlotRow } from '../lookup.ts';
import { toBaseQty } from '../plan-movement.ts';
import { IssueList } from '../validate.ts';
import type { ReservationInput } from './input.ts';

export interface Request {
  actor: Actor;
  input: ReservationInput;
}

export interface HashedRequest extends Request {
  hash: string;
}

/** A request once its codes and quantities are understood. */
export interface Resolved {
  index: number;
  request: HashedRequest;
  lines: { lineNo: number; item: ItemInfo; warehouseIds: number[]; qty: Micro; warehouseLabel: string }[];
}

export interface Granted {
  resolved: Resolved;
  lines: { lineNo: number; itemId: number; warehouseId: number; balanceId: number; qty: Micro }[];
}

export function resolveRequest(index: number, request: HashedRequest, items: Map<string, ItemInfo>, warehouses: Map<string, number>): Resolved {
  const issues = new IssueList();
  const lines: Resolved['lines'] = [];
  request.input.lines.forEach((line, i) => {
    const item = items.get(line.item);
    if (!item) throw new NotFoundError('item', line.item);
    let warehouseIds = [...warehouses.values()];
    let warehouseLabel = '*';
    if (line.warehouse !== undefined) {
      const id = warehouses.get(line.warehouse);
      if (id === undefined) throw new NotFoundError('warehouse', line.warehouse);
      warehouseIds = [id];
      warehouseLabel = line.warehouse;
    }
    const q = toBaseQty(item, line.qty, line.unit, `lines[${i}]`, issues, 'positive');
    if (q) lines.push({ lineNo: i + 1, item, warehouseIds, qty: q.qtyBase, warehouseLabel });
  });
  issues.throwIfAny();
  return { index, request, lines };
}

/** A reservation line refused for lack of stock: the stockout rate counts these against the lines granted. */
export interface Stockout {
  itemId: number;
  /** Null when the line could take from several warehouses. */
  warehouseId: number | null;
  requested: string;
  available: string;
}

/** Serves requests in arrival order from one pool of balance rows, each all or nothing. */
export function allocateRequests(resolved: Resolved[], slots: SlotRow[], today: string) {
  const pool = slots.map((s) => ({ ...s }));
  const granted: Granted[] = [];
  const refused: { index: number; error: unknown; stockout: Stockout }[] = [];
  for (const r of resolved) {
    const taken: { line: Resolved['lines'][number]; slot: SlotRow; qty: Micro }[] = [];
    let shortage: { error: InsufficientStockError; stockout: Stockout } | null = null;
    for (const line of r.lines) {
      const candidates = pool.filter((s) => s.itemId === line.item.id && line.warehouseIds.includes(s.warehouseId));
      const got = allocateFifo(candidates, line.qty, { today });
      if (!got) {
        const available = allocatable(candidates, { today });
        shortage = {
          error: new InsufficientStockError({ item: line.item.code, warehouse: line.warehouseLabel, requested: formatMicro(line.qty), available: formatMicro(available) }),
          stockout: { itemId: line.item.id, warehouseId: line.warehouseIds.length === 1 ? (line.warehouseIds[0] ?? null) : null, requested: formatMicro(line.qty), available: formatMicro(available) },
        };
        break;
      }
      for (const a of got) {
        (a.slot as SlotRow).available -= a.qty;
        taken.push({ line, slot: a.slot as SlotRow, qty: a.qty });
      }
    }
    if (shortage) {
      for (const t of taken) t.slot.available += t.qty; // give back what earlier lines took
      refused.push({ index: r.index, ...shortage });
      continue;
    }
    granted.push({
      resolved: r,
      lines: taken.map((t) => ({ lineNo: t.line.lineNo, itemId: t.line.item.id, warehouseId: t.slot.warehouseId, balanceId: t.slot.balanceId, qty: t.qty })),
    });
  }
  return { granted, refused };
}
