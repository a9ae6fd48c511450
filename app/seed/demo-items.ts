import type { z } from 'zod';
import { formatMicro, parseMicro, type Micro } from '../../inventory/decimal.ts';
import type { itemInputSchema } from '../../inventory/master/items.ts';
import { CODE_PREFIX, FAMILIES, FEATURED_ITEM, type Family, type Profile, type Variant } from './demo-catalogue.ts';
import { CATEGORIES, DEMO_SUPPLIERS, SH, SZ, SZN, type CategoryKey, type WarehouseCode } from './demo-data.ts';
import { mulberry32, seedOf } from './prng.ts';
import { niceQty, roundUpTo, toMicro } from './quantity.ts';

type ItemRaw = z.input<typeof itemInputSchema>;

/** An item of the demo: what createItem gets, plus how the history should move it. */
export interface DemoItem {
  code: string;
  name: string;
  category: CategoryKey;
  unit: string;
  precision: number;
  /** The unit goods are bought in (盒 of 100 个), if any. */
  pack: { unit: string; factor: Micro } | null;
  /** Reference cost per base unit. */
  cost: Micro;
  /** Company-wide consumption per day, base units. */
  dailyDemand: number;
  shelfLifeDays: number | null;
  leadTimeDays: number;
  reorderPoint: Micro;
  moq: Micro;
  supplier: string;
  warehouses: WarehouseCode[];
  profile: Profile;
  input: ItemRaw;
}

/** Days of demand kept as safety stock. */
const SAFETY_DAYS = 7;
const TRACKED = 'batch';
/** 692 = a Chinese GS1 prefix; the rest is a fictitious company number. */
const BARCODE_PREFIX = '6923456';


export function buildCatalogue(): DemoItem[] {
  const rng = mulberry32(seedOf('demo-catalogue'));
  const next: Partial<Record<CategoryKey, number>> = {};
  const items: DemoItem[] = [];
  for (const family of FAMILIES) {
    for (const variant of family.variants) {
      const prefix = CODE_PREFIX[family.category];
      const n = next[family.category] ?? prefix.first;
      next[family.category] = n + 1;
      items.push(buildItem(family, variant, `${prefix.letter}-${n}`, items.length + 1, rng));
    }
  }
  return items;
}

function buildItem(family: Family, [name, spec, costText, profile = 'normal']: Variant, code: string, serial: number, rng: ReturnType<typeof mulberry32>): DemoItem {
  const precision = family.precision ?? 0;
  const supplier = DEMO_SUPPLIERS.find((s) => s.code === family.supplier);
  if (!supplier) throw new Error(`demo catalogue: unknown supplier ${family.supplier}`);
  const [packUnit, packFactor] = family.units?.[0] ?? [];
  const pack = packUnit && packFactor ? { unit: packUnit, factor: micro(packFactor) } : null;
  const cost = micro(costText);

  const weight = profile === 'hot' ? 3 : profile === 'slow' ? 0.4 : 1;
  const dailyDemand = family.demand * weight * rng.between(0.6, 1.4);
  const safetyStock = niceQty(dailyDemand * SAFETY_DAYS, precision);
  const reorderPoint = niceQty(dailyDemand * (SAFETY_DAYS + supplier.leadTimeDays), precision);
  // At least a pack, or about a week's use when that is more: what suppliers accept per order.
  const weekly = niceQty(dailyDemand * 7, precision);
  const moq = pack ? roundUpTo(weekly, pack.factor) : weekly > 0n ? weekly : toMicro(1, 0);

  const warehouses: WarehouseCode[] = [SH];
  // The chat examples ask about it in every warehouse.
  const everywhere = name === FEATURED_ITEM;
  if (everywhere || rng.chance(family.alsoIn.SZ)) warehouses.push(SZ);
  if (everywhere || rng.chance(family.alsoIn.SZN)) warehouses.push(SZN);

  return {
    code,
    name,
    category: family.category,
    unit: family.unit,
    precision,
    pack,
    cost,
    dailyDemand,
    shelfLifeDays: family.shelfLifeDays ?? null,
    leadTimeDays: supplier.leadTimeDays,
    reorderPoint,
    moq,
    supplier: supplier.code,
    warehouses,
    profile,
    input: {
      code,
      name,
      spec,
      unit: family.unit,
      ...(precision > 0 ? { unitPrecision: precision } : {}),
      barcode: ean13(`${BARCODE_PREFIX}${String(serial).padStart(5, '0')}`),
      category: CATEGORIES[family.category],
      ...(family.shelfLifeDays ? { tracking: TRACKED, shelfLifeDays: family.shelfLifeDays } : {}),
      safetyStock: formatMicro(safetyStock),
      reorderPoint: formatMicro(reorderPoint),
      leadTimeDays: supplier.leadTimeDays,
      moq: formatMicro(moq),
      packSize: formatMicro(pack?.factor ?? toMicro(1, 0)),
      defaultSupplier: supplier.code,
      unitCost: formatMicro(cost),
      units: (family.units ?? []).map(([unit, factor]) => ({ unit, factor })),
    },
  };
}

/** Appends the EAN-13 check digit to 12 digits. */
export function ean13(twelve: string): string {
  const sum = [...twelve].reduce((s, d, i) => s + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${twelve}${(10 - (sum % 10)) % 10}`;
}

function micro(text: string): Micro {
  const v = parseMicro(text);
  if (v === null) throw new Error(`demo catalogue: not a decimal: ${text}`);
  return v;
}
