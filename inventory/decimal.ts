/**
 * Exact decimal arithmetic for quantities and costs: values are bigints scaled
 * by 10^6 (the ledger's six decimals). Floats never touch stock.
 */
export type Micro = bigint;

export const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);
const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;
const ZERO_DIGIT = '0'.charCodeAt(0);

/** Parses "12.5", 12.5 or "-3" into micro-units; null when not a plain decimal or finer than 6 places. */
export function parseMicro(input: string | number): Micro | null {
  const text = typeof input === 'number' ? numberToPlain(input) : input.trim();
  if (text === null) return null;
  const m = DECIMAL_RE.exec(text);
  if (!m) return null;
  const [, sign, int = '0', frac = ''] = m;
  // Only a fraction longer than six places needs its trailing zeros looked at (PostgreSQL's
  // numeric(…, 6) text never does); the rest is one BigInt of the digits. Stock answers
  // parse every balance row, so this is on the hot path.
  let digits = frac;
  if (digits.length > SCALE) {
    digits = digits.replace(/0+$/, '');
    if (digits.length > SCALE) return null;
  }
  const value = BigInt(int + digits.padEnd(SCALE, '0'));
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
  // Slicing the digits is several times cheaper than BigInt division and remainder.
  const digits = (negative ? -value : value).toString().padStart(SCALE + 1, '0');
  const int = digits.slice(0, -SCALE);
  let end = digits.length;
  while (end > int.length && digits.charCodeAt(end - 1) === ZERO_DIGIT) end--;
  const frac = digits.slice(int.length, end);
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
