import { itemInputSchema, type ItemInput } from '../master/items.ts';
import { parseMicro } from '../decimal.ts';
import type { Locale } from '../errors.ts';
import { integer, optional, splitList, yesNo } from './cells.ts';
import type { Column } from './columns.ts';
import { parseWith, repeats, type Cells, type ParsedRow, type RowProblem, type RowResult } from './kind.ts';
import { say, WHAT } from './messages.ts';

const note = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/** The items sheet: one row per item, the fields of itemInputSchema. */
export const ITEM_COLUMNS = [
  { key: 'code', zh: '编码', en: 'code', required: true, example: 'M6-20', note: note('物料编码，唯一；字母、数字和 _ . - / #', 'Item code, unique; letters, digits and _ . - / #') },
  { key: 'name', zh: '名称', en: 'name', required: true, example: '内六角螺丝 M6×20', note: note('最多 128 字', 'Up to 128 characters') },
  { key: 'spec', zh: '规格', en: 'spec', example: 'M6×20 不锈钢', note: note('可空', 'Optional') },
  { key: 'unit', zh: '单位', en: 'unit', required: true, example: '个', note: note('基本单位：个、kg、卷…', 'Base unit: pcs, kg, roll …') },
  { key: 'unitPrecision', zh: '小数位数', en: 'decimal places', example: '0', note: note('基本单位允许的小数位数 0–6，默认 0', 'Decimal places allowed in the base unit, 0–6; 0 when empty') },
  { key: 'barcode', zh: '条码', en: 'barcode', example: '6901234567890', note: note('可空', 'Optional') },
  { key: 'category', zh: '分类', en: 'category', example: '紧固件', note: note('可空', 'Optional') },
  { key: 'tracking', zh: '追踪方式', en: 'tracking', example: '无', note: note('无 / 批次 / 序列号（none / batch / serial），默认 无', 'none / batch / serial (无 / 批次 / 序列号); none when empty') },
  { key: 'shelfLifeDays', zh: '保质期(天)', en: 'shelf life (days)', example: '', note: note('正整数，可空', 'Whole number > 0, optional') },
  { key: 'safetyStock', zh: '安全库存', en: 'safety stock', example: '100', note: note('≥ 0，默认 0', '≥ 0; 0 when empty') },
  { key: 'reorderPoint', zh: '再订货点', en: 'reorder point', example: '150', note: note('≥ 0，可空', '≥ 0, optional') },
  { key: 'leadTimeDays', zh: '采购提前期(天)', en: 'lead time (days)', example: '7', note: note('0–3650 的整数，可空', 'Whole number 0–3650, optional') },
  { key: 'moq', zh: '最小起订量', en: 'MOQ', example: '500', note: note('≥ 0，可空', '≥ 0, optional') },
  { key: 'packSize', zh: '包装数量', en: 'pack size', example: '100', note: note('≥ 0，可空', '≥ 0, optional') },
  { key: 'defaultSupplier', zh: '默认供应商编码', en: 'default supplier code', example: '', note: note('须为已有供应商的编码，可空', 'Code of an existing supplier, optional') },
  { key: 'unitCost', zh: '单位成本', en: 'unit cost', example: '0.35', note: note('参考成本（每基本单位），≥ 0，默认 0', 'Reference cost per base unit, ≥ 0; 0 when empty') },
  { key: 'allowNegative', zh: '允许负库存', en: 'allow negative stock', example: '否', note: note('是 / 否，默认 否', 'yes / no; no when empty') },
  { key: 'units', zh: '辅助单位', en: 'alternate units', example: '盒=100, 箱=2400', note: note('单位=系数，多个用逗号分隔：箱=24 即 1 箱 = 24 个基本单位', 'unit=factor, comma-separated: box=24 means 1 box = 24 base units') },
] as const satisfies readonly Column[];

const TRACKING_WORDS: Record<string, string> = { 无: 'none', 批次: 'batch', 序列号: 'serial' };

/** "箱=24, 盒=6" → [{ unit: 箱, factor: 24 }, …]; null when it does not read so. */
export function parseUnits(text: string): { unit: string; factor: string }[] | null {
  const out: { unit: string; factor: string }[] = [];
  for (const part of splitList(text)) {
    const m = /^(.+?)\s*[=＝:：]\s*(\S+)$/.exec(part);
    if (!m?.[1] || !m[2]) return null;
    out.push({ unit: m[1].trim(), factor: m[2] });
  }
  return out;
}

/** One row → the input createItem takes, checked by its schema. */
export function parseItemRow(cells: Cells, locale: Locale): RowResult<ItemInput> {
  const units = optional(cells.units);
  const parsedUnits = units === undefined ? undefined : parseUnits(units);
  if (parsedUnits === null) return { problems: [{ key: 'units', message: say(locale, 'unitsFormat') }] };
  const tracking = optional(cells.tracking);
  const int = (k: string) => {
    const v = optional(cells[k]);
    return v === undefined ? undefined : integer(v);
  };
  const allowNegative = optional(cells.allowNegative);
  const input = {
    code: optional(cells.code),
    name: optional(cells.name),
    spec: optional(cells.spec),
    unit: optional(cells.unit),
    unitPrecision: int('unitPrecision'),
    barcode: optional(cells.barcode),
    category: optional(cells.category),
    tracking: tracking === undefined ? undefined : (TRACKING_WORDS[tracking] ?? tracking.toLowerCase()),
    shelfLifeDays: int('shelfLifeDays'),
    safetyStock: optional(cells.safetyStock),
    reorderPoint: optional(cells.reorderPoint),
    leadTimeDays: int('leadTimeDays'),
    moq: optional(cells.moq),
    packSize: optional(cells.packSize),
    defaultSupplier: optional(cells.defaultSupplier),
    unitCost: optional(cells.unitCost),
    allowNegative: allowNegative === undefined ? undefined : yesNo(allowNegative),
    units: parsedUnits,
  };
  const result = parseWith(itemInputSchema, input, locale, (field) => field);
  if ('problems' in result) return result;
  // The same rule createItem applies after its schema.
  if ((result.value.units ?? []).some((u) => u.unit === result.value.unit || parseMicro(u.factor) === 0n)) {
    return { problems: [{ key: 'units', message: say(locale, 'unitClash') }] };
  }
  return result;
}

/** What the database already holds, as far as the file's rows are concerned. */
export interface ItemFacts {
  existingCodes: ReadonlySet<string>;
  suppliers: ReadonlySet<string>;
  /** Barcodes items already carry → those items' codes. */
  barcodeOwners: ReadonlyMap<string, string>;
}

/** Codes and barcodes repeated in the file or already taken, suppliers that do not exist. */
export function checkItems(rows: readonly ParsedRow<ItemInput>[], facts: ItemFacts, locale: Locale): RowProblem[] {
  const problems: RowProblem[] = (['code', 'barcode'] as const).flatMap((key) =>
    repeats(rows, (v) => v[key]).map((d) => ({ row: d.row, key, message: say(locale, 'duplicateInFile', { value: d.value, row: d.first }) })),
  );
  for (const { row, value } of rows) {
    if (facts.existingCodes.has(value.code)) problems.push({ row, key: 'code', message: say(locale, 'exists', { value: value.code }) });
    const owner = value.barcode === undefined ? undefined : facts.barcodeOwners.get(value.barcode);
    if (owner !== undefined) problems.push({ row, key: 'barcode', message: say(locale, 'barcodeTaken', { value: value.barcode ?? '', item: owner }) });
    if (value.defaultSupplier !== undefined && !facts.suppliers.has(value.defaultSupplier)) {
      problems.push({ row, key: 'defaultSupplier', message: say(locale, 'unknown', { ...WHAT.supplier, value: value.defaultSupplier }) });
    }
  }
  return problems;
}
