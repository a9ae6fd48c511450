import type { Database, Sql } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import { DuplicateError, NotFoundError } from '../errors.ts';
import { barcodeRace, isBarcodeClash, type ItemInput } from '../master/items.ts';
import { initialsOf } from '../pinyin.ts';
import { chunks, existingCodes } from './codes.ts';
import { breathe, type Progress } from './kind.ts';

const CHUNK = 5000;

/** Loads what checkItems needs. */
export async function itemFacts(sql: Sql, companyId: number, rows: readonly ItemInput[]) {
  const [existing, suppliers, barcodes] = await Promise.all([
    existingCodes(sql, 'items', companyId, rows.map((r) => r.code)),
    existingCodes(sql, 'suppliers', companyId, rows.flatMap((r) => r.defaultSupplier ?? [])),
    barcodeOwners(sql, companyId, rows.flatMap((r) => r.barcode ?? [])),
  ]);
  return { existingCodes: existing, suppliers, barcodeOwners: barcodes };
}

/** Which of these barcodes items of the company already carry: barcode → item code. */
async function barcodeOwners(sql: Sql, companyId: number, barcodes: readonly string[]): Promise<Map<string, string>> {
  const list = [...new Set(barcodes)];
  if (list.length === 0) return new Map();
  const rows = await sql<{ barcode: string; code: string }[]>`
    select barcode, code from items
    where company_id = ${companyId} and barcode in (select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb))`;
  return new Map(rows.map((r) => [r.barcode, r.code]));
}

/**
 * Inserts the items as createItem would (same columns, defaults and empty
 * valuation), several thousand per statement, all in one transaction. A code
 * or barcode taken since the preview (a concurrent create) refuses the whole
 * import.
 */
export async function writeItems(db: Database, actor: Actor, rows: readonly ItemInput[], progress: Progress): Promise<void> {
  try {
    await insertItems(db, actor, rows, progress);
  } catch (err) {
    // A barcode given to another item since the preview refuses the whole import, in words.
    if (isBarcodeClash(err)) throw barcodeRace(rows.find((r) => r.barcode && String((err as { detail?: string }).detail ?? '').includes(r.barcode))?.barcode);
    throw err;
  }
}

async function insertItems(db: Database, actor: Actor, rows: readonly ItemInput[], progress: Progress): Promise<void> {
  await db.sql.begin(async (tx) => {
    const sql = tx as unknown as Sql;
    const supplierIds = new Map<string, number>();
    const wanted = [...new Set(rows.flatMap((r) => r.defaultSupplier ?? []))];
    if (wanted.length > 0) {
      const found = await sql<{ id: number; code: string }[]>`
        select id, code from suppliers where company_id = ${actor.companyId} and code in (select jsonb_array_elements_text(${JSON.stringify(wanted)}::jsonb))`;
      for (const s of found) supplierIds.set(s.code, s.id);
      const gone = wanted.find((c) => !supplierIds.has(c));
      if (gone) throw new NotFoundError('supplier', gone);
    }
    let done = 0;
    for (const chunk of chunks(rows, CHUNK)) {
      const records = chunk.map((i) => ({
        code: i.code,
        name: i.name,
        initials: initialsOf(i.name),
        spec: i.spec ?? null,
        unit: i.unit,
        precision: i.unitPrecision ?? 0,
        barcode: i.barcode ?? null,
        category: i.category ?? null,
        tracking: i.tracking ?? 'none',
        shelf: i.shelfLifeDays ?? null,
        safety: i.safetyStock ?? '0',
        reorder: i.reorderPoint ?? null,
        lead: i.leadTimeDays ?? null,
        moq: i.moq ?? null,
        pack: i.packSize ?? null,
        supplier: i.defaultSupplier === undefined ? null : (supplierIds.get(i.defaultSupplier) ?? null),
        cost: i.unitCost ?? '0',
        negative: i.allowNegative ?? false,
      }));
      const inserted = await sql<{ id: number; code: string }[]>`
        insert into items (company_id, code, name, name_initials, spec, unit, unit_precision, barcode, category, tracking, shelf_life_days,
                           safety_stock, reorder_point, lead_time_days, moq, pack_size, default_supplier_id, unit_cost, allow_negative)
        select ${actor.companyId}, r.code, r.name, r.initials, r.spec, r.unit, r.precision, r.barcode, r.category, r.tracking, r.shelf,
               r.safety, r.reorder, r.lead, r.moq, r.pack, r.supplier, r.cost, r.negative
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(
          code text, name text, initials text, spec text, unit text, precision smallint, barcode text, category text, tracking text,
          shelf int, safety numeric, reorder numeric, lead int, moq numeric, pack numeric, supplier bigint, cost numeric, negative boolean)
        on conflict (company_id, code) do nothing
        returning id, code`;
      if (inserted.length < chunk.length) {
        const got = new Set(inserted.map((r) => r.code));
        throw new DuplicateError('item', chunk.find((r) => !got.has(r.code))?.code ?? '?');
      }
      const ids = inserted.map((r) => r.id);
      await sql`insert into item_valuations (item_id, company_id) select unnest(${sql.array(ids)}::bigint[]), ${actor.companyId}`;
      const idOf = new Map(inserted.map((r) => [r.code, r.id]));
      const units = chunk.flatMap((i) => (i.units ?? []).map((u) => ({ item: idOf.get(i.code), unit: u.unit, factor: u.factor })));
      if (units.length > 0) {
        await sql`
          insert into item_units (company_id, item_id, unit, factor)
          select ${actor.companyId}, u.item, u.unit, u.factor
          from jsonb_to_recordset(${JSON.stringify(units)}::jsonb) as u(item bigint, unit text, factor numeric)`;
      }
      done += chunk.length;
      progress(done);
      await breathe();
    }
  });
}
