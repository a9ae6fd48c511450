import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro, type Micro } from '../decimal.ts';
import { NotFoundError } from '../errors.ts';
import { todayIn } from '../today.ts';

/**
 * `available` is what can be picked now: on hand − reserved, leaving out
 * batches past their expiry date (FIFO never takes them unless asked), which
 * are shown as `expired` instead.
 */
export interface StockFigures {
  onHand: string;
  reserved: string;
  available: string;
  expired: string;
  inTransit: string;
}

export interface StockSlotView {
  location: string;
  batch: string | null;
  expiryDate: string | null;
  expired: boolean;
  onHand: string;
  reserved: string;
  available: string;
}

export interface ItemStock {
  item: { code: string; name: string; spec: string | null; unit: string; safetyStock: string; belowSafetyStock: boolean };
  totals: StockFigures;
  warehouses: (StockFigures & { warehouse: string; name: string; slots: StockSlotView[] })[];
}

interface Row {
  code: string;
  name: string;
  spec: string | null;
  unit: string;
  safety_stock: string;
  warehouse: string | null;
  warehouse_name: string | null;
  location: string | null;
  kind: 'storage' | 'transit' | null;
  batch: string | null;
  expiry_date: string | null;
  on_hand: string | null;
  reserved: string | null;
}

const m = (v: string | null): Micro => (v === null ? 0n : (parseMicro(v) ?? 0n));
interface Sums {
  onHand: Micro;
  reserved: Micro;
  available: Micro;
  expired: Micro;
  inTransit: Micro;
}
/** Adds to a warehouse's sums and the item's totals alike. */
function add(warehouse: Sums, totals: Sums, key: keyof Sums, v: Micro): void {
  warehouse[key] += v;
  totals[key] += v;
}
const figures = (s: Sums): StockFigures => ({
  onHand: formatMicro(s.onHand),
  reserved: formatMicro(s.reserved),
  available: formatMicro(s.available),
  expired: formatMicro(s.expired),
  inTransit: formatMicro(s.inTransit),
});

/**
 * Stock of one item: totals, per warehouse, per location and batch (with
 * expiry). In transit = goods shipped towards a warehouse, not yet received.
 * One indexed query.
 */
export async function stockOfItem(db: Database, actor: Actor, code: string): Promise<ItemStock> {
  requireScope(actor, 'stock:read');
  const rows = await db.sql<Row[]>`
    select i.code, i.name, i.spec, i.unit, i.safety_stock, w.code as warehouse, w.name as warehouse_name,
           l.code as location, l.kind, bt.batch_no as batch, bt.expiry_date::text as expiry_date, b.on_hand, b.reserved
    from items i
    left join stock_balances b on b.item_id = i.id and (b.on_hand <> 0 or b.reserved <> 0)
    left join warehouses w on w.id = b.warehouse_id
    left join locations l on l.id = b.location_id
    left join batches bt on bt.id = b.batch_id
    where i.company_id = ${actor.companyId} and i.code = ${code}
    order by w.code, l.code, bt.expiry_date nulls last, bt.batch_no`;
  const first = rows[0];
  if (!first) throw new NotFoundError('item', code);

  const today = todayIn(actor.timezone);
  const zero = (): Sums => ({ onHand: 0n, reserved: 0n, available: 0n, expired: 0n, inTransit: 0n });
  const totals = zero();
  const byWarehouse = new Map<string, Sums & { name: string; slots: StockSlotView[] }>();
  for (const r of rows) {
    if (r.warehouse === null) continue;
    let w = byWarehouse.get(r.warehouse);
    if (!w) {
      w = { name: r.warehouse_name ?? r.warehouse, ...zero(), slots: [] };
      byWarehouse.set(r.warehouse, w);
    }
    // Parsed once per row: an item has a row per location and batch in every
    // warehouse, and this loop is most of the answer's Node CPU.
    const onHand = m(r.on_hand);
    if (r.kind === 'transit') {
      add(w, totals, 'inTransit', onHand);
      continue;
    }
    const reserved = m(r.reserved);
    const expired = r.expiry_date !== null && r.expiry_date < today;
    const free = onHand - reserved;
    add(w, totals, 'onHand', onHand);
    add(w, totals, 'reserved', reserved);
    add(w, totals, expired ? 'expired' : 'available', free);
    w.slots.push({
      location: r.location ?? '',
      batch: r.batch,
      expiryDate: r.expiry_date,
      expired,
      onHand: formatMicro(onHand),
      reserved: formatMicro(reserved),
      available: formatMicro(expired ? 0n : free),
    });
  }
  return {
    item: {
      code: first.code,
      name: first.name,
      spec: first.spec,
      unit: first.unit,
      safetyStock: formatMicro(m(first.safety_stock)),
      belowSafetyStock: totals.available < m(first.safety_stock),
    },
    totals: figures(totals),
    warehouses: [...byWarehouse].map(([warehouse, w]) => ({ warehouse, name: w.name, ...figures(w), slots: w.slots })),
  };
}
