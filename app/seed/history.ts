import type { z } from 'zod';
import { formatMicro, type Micro } from '../../inventory/decimal.ts';
import { TRANSIT_LOCATION } from '../../inventory/master/warehouses.ts';
import type { movementInputSchema, movementLineSchema } from '../../inventory/movement-input.ts';
import { addDays, compactDate, type DemoCalendar } from './calendar.ts';
import { DEMO_CUSTOMERS, DEMO_SUPPLIERS, DEMO_WAREHOUSES, HOME_LOCATION, SH, WAREHOUSE_CODES, type WarehouseCode } from './demo-data.ts';
import type { DemoItem } from './demo-items.ts';
import { mulberry32, seedOf, type Rng } from './prng.ts';
import { fractionOf, maxOf, microToNumber, niceQty, packCost, roundDownTo, roundUpTo, toMicro, wholePacks, yuan } from './quantity.ts';
import { StockBook, type Pick } from './stock-book.ts';
import { SHARE, SHORT_SINCE, SLOW_SINCE, PURCHASE_CYCLE, DIRECT_TRANSFERS, IN_TRANSIT, STOCKTAKES, SCRAP_DAYS_AGO, SALES_DAYS, REQUISITION_DAYS, LINES, LINES_PER_WEEK, REASON } from './history-rhythm.ts';

export type MovementRaw = Omit<z.input<typeof movementInputSchema>, 'idempotencyKey'>;
type LineRaw = z.input<typeof movementLineSchema>;

export interface PlannedPosting {
  postedAt: Date;
  input: MovementRaw;
}

export const HISTORY_DAYS = 90;
export const SALES_ORDER = 'SO';

const warehouseName = (code: WarehouseCode): string => DEMO_WAREHOUSES.find((w) => w.code === code)?.name ?? code;

/**
 * 90 days of a small company's stock life, planned in memory: opening stock,
 * weekly purchases, daily sales and shop-floor requisitions, transfers to the
 * branch warehouses, monthly stocktakes and one scrapping of expired goods.
 * Every outbound line is planned against the StockBook and names its location
 * and batch, so posting it can never run short.
 */
export class History {
  readonly postings: PlannedPosting[] = [];
  readonly book = new StockBook();
  private readonly rng: Rng;
  private readonly refs = new Map<string, number>();
  private readonly batchNos = new Map<string, Set<string>>();
  /** Σ pick weights per warehouse, to size a line so that picks add up to the item's demand. */
  private readonly weightTotal: Record<WarehouseCode, number>;

  constructor(
    private readonly items: readonly DemoItem[],
    readonly calendar: DemoCalendar,
  ) {
    this.rng = mulberry32(seedOf(`demo-history:${calendar.todayDate}`));
    this.weightTotal = { SH: 0, SZ: 0, SZN: 0 };
    for (const wh of WAREHOUSE_CODES) {
      this.weightTotal[wh] = items.filter((i) => i.warehouses.includes(wh)).reduce((s, i) => s + baseWeight(i), 0);
    }
  }

  run(): this {
    this.opening();
    for (let daysAgo = HISTORY_DAYS - 1; daysAgo >= 0; daysAgo--) {
      const weekday = this.calendar.weekday(daysAgo);
      if (REQUISITION_DAYS.includes(weekday)) this.issue(daysAgo, SH, REASON.requisition, 9, 30);
      if (weekday === 1) this.purchases(daysAgo);
      const transfer = DIRECT_TRANSFERS.find((t) => t.daysAgo === daysAgo) ?? IN_TRANSIT.find((t) => t.daysAgo === daysAgo);
      if (transfer) this.transfer(daysAgo, transfer.to, IN_TRANSIT.includes(transfer));
      WAREHOUSE_CODES.forEach((wh, w) => {
        if (SALES_DAYS[wh].includes(weekday)) this.issue(daysAgo, wh, REASON.sales, 14 + w, 0);
      });
      if (daysAgo === SCRAP_DAYS_AGO) this.scrapExpired(daysAgo);
      const stocktake = STOCKTAKES.find((s) => s.daysAgo === daysAgo);
      if (stocktake) this.stocktake(daysAgo, stocktake.warehouse);
    }
    return this;
  }

  // ── events ──────────────────────────────────────────────────────────────

  private opening(): void {
    const daysAgo = HISTORY_DAYS;
    const day = this.calendar.date(daysAgo);
    WAREHOUSE_CODES.forEach((wh, w) => {
      const lines: LineRaw[] = [];
      for (const item of this.stockedIn(wh)) {
        const cover = item.profile === 'slow' ? this.rng.between(70, 110) : item.profile === 'short' ? this.rng.between(25, 35) : this.rng.between(30, 50);
        const qty = maxOf(niceQty(this.demand(item, wh) * cover, item.precision), toMicro(1, 0));
        if (item.shelfLifeDays === null) {
          lines.push(this.receive(item, wh, qty, item.cost, null));
          continue;
        }
        const special = wh === SH ? this.specialLot(item, wh) : null;
        if (special) lines.push(special);
        // Stock on hand at go-live is usually from two deliveries.
        const first = this.rng.chance(0.5) ? fractionOf(qty, 0.6, item.precision) : qty;
        for (const part of [first, qty - first]) {
          if (part <= 0n) continue;
          lines.push(this.receive(item, wh, part, item.cost, this.newLot(item, addDays(day, -this.rng.int(5, 45)))));
        }
      }
      this.post(this.calendar.at(daysAgo, 9, w * 15), {
        type: 'receipt',
        reason: REASON.opening,
        warehouse: wh,
        reference: this.ref('INIT', day),
        note: '期初库存（由 Excel 台账导入）',
        lines,
      });
    });
  }

  /**
   * The batches that make the expiry report interesting: about to expire, just
   * expired, expired and scrapped. Old stock bought in bulk: `days` of demand is
   * far more than FIFO uses before the expiry, so some is always left to see.
   */
  private specialLot(item: DemoItem, wh: WarehouseCode): LineRaw | null {
    const shelfLife = item.shelfLifeDays ?? 0;
    const today = this.calendar.todayDate;
    const plan =
      item.profile === 'expiring' ? { expiry: addDays(today, this.rng.int(8, 26)), days: 250 }
      : item.profile === 'expired' ? { expiry: addDays(today, -this.rng.int(4, 9)), days: 250 }
      : item.profile === 'scrapped' ? { expiry: addDays(today, -(SCRAP_DAYS_AGO + 5)), days: 150 }
      : null;
    if (!plan) return null;
    const qty = maxOf(niceQty(this.demand(item, wh) * plan.days, item.precision), toMicro(1, 0));
    const mfg = addDays(plan.expiry, -shelfLife);
    return this.receive(item, wh, qty, item.cost, { ...this.newLot(item, mfg), expiry: plan.expiry });
  }

  private purchases(daysAgo: number): void {
    const day = this.calendar.date(daysAgo);
    const week = Math.floor(daysAgo / 7);
    WAREHOUSE_CODES.forEach((wh, w) => {
      const cycle = PURCHASE_CYCLE[wh];
      DEMO_SUPPLIERS.forEach((supplier, s) => {
        if ((week + s + cycle.offset) % cycle.everyWeeks !== 0) return;
        const at = this.calendar.at(daysAgo, 10, w * 40 + s * 5);
        if (!this.calendar.isPast(at)) return;
        const lines: LineRaw[] = [];
        for (const item of this.stockedIn(wh).filter((i) => i.supplier === supplier.code && replenished(i, daysAgo))) {
          const have = this.book.available(item.code, wh, this.home(item, wh), day);
          const share = SHARE[wh] / this.shareTotal(item);
          const reorder = microToNumber(item.reorderPoint) * share;
          if (microToNumber(have) >= reorder) continue;
          const target = reorder + this.demand(item, wh) * cycle.targetDays;
          const want = maxOf(toMicro(target - microToNumber(have), item.precision), item.moq);
          const qty = roundUpTo(want, item.pack?.factor ?? toMicro(1, 0));
          const cost = yuan(microToNumber(item.cost) * this.rng.between(0.95, 1.06));
          const lot = item.shelfLifeDays === null ? null : this.newLot(item, addDays(day, -this.rng.int(3, 30)));
          lines.push(this.receive(item, wh, qty, cost, lot));
        }
        if (lines.length === 0) return;
        this.post(at, { type: 'receipt', reason: REASON.purchase, warehouse: wh, reference: this.ref('PO', day), note: `供应商：${supplier.name}`, lines });
      });
    });
  }

  private issue(daysAgo: number, wh: WarehouseCode, reason: typeof REASON.sales | typeof REASON.requisition, hour: number, minute: number): void {
    const at = this.calendar.at(daysAgo, hour, minute);
    if (!this.calendar.isPast(at)) return;
    const day = this.calendar.date(daysAgo);
    const weight = (i: DemoItem) => (reason === REASON.requisition && i.category === 'packaging' ? 0 : pickWeight(i, daysAgo));
    const candidates = this.stockedIn(wh).filter((i) => weight(i) > 0 && this.book.available(i.code, wh, this.home(i, wh), day) > 0n);
    const [min, max] = LINES[reason === REASON.sales ? wh : REASON.requisition];
    const chosen = this.rng.sample(candidates, this.rng.int(min, max), weight);
    const lines: LineRaw[] = [];
    for (const item of chosen) {
      // Size the line so that, over all the documents that pick this item, issues add up to its demand.
      const picksPerDay = ((LINES_PER_WEEK[wh] / 7) * baseWeight(item)) / this.weightTotal[wh];
      const surge = item.profile === 'short' && daysAgo < SHORT_SINCE ? 2 : 1;
      let qty = niceQty((this.demand(item, wh) * surge * this.rng.between(0.6, 1.4)) / picksPerDay, item.precision);
      if (item.pack && qty >= item.pack.factor * 2n && this.rng.chance(0.6)) qty = roundDownTo(qty, item.pack.factor);
      if (qty <= 0n) qty = toMicro(1, 0);
      lines.push(...this.take(item, wh, qty, day).map((t) => t.line));
    }
    if (lines.length === 0) return;
    const sales = reason === REASON.sales;
    this.post(at, {
      type: 'issue',
      reason,
      warehouse: wh,
      reference: this.ref(sales ? SALES_ORDER : 'LL', day),
      note: sales ? `客户：${this.rng.pick(DEMO_CUSTOMERS).name}` : '生产部领料',
      lines,
    });
  }

  private transfer(daysAgo: number, to: WarehouseCode, inTransit: boolean): void {
    const at = this.calendar.at(daysAgo, 13, 0);
    if (!this.calendar.isPast(at)) return;
    const day = this.calendar.date(daysAgo);
    const candidates = this.items.filter(
      (i) =>
        i.profile !== 'slow' &&
        i.warehouses.includes(to) &&
        microToNumber(this.book.available(i.code, SH, this.home(i, SH), day)) > 2 * microToNumber(i.reorderPoint) * SHARE[SH],
    );
    const lines: LineRaw[] = [];
    for (const item of this.rng.sample(candidates, this.rng.int(3, 6), (i) => baseWeight(i))) {
      const have = this.book.available(item.code, SH, this.home(item, SH), day);
      let qty = fractionOf(have, this.rng.between(0.15, 0.3), item.precision);
      if (item.pack && qty >= item.pack.factor) qty = roundDownTo(qty, item.pack.factor);
      if (qty <= 0n) continue;
      const toLocation = inTransit ? TRANSIT_LOCATION : this.home(item, to);
      for (const { line, pick } of this.take(item, SH, qty, day)) {
        lines.push(inTransit ? line : { ...line, toLocation });
        this.book.add({ item: item.code, warehouse: to, location: toLocation, ...pick });
      }
    }
    if (lines.length === 0) return;
    this.post(at, {
      type: 'transfer',
      reason: REASON.replenishment,
      warehouse: SH,
      toWarehouse: to,
      ...(inTransit ? { inTransit: true } : {}),
      reference: this.ref('TR', day),
      note: `${warehouseName(SH)} → ${warehouseName(to)} 补货`,
      lines,
    });
  }

  private stocktake(daysAgo: number, wh: WarehouseCode): void {
    const at = this.calendar.at(daysAgo, 17, 0);
    if (!this.calendar.isPast(at)) return;
    const day = this.calendar.date(daysAgo);
    const candidates = this.stockedIn(wh).filter(
      (i) => i.shelfLifeDays === null && i.profile !== 'slow' && this.book.available(i.code, wh, this.home(i, wh), day) > 0n,
    );
    const lines: LineRaw[] = [];
    for (const item of this.rng.sample(candidates, this.rng.int(3, 5))) {
      const location = this.home(item, wh);
      const have = this.book.available(item.code, wh, location, day);
      const step = toMicro(item.precision > 0 ? 0.1 : 1, item.precision);
      const delta = maxOf(fractionOf(have, this.rng.between(0.005, 0.02), item.precision), step);
      if (this.rng.chance(0.35)) {
        this.book.add({ item: item.code, warehouse: wh, location, batch: null, expiry: null, qty: delta });
        lines.push({ item: item.code, qty: formatMicro(delta), location });
      } else if (delta <= have) {
        this.book.remove(item.code, wh, location, null, delta);
        lines.push({ item: item.code, qty: formatMicro(-delta), location });
      }
    }
    if (lines.length === 0) return;
    this.post(at, { type: 'adjustment', reason: REASON.stocktake, warehouse: wh, reference: this.ref('PD', day), note: '月度盘点差异调整', lines });
  }

  private scrapExpired(daysAgo: number): void {
    const day = this.calendar.date(daysAgo);
    WAREHOUSE_CODES.forEach((wh, w) => {
      const at = this.calendar.at(daysAgo, 16, w * 10);
      if (!this.calendar.isPast(at)) return;
      const lines: LineRaw[] = [];
      for (const item of this.stockedIn(wh).filter((i) => i.profile === 'scrapped')) {
        const location = this.home(item, wh);
        for (const lot of this.book.lotsOf(item.code, wh).filter((l) => l.location === location && l.expiry !== null && l.expiry < day)) {
          const qty = lot.qty;
          this.book.remove(item.code, wh, location, lot.batch, qty);
          lines.push({ item: item.code, qty: formatMicro(qty), ...(lot.batch === null ? {} : { batch: lot.batch }), location });
        }
      }
      if (lines.length === 0) return;
      this.post(at, { type: 'issue', reason: REASON.scrap, warehouse: wh, reference: this.ref('BF', day), note: '过期报废（质检部确认）', lines });
    });
  }

  // ── lines ───────────────────────────────────────────────────────────────

  private receive(item: DemoItem, wh: WarehouseCode, qty: Micro, costPerBase: Micro, lot: { batch: string; mfg: string; expiry: string } | null): LineRaw {
    const location = this.home(item, wh);
    this.book.add({ item: item.code, warehouse: wh, location, batch: lot?.batch ?? null, expiry: lot?.expiry ?? null, qty });
    const line: Omit<LineRaw, 'qty'> = {
      item: item.code,
      location,
      ...(lot ? { batch: lot.batch, mfgDate: lot.mfg, expiryDate: lot.expiry } : {}),
    };
    const packs = item.pack ? wholePacks(qty, item.pack.factor) : null;
    const perPack = item.pack ? packCost(costPerBase, item.pack.factor) : null;
    if (item.pack && packs !== null && perPack !== null) {
      return { ...line, qty: String(packs), unit: item.pack.unit, unitCost: formatMicro(perPack) };
    }
    return { ...line, qty: formatMicro(qty), unitCost: formatMicro(costPerBase) };
  }

  /** Outbound lines for up to `qty`, FIFO over the demo's own day; one line per batch taken. */
  private take(item: DemoItem, wh: WarehouseCode, qty: Micro, day: string): { line: LineRaw; pick: Pick }[] {
    const location = this.home(item, wh);
    return this.book.take(item.code, wh, location, qty, day).map((pick) => {
      const packs = item.pack ? wholePacks(pick.qty, item.pack.factor) : null;
      const line: LineRaw = {
        item: item.code,
        ...(item.pack && packs !== null ? { qty: String(packs), unit: item.pack.unit } : { qty: formatMicro(pick.qty) }),
        location,
        ...(pick.batch === null ? {} : { batch: pick.batch }),
      };
      return { line, pick };
    });
  }

  /** A new batch number for the item: its production date plus a letter (20260815A), unique per item. */
  private newLot(item: DemoItem, mfg: string): { batch: string; mfg: string; expiry: string } {
    const used = this.batchNos.get(item.code) ?? new Set<string>();
    this.batchNos.set(item.code, used);
    let suffix = 0;
    while (used.has(batchNo(mfg, suffix))) suffix++;
    const batch = batchNo(mfg, suffix);
    used.add(batch);
    return { batch, mfg, expiry: addDays(mfg, item.shelfLifeDays ?? 0) };
  }

  // ── helpers ─────────────────────────────────────────────────────────────

  private post(postedAt: Date, input: MovementRaw): void {
    this.postings.push({ postedAt, input });
  }

  private stockedIn(wh: WarehouseCode): DemoItem[] {
    return this.items.filter((i) => i.warehouses.includes(wh));
  }

  home(item: DemoItem, wh: WarehouseCode): string {
    return HOME_LOCATION[wh][item.category];
  }

  private shareTotal(item: DemoItem): number {
    return item.warehouses.reduce((s, w) => s + SHARE[w], 0);
  }

  /** The item's demand in this warehouse per day. */
  private demand(item: DemoItem, wh: WarehouseCode): number {
    return (item.dailyDemand * SHARE[wh]) / this.shareTotal(item);
  }

  /** SO-20261120-001: prefix, date, number of the day. */
  ref(prefix: string, day: string): string {
    const key = `${prefix}-${compactDate(day)}`;
    const n = (this.refs.get(key) ?? 0) + 1;
    this.refs.set(key, n);
    return `${key}-${String(n).padStart(3, '0')}`;
  }
}

const batchNo = (mfg: string, suffix: number): string => `${compactDate(mfg)}${String.fromCharCode(65 + suffix)}`;

function baseWeight(item: DemoItem): number {
  return item.profile === 'hot' ? 5 : 1;
}

/** Slow movers stop being picked SLOW_SINCE days before today: the dead stock report needs them. */
function pickWeight(item: DemoItem, daysAgo: number): number {
  if (item.profile === 'slow') return daysAgo >= SLOW_SINCE ? 0.5 : 0;
  return baseWeight(item);
}

function replenished(item: DemoItem, daysAgo: number): boolean {
  if (item.profile === 'slow') return false;
  if (item.profile === 'short') return daysAgo >= SHORT_SINCE;
  return true;
}
