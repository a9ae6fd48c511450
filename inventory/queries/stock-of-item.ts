import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { formatMicro, parseMicro, type Micro } from '../decimal.ts';
import { NotFoundError } from '../errors.ts';

export interface StockFigures {
  onHand: string;
  reserved: string;
  available: string;
  inTransit: string;
}

export interface StockSlotView {
  location: string;
  batch: string | null;
  expiryDate: string | null;
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
const figures = (onHand: Micro, reserved: Micro, inTransit: Micro): StockFigures => ({
  onHand: formatMicro(onHand),
  reserved: formatMicro(reserved),
  available: formatMicro(onHand - reserved),
  inTransit: formatMicro(inTransit),
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

  const byWarehouse = new Map<string, { name: string; onHand: Micro; reserved: Micro; inTransit: Micro; slots: StockSlotView[] }>();
  for (const r of rows) {
    if (r.warehouse === null) continue;
    const w = byWarehouse.get(r.warehouse) ?? { name: r.warehouse_name ?? r.warehouse, onHand: 0n, reserved: 0n, inTransit: 0n, slots: [] };
    byWarehouse.set(r.warehouse, w);
    if (r.kind === 'transit') {
      w.inTransit += m(r.on_hand);
      continue;
    }
    w.onHand += m(r.on_hand);
    w.reserved += m(r.reserved);
    w.slots.push({
      location: r.location ?? '',
      batch: r.batch,
      expiryDate: r.expiry_date,
      onHand: formatMicro(m(r.on_hand)),
      reserved: formatMicro(m(r.reserved)),
      available: formatMicro(m(r.on_hand) - m(r.reserved)),
    });
  }
  const warehouses = [...byWarehouse].map(([warehouse, w]) => ({ warehouse, name: w.name, ...figures(w.onHand, w.reserved, w.inTransit), slots: w.slots }));
  const sum = (f: (w: { onHand: Micro; reserved: Micro; inTransit: Micro }) => Micro) => [...byWarehouse.values()].reduce((s, w) => s + f(w), 0n);
  const onHand = sum((w) => w.onHand);
  const reserved = sum((w) => w.reserved);
  return {
    item: {
      code: first.code,
      name: first.name,
      spec: first.spec,
      unit: first.unit,
      safetyStock: formatMicro(m(first.safety_stock)),
      belowSafetyStock: onHand - reserved < m(first.safety_stock),
    },
    totals: figures(onHand, reserved, sum((w) => w.inTransit)),
    warehouses,
  };
}
