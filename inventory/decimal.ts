/**
 * Exact decimal arithmetic for quantities and costs: values are bigints scaled
 * by 10^6 (the ledger's six decimals). Floats never touch stock.
 */
export type Micro = bigint;

export const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses "12.5", 12.5 or "-3" into micro-units; null when not a plain decimal or finer than 6 places. */
export function parseMicro(input: string | number): Micro | null {
  const text = typeof input === 'number' ? numberToPlain(input) : input.trim();
  if (text === null) return null;
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const [, sign, int = '0', frac = ''] = m;
  const trimmed = frac.replace(/0+$/, '');
  if (trimmed.length > SCALE) return null;
  const value = BigInt(int) * FACTOR + BigInt(trimmed.padEnd(SCALE, '0') || '0');
  return sign === '-' ? -value : value;
}

function numberToPlain(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  // toString gives exponents for tiny/huge numbers; toFixed(6) is exact enough
  // only when the number already has ≤ 6 decimals, which parseMicro then checks.
  const s = String(n);
  return s.includes('e') ? n.toFixed(SCALE + 2) : s;
}

/** Formats micro-units as a plain decimal string without trailing zeros: 12.5, 3, -0.25. */
export function formatMicro(value: Micro): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const int = abs / FACTOR;
  const frac = (abs % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
}

/** Decimal places actually used by a value (0–6). */
export function decimalPlaces(value: Micro): number {
  const frac = (value < 0n ? -value : value) % FACTOR;
  if (frac === 0n) return 0;
  return SCALE - (frac.toString().padStart(SCALE, '0').match(/0*$/)?.[0].length ?? 0);
}

/** a × b for two micro values; null when the exact product needs more than 6 decimals. */
export function mulMicro(a: Micro, b: Micro): Micro | null {
  const product = a * b;
  return product % FACTOR === 0n ? product / FACTOR : null;
}

export const ZERO: Micro = 0n;
export const minMicro = (a: Micro, b: Micro): Micro => (a < b ? a : b);
export const sumMicro = (values: Iterable<Micro>): Micro => {
  let total = 0n;
  for (const v of values) total += v;
  return total;
};

/** A quantity from PostgreSQL (numeric(20,6) text) as people read it: "80.000000" → "80". */
export const plainQuantity = (text: string): string => roundDecimalText(text, SCALE);

/**
 * Rounds a decimal string of any length (a money total from PostgreSQL)
 * half away from zero to `places` decimals, exactly, returning trimmed text.
 */
export function roundDecimalText(text: string, places: number): string {
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const [, sign, int = '0', frac = ''] = m;
  const keep = BigInt(int + frac.slice(0, places).padEnd(places, '0'));
  const roundUp = (frac[places] ?? '0') >= '5' ? 1n : 0n;
  const scaled = keep + roundUp;
  const unit = 10n ** BigInt(places);
  const fracText = (scaled % unit).toString().padStart(places, '0').replace(/0+$/, '');
  const isZero = scaled === 0n;
  return `${sign === '-' && !isZero ? '-' : ''}${scaled / unit}${fracText ? `.${fracText}` : ''}`;
}
