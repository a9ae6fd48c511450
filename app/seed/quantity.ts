import { mulMicro, type Micro } from '../../inventory/decimal.ts';

/**
 * The demo draws amounts as floats (demand × days × jitter) and turns them into
 * exact decimals here, once; from then on everything is Micro, like the ledger.
 */
const ONE = 1_000_000n;

/** Rounds half up to `places` decimals (0 for 个, 3 for kg, 4 for yuan). */
export function toMicro(x: number, places: number): Micro {
  const step = 10 ** places;
  return BigInt(Math.round(x * step)) * (ONE / BigInt(step));
}

/** A quantity as people count it: whole tens or hundreds when large. */
export function niceQty(x: number, precision: number): Micro {
  const step = x >= 1000 ? 100 : x >= 100 ? 10 : 0;
  return step === 0 ? toMicro(x, precision) : toMicro(Math.round(x / step) * step, 0);
}

export const yuan = (x: number): Micro => toMicro(x, 4);

export function roundUpTo(q: Micro, step: Micro): Micro {
  if (step <= 0n) return q;
  return ((q + step - 1n) / step) * step;
}

export function roundDownTo(q: Micro, step: Micro): Micro {
  if (step <= 0n) return q;
  return (q / step) * step;
}

export const microToNumber = (q: Micro): number => Number(q) / Number(ONE);

export const minOf = (a: Micro, b: Micro): Micro => (a < b ? a : b);
export const maxOf = (a: Micro, b: Micro): Micro => (a > b ? a : b);

/** q × (a fraction given as a float), rounded down to the item's precision. */
export function fractionOf(q: Micro, fraction: number, precision: number): Micro {
  const scaled = toMicro(microToNumber(q) * fraction, precision);
  return minOf(maxOf(scaled, 0n), q);
}

/**
 * The whole number of packs in q, when q is exactly that (240 个 = 2.4 盒 is not);
 * documents then say 3 盒 rather than 300 个, as a warehouse would write it.
 */
export function wholePacks(q: Micro, factor: Micro): bigint | null {
  if (factor <= ONE || q < factor || q % factor !== 0n) return null;
  return q / factor;
}

/** Cost per pack from cost per base unit, or null when it would need more than 6 decimals. */
export const packCost = (costPerBase: Micro, factor: Micro): Micro | null => mulMicro(costPerBase, factor);
