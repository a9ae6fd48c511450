import { formatMicro, parseMicro, roundDecimalText, SCALE, type Micro } from '../../../inventory/decimal.ts';
import type { ItemStock } from '../../../inventory/queries/stock-of-item.ts';
import { SUPPLY_WINDOW_DAYS, type StockContext } from '../../../inventory/queries/stock-context.ts';
import type { Card } from '../card.ts';
import type { Links } from '../links.ts';
import { say, type Lang } from '../words.ts';

export interface StockAnswerInput {
  stock: ItemStock;
  context: StockContext;
  /** Codes of the warehouses to show: the asked one, or all the asker may see. */
  warehouses: readonly string[];
  showCost: boolean;
  lang: Lang;
  links: Links;
}

const m = (s: string): Micro => parseMicro(s) ?? 0n;

/** An average per day, as a person reads it: 125.7, 0.033 — not 125.666667. */
function perDay(v: Micro): string {
  const exact = formatMicro(v);
  const shown = roundDecimalText(exact, v >= 10n ** BigInt(SCALE) ? 1 : 3);
  return shown === '0' ? exact : shown;
}
const MAX_HOLDS_SHOWN = 5;

/**
 * A stock answer that explains itself: figures per warehouse and batch, the
 * safety-stock status, days of supply, and why available differs from on
 * hand (who holds the reserved quantity, what is expired). Cost and value
 * only for roles allowed to see them.
 */
export function stockAnswer(input: StockAnswerInput): Card {
  const { stock, context, lang } = input;
  const shown = stock.warehouses.filter((w) => input.warehouses.includes(w.warehouse));
  const sum = (key: 'onHand' | 'reserved' | 'available' | 'expired' | 'inTransit') => shown.reduce((a, w) => a + m(w[key]), 0n);
  const totals = { onHand: sum('onHand'), reserved: sum('reserved'), available: sum('available'), expired: sum('expired'), inTransit: sum('inTransit') };
  const unit = stock.item.unit;
  const q = (v: Micro) => `${formatMicro(v)} ${unit}`;

  const safety = m(stock.item.safetyStock);
  const below = safety > 0n && totals.available < safety;
  const daily = shown.reduce((a, w) => a + m(context.dailyOutbound[w.warehouse] ?? '0'), 0n);

  const fields = [
    { label: say(lang, 'onHand'), value: q(totals.onHand) },
    { label: say(lang, 'reserved'), value: q(totals.reserved) },
    { label: say(lang, 'available'), value: q(totals.available) },
    { label: say(lang, 'inTransit'), value: q(totals.inTransit) },
  ];
  if (safety > 0n) {
    fields.push({ label: say(lang, 'safetyStock'), value: say(lang, below ? 'belowSafety' : 'aboveSafety', { safety: q(safety) }) });
  }
  fields.push({
    label: say(lang, 'daysOfSupply'),
    value:
      daily > 0n
        ? say(lang, 'daysValue', { days: String(totals.available > 0n ? totals.available / daily : 0n), daily: `${perDay(daily)} ${unit}`, window: SUPPLY_WINDOW_DAYS })
        : say(lang, 'noOutbound', { window: SUPPLY_WINDOW_DAYS }),
  });
  if (input.showCost) {
    fields.push({ label: say(lang, 'unitCost'), value: `¥${context.unitCost}` }, { label: say(lang, 'stockValue'), value: `¥${context.value}` });
  }

  const rows: string[][] = [];
  for (const w of shown) {
    rows.push([w.name, '', w.onHand, w.reserved, w.available, w.inTransit]);
    for (const s of w.slots) {
      if (s.batch === null) continue;
      const batch = s.expiryDate ? say(lang, 'expires', { batch: s.batch, date: s.expiryDate }) : s.batch;
      rows.push(['', s.expired ? `${batch} · ${say(lang, 'expired')}` : batch, s.onHand, s.reserved, s.available, '']);
    }
  }

  const notes: string[] = [];
  const holds = context.holds.filter((h) => input.warehouses.includes(h.warehouse));
  for (const h of holds.slice(0, MAX_HOLDS_SHOWN)) notes.push(say(lang, 'heldFor', { qty: q(m(h.qty)), ref: h.orderRef, warehouse: h.warehouse }));
  if (totals.expired > 0n) notes.push(say(lang, 'expiredNote', { qty: q(totals.expired) }));
  if (shown.length === 0) notes.push(say(lang, 'noStockAnywhere'));

  return {
    title: `${stock.item.name} ${stock.item.code}`,
    subtitle: stock.item.spec ?? undefined,
    tone: below ? 'warning' : 'info',
    fields,
    table: rows.length
      ? {
          columns: [say(lang, 'warehouse'), say(lang, 'batch'), say(lang, 'onHand'), say(lang, 'reserved'), say(lang, 'available'), say(lang, 'inTransit')],
          rows,
        }
      : undefined,
    notes,
    buttons: [
      {
        label: say(lang, 'applyOutbound'),
        style: 'primary',
        value: { act: 'draft', type: 'outbound', item: stock.item.code, ...(input.warehouses.length === 1 ? { wh: input.warehouses[0] ?? '' } : {}) },
      },
    ],
    link: { label: say(lang, 'openItem'), url: input.links.item(stock.item.code) },
  };
}
