import type { Database } from '../../db/client.ts';
import { formatMicro, parseMicro } from '../decimal.ts';
import { NotFoundError } from '../errors.ts';
import type { Person } from '../people.ts';
import { IssueList, parseInput } from '../validate.ts';
import { requireCounter, requireWarehouse, StocktakeClosedError } from './access.ts';
import { slotKey } from './count-entries.ts';
import { countInputSchema } from './input.ts';
import { loadHeader, loadSheet, type StocktakeHeader } from './sheet.ts';

export interface CountAnswer {
  entryId: string;
  /** recorded: counted now; repeated: this entry id was already recorded (a resend), nothing added. */
  status: 'recorded' | 'repeated';
  /** Why it cannot be placed yet (unknown barcode, missing batch …), in English and Chinese; it is kept and blocks submit until fixed or voided. */
  problem: { message: string; zh: string } | null;
  /** The slot it counts and that slot's counted total after this call. */
  slot: { item: string; name: string; location: string; batch: string | null; counted: string } | null;
}

/**
 * Records counts. Entries are kept as scanned even when they cannot be placed:
 * an unknown barcode is goods on the shelf, and losing the scan would lose
 * them; submit lists them until the item exists or the entry is voided. Shape
 * errors (not a number, a negative total set, an entry id reused for other
 * content) refuse the whole call, all listed, nothing saved.
 */
export async function recordCounts(db: Database, user: Person, id: number, raw: unknown): Promise<{ stocktake: StocktakeHeader; entries: CountAnswer[] }> {
  requireCounter(user);
  const input = parseInput(countInputSchema, raw);
  const issues = new IssueList();
  const rows = input.entries.map((e, i) => {
    const qty = parseMicro(e.qty);
    if (qty === null) issues.add(`entries[${i}].qty`, `"${e.qty}" is not a decimal number with at most 6 decimal places`, `「${e.qty}」不是有效数量（最多 6 位小数）`);
    else if (e.mode === 'set' && qty < 0n) issues.add(`entries[${i}].qty`, 'a count cannot be below 0', '实盘数不能小于 0');
    return { entryId: e.entryId, item: e.item, location: e.location ?? null, batch: e.batch ?? null, qty: formatMicro(qty ?? 0n), mode: e.mode ?? 'add' };
  });
  const seen = new Map<string, string>();
  rows.forEach((r, i) => {
    const content = sameContent(r);
    if (seen.has(r.entryId) && seen.get(r.entryId) !== content) issues.add(`entries[${i}].entryId`, `entry id ${r.entryId} is used twice in this call for different counts`, `记录号 ${r.entryId} 在本次提交中用于两条不同的盘点`);
    seen.set(r.entryId, content);
  });
  issues.throwIfAny();

  const fresh = await db.sql.begin(async (tx) => {
    // Share lock: counters do not wait for each other, but submit and cancel (update lock) wait for them and they for it.
    const h = await loadHeader(tx, user.companyId, id, 'share');
    requireWarehouse(user, { id: h.warehouseId, code: h.warehouseCode });
    if (h.status !== 'counting') throw new StocktakeClosedError(h.stocktakeNo, h.status, 'counted');
    const ids = [...seen.keys()];
    const before = await tx<{ entry_id: string; item: string; location: string | null; batch: string | null; qty: string; mode: 'add' | 'set' }[]>`
      select entry_id, item, location, batch, qty::text, mode from stocktake_entries where stocktake_id = ${id} and entry_id = any(${ids})`;
    const known = new Map(before.map((b) => [b.entry_id, sameContent({ ...b, qty: formatMicro(parseMicro(b.qty) ?? 0n) })]));
    rows.forEach((r, i) => {
      const was = known.get(r.entryId);
      if (was !== undefined && was !== sameContent(r)) issues.add(`entries[${i}].entryId`, `entry id ${r.entryId} was already recorded with a different count`, `记录号 ${r.entryId} 已记录为另一条盘点`);
    });
    issues.throwIfAny();
    const recorded = new Set<string>();
    for (const r of rows) {
      if (known.has(r.entryId) || recorded.has(r.entryId)) continue;
      const [ins] = await tx`
        insert into stocktake_entries (company_id, stocktake_id, entry_id, item, location, batch, qty, mode, counted_by)
        values (${user.companyId}, ${id}, ${r.entryId}, ${r.item}, ${r.location}, ${r.batch}, ${r.qty}, ${r.mode}, ${user.employeeId})
        on conflict (stocktake_id, entry_id) do nothing
        returning 1`;
      if (ins) recorded.add(r.entryId);
    }
    return recorded;
  });

  const h = await loadHeader(db.sql, user.companyId, id);
  const sheet = await loadSheet(db.sql, user.companyId, h);
  const byEntry = new Map(sheet.entries.map((e) => [e.entryId, e]));
  const countedBySlot = new Map(sheet.lines.map((l) => [slotKey(l), l.counted]));
  const answers: CountAnswer[] = [...seen.keys()].map((entryId) => {
    const e = byEntry.get(entryId);
    const status = fresh.has(entryId) ? 'recorded' : 'repeated';
    if (!e || !e.resolution.ok) {
      const problems = e && !e.resolution.ok ? e.resolution.problems : [];
      const problem = problems.length ? { message: problems.map((p) => p.message).join('; '), zh: problems.map((p) => p.zh).join('；') } : null;
      return { entryId, status, problem, slot: null };
    }
    const s = e.resolution.slot;
    const item = sheet.items.get(s.itemId);
    return {
      entryId,
      status,
      problem: null,
      slot: {
        item: item?.code ?? '',
        name: item?.name ?? '',
        location: sheet.locationCodes.get(s.locationId) ?? '',
        batch: s.batchId === null ? null : (sheet.batches.get(s.batchId)?.batchNo ?? null),
        counted: formatMicro(countedBySlot.get(slotKey(s)) ?? 0n),
      },
    };
  });
  return { stocktake: h, entries: answers };
}

/** Takes a mis-scan back. Voiding twice is harmless; the entry stays visible, struck out. */
export async function voidCount(db: Database, user: Person, id: number, entryId: string): Promise<void> {
  requireCounter(user);
  await db.sql.begin(async (tx) => {
    const h = await loadHeader(tx, user.companyId, id, 'share');
    requireWarehouse(user, { id: h.warehouseId, code: h.warehouseCode });
    if (h.status !== 'counting') throw new StocktakeClosedError(h.stocktakeNo, h.status, 'counted');
    const [row] = await tx`select 1 from stocktake_entries where stocktake_id = ${id} and entry_id = ${entryId}`;
    if (!row) throw new NotFoundError('document', `count entry ${entryId}`);
    await tx`
      update stocktake_entries set voided_at = now(), voided_by = ${user.employeeId}
      where stocktake_id = ${id} and entry_id = ${entryId} and voided_at is null`;
  });
}

const sameContent = (r: { item: string; location: string | null; batch: string | null; qty: string; mode: string }) =>
  JSON.stringify([r.item, r.location, r.batch, r.qty, r.mode]);
