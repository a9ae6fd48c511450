import type { z } from 'zod';
import { formatMicro } from '../../inventory/decimal.ts';
import type { reservationInputSchema } from '../../inventory/reservations/input.ts';
import { FEATURED_ITEM } from './demo-catalogue.ts';
import { SH, SZ, SZN, type WarehouseCode } from './demo-data.ts';
import type { DemoItem } from './demo-items.ts';
import { SALES_ORDER, type History } from './history.ts';
import { mulberry32, seedOf } from './prng.ts';
import { microToNumber, minOf, niceQty, wholePacks } from './quantity.ts';

export type ReservationRaw = Omit<z.input<typeof reservationInputSchema>, 'idempotencyKey'>;

const ERP = 'erp';

/**
 * Open sales orders holding stock (预占) at the end of the history, so that
 * available differs from on hand: two of them hold 螺丝M6 in 上海仓, the item
 * the chat examples ask about. Batch-tracked goods are left out: which batch a
 * reservation holds depends on the real date, and the demo must not.
 */
const ORDERS: readonly { daysAgo: number; channel: string; warehouse: WarehouseCode; items: readonly string[] }[] = [
  { daysAgo: 4, channel: ERP, warehouse: SH, items: [FEATURED_ITEM, '六角螺母M6', '平垫片M6'] },
  { daysAgo: 2, channel: ERP, warehouse: SZ, items: [FEATURED_ITEM, '螺丝M4', '自攻螺丝ST3.5'] },
  { daysAgo: 1, channel: 'tmall', warehouse: SZN, items: ['STM32F103C8T6单片机', 'CH340G芯片', 'USB Type-C母座', '贴片电阻0603 10K'] },
  { daysAgo: 0, channel: ERP, warehouse: SH, items: ['纸箱4号', '透明封箱胶带48mm', FEATURED_ITEM] },
];

export function planReservations(history: History, items: readonly DemoItem[]): ReservationRaw[] {
  const rng = mulberry32(seedOf(`demo-reservations:${history.calendar.todayDate}`));
  const byName = new Map(items.map((i) => [i.name, i]));
  const held = new Map<string, bigint>();
  const out: ReservationRaw[] = [];
  for (const order of ORDERS) {
    const day = history.calendar.date(order.daysAgo);
    const lines: ReservationRaw['lines'] = [];
    for (const name of order.items) {
      const item = byName.get(name);
      if (!item || item.shelfLifeDays !== null || !item.warehouses.includes(order.warehouse)) continue;
      const key = `${item.code}\u0000${order.warehouse}`;
      const free = history.book.available(item.code, order.warehouse, history.home(item, order.warehouse), day) - (held.get(key) ?? 0n);
      // Orders come in round numbers; never more than is free.
      const qty = minOf(niceQty(microToNumber(free) * rng.between(0.1, 0.25), item.precision), free);
      if (qty <= 0n) continue;
      held.set(key, (held.get(key) ?? 0n) + qty);
      const packs = item.pack ? wholePacks(qty, item.pack.factor) : null;
      lines.push({
        item: item.code,
        warehouse: order.warehouse,
        ...(item.pack && packs !== null ? { qty: String(packs), unit: item.pack.unit } : { qty: formatMicro(qty) }),
      });
    }
    if (lines.length > 0) out.push({ orderRef: history.ref(SALES_ORDER, day), channel: order.channel, lines });
  }
  return out;
}
