const DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 10000 };

/** 五 → 5, 十二 → 12, 二十 → 20, 一百零五 → 105, 两千 → 2000; null when it is not a Chinese numeral. */
export function chineseNumber(s: string): number | null {
  if (!/^[零一二两三四五六七八九十百千万]+$/.test(s)) return null;
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch in DIGITS) {
      digit = DIGITS[ch] ?? 0;
      continue;
    }
    const unit = UNITS[ch] ?? 1;
    if (unit === 10000) {
      total += (section + digit) * unit;
      section = 0;
    } else {
      section += (digit || (unit === 10 ? 1 : 0)) * unit;
    }
    digit = 0;
  }
  return total + section + digit;
}

export const QTY_UNITS = ['千克', '公斤', '个', '只', '件', '箱', '盒', '包', '盘', '卷', '米', '瓶', '桶', '张', '套', '台', '袋', '根', '片', '支', '条', 'kg', 'pcs'] as const;

export interface Quantity {
  qty: string;
  unit: string | null;
  start: number;
  end: number;
}

const UNIT_RE = QTY_UNITS.join('|');
/**
 * A quantity: digits (at most 7 before the point: longer is a barcode) or a
 * Chinese numeral followed by a unit. Digits inside a code (A-1001, M6) are
 * not quantities.
 */
const QTY_RE = new RegExp(
  `(?<![A-Za-z0-9_.-])(\\d{1,7}(?:\\.\\d+)?)(?:\\s*(${UNIT_RE})|(?![A-Za-z0-9_.-]))|([零一二两三四五六七八九十百千万]+)\\s*(${UNIT_RE})`,
  'gi',
);

export function findQuantity(text: string): Quantity | null {
  for (const m of text.matchAll(QTY_RE)) {
    if (m[1] !== undefined) return { qty: m[1], unit: m[2] ?? null, start: m.index, end: m.index + m[0].length };
    const n = chineseNumber(m[3] ?? '');
    if (n !== null && n > 0) return { qty: String(n), unit: m[4] ?? null, start: m.index, end: m.index + m[0].length };
  }
  return null;
}
