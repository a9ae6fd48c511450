import { formatMicro, type Micro } from '../decimal.ts';
import type { ReservationLookup } from './batch-lookup.ts';
import type { Granted } from './plan.ts';

/** How long a carry may stand in for a lookup (ms); a carry left by an item no longer busy is dropped. */
const CARRY_MS = 200;

/** After a plan made on a carry is refused, the item's batches look up for this long (ms). */
const CARRY_PAUSE_MS = 1000;

/** Carries kept before the stale ones are swept out. */
const SWEEP_ABOVE = 64;

/**
 * What the batches of a hot item planned so far leave: the last lookup, with
 * every reservation planned since taken out of its balance rows. The next
 * batch of the item plans on it instead of looking up again: one round trip
 * per batch instead of two. Its write then checks that the stock is exactly
 * what it planned on (PlannedOn), so a carry is never trusted, only verified.
 */
export interface Carry {
  look: ReservationLookup;
  lookedUpAt: number;
}

/** The lookup as it will be once these reservations are written. */
export function advance(look: ReservationLookup, granted: readonly Granted[]): ReservationLookup {
  const taken = new Map<number, Micro>();
  for (const g of granted) for (const l of g.lines) taken.set(l.balanceId, (taken.get(l.balanceId) ?? 0n) + l.qty);
  return {
    ...look,
    slots: look.slots.map((s) => {
      const qty = taken.get(s.balanceId);
      return qty === undefined ? s : { ...s, reserved: s.reserved + qty, available: s.available - qty };
    }),
  };
}

/**
 * What a plan made on a carry rests on, for the write to verify: the items
 * and the company's active warehouses are the rows planned on, unchanged;
 * the items' storage balance rows are the ones planned on, with the same
 * on-hand and reserved (the batches before this one on the lane have
 * committed when it starts, so their reservations are in); and each row the
 * plan takes from still holds that once its lock is granted. Anything else
 * refuses the write (STOCK_CHANGED) and the batch plans again on a fresh
 * lookup. A plan on a carry is thus made on exactly the stock a lookup
 * would have found.
 */
export interface PlannedOn {
  expect: { balance_id: number; on_hand: string; reserved: string }[];
  items: { id: number; v: string }[];
  warehouses: { id: number; v: string }[];
  slots: { id: number; on_hand: string; reserved: string }[];
}

export function plannedOn(look: ReservationLookup, granted: readonly Granted[]): PlannedOn {
  const used = new Set(granted.flatMap((g) => g.lines.map((l) => l.balanceId)));
  return {
    expect: look.slots.filter((s) => used.has(s.balanceId)).map((s) => ({ balance_id: s.balanceId, on_hand: formatMicro(s.onHand), reserved: formatMicro(s.reserved) })),
    items: look.versions.items,
    warehouses: look.versions.warehouses,
    slots: look.slots.map((s) => ({ id: s.balanceId, on_hand: formatMicro(s.onHand), reserved: formatMicro(s.reserved) })),
  };
}

/** Unit factors are not verified by the write, so a carry serves only requests in base units. */
export function inBaseUnits(g: Granted): boolean {
  return g.resolved.request.input.lines.every((l, i) => l.unit === undefined || l.unit === g.resolved.lines[i]?.item.unit);
}

/**
 * The carries of one ReservationService, per single-item key. A carry older
 * than its lifetime is never handed out; after a refused one the key goes
 * without for CARRY_PAUSE_MS; stale entries are swept once there are many.
 */
export class CarryBook {
  private readonly carries = new Map<string, Carry>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(private readonly carryMs = CARRY_MS) {}

  /** The carry a batch may plan on, if the key has one young enough. */
  get(key: string): Carry | undefined {
    const carry = this.carries.get(key);
    if (carry && performance.now() - carry.lookedUpAt > this.carryMs) {
      this.carries.delete(key);
      return undefined;
    }
    return carry;
  }

  /** What the key's next batch plans on, unless carries are paused for it. */
  keep(key: string, carry: Carry): void {
    if (this.paused(key)) return;
    this.carries.set(key, carry);
    if (this.carries.size > SWEEP_ABOVE) this.sweep();
  }

  drop(key: string): void {
    this.carries.delete(key);
  }

  /** A write refused a plan made on the key's carry: another process reserves the item too. */
  refused(key: string): void {
    this.carries.delete(key);
    this.pausedUntil.set(key, performance.now() + CARRY_PAUSE_MS);
    if (this.pausedUntil.size > SWEEP_ABOVE) this.sweep();
  }

  private paused(key: string): boolean {
    const until = this.pausedUntil.get(key);
    if (until === undefined) return false;
    if (performance.now() < until) return true;
    this.pausedUntil.delete(key);
    return false;
  }

  private sweep(): void {
    const now = performance.now();
    for (const [key, carry] of this.carries) if (now - carry.lookedUpAt > this.carryMs) this.carries.delete(key);
    for (const [key, until] of this.pausedUntil) if (now >= until) this.pausedUntil.delete(key);
  }
}
