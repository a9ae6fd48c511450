import type { Database } from '../db/client.ts';
import { requireScope, type Actor } from './actor.ts';
import { formatMicro, parseMicro, type Micro } from './decimal.ts';
import { NotFoundError, TransferNotInTransitError } from './errors.ts';
import { requestHash } from './hash.ts';
import { loadItems, loadSerials, loadWarehouses, type ItemInfo, type SerialRow } from './lookup.ts';
import { transferReceiptInputSchema } from './movement-input.ts';
import type { MovementPlan, PlannedMove, SerialMove } from './plan-movement.ts';
import { toBaseQty } from './plan-movement.ts';
import { findReplay, postPlanned } from './post-movement.ts';
import type { PostedDocument } from './posted-document.ts';
import { IssueList, parseInput } from './validate.ts';

interface Outstanding {
  item_id: number;
  item_code: string;
  unit: string;
  batch_id: number | null;
  batch_no: string | null;
  qty: string;
}

/**
 * Receives (part of) an in-transit transfer at its destination: moves goods
 * from the destination's transit location into storage. What is still in
 * transit for this transfer comes from the ledger; a version guard on the
 * transfer stops two receipts from taking the same goods.
 */
export async function receiveTransfer(
  db: Database,
  actor: Actor,
  transferDocNo: string,
  raw: unknown,
  options: { postedAt?: Date } = {},
): Promise<PostedDocument> {
  requireScope(actor, 'stock:write');
  const input = parseInput(transferReceiptInputSchema, raw);
  const hash = await requestHash({ transfer: transferDocNo, ...input });
  const replay = await findReplay(db.sql, actor.companyId, input.idempotencyKey, hash);
  if (replay) return replay;

  const [t] = await db.sql<{ id: number; to_warehouse: string | null; in_transit: boolean; type: string }[]>`
    select d.id, w.code as to_warehouse, d.in_transit, d.type
    from stock_documents d left join warehouses w on w.id = d.to_warehouse_id
    where d.company_id = ${actor.companyId} and d.doc_no = ${transferDocNo}`;
  if (!t || t.type !== 'transfer') throw new NotFoundError('document', transferDocNo);
  if (!t.in_transit || !t.to_warehouse) throw new TransferNotInTransitError(transferDocNo, 'posted as a direct transfer');
  const dest = (await loadWarehouses(db.sql, actor.companyId, [t.to_warehouse])).get(t.to_warehouse);
  if (!dest) throw new NotFoundError('warehouse', t.to_warehouse);
  const items = await loadItems(db.sql, actor.companyId, (input.lines ?? []).map((l) => l.item));

  return postPlanned(
    db.sql,
    actor.companyId,
    {
      companyId: actor.companyId,
      type: 'transfer_receipt',
      reason: 'transfer',
      warehouseId: dest.id,
      toWarehouseId: null,
      inTransit: false,
      sourceDocumentId: t.id,
      reservationId: null,
      reference: transferDocNo,
      note: null,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
      createdBy: actor.employeeId,
      channel: actor.channel,
      ...(options.postedAt ? { postedAt: options.postedAt } : {}),
    },
    async () => {
      const [{ version } = { version: 0 }] = await db.sql<{ version: number }[]>`select version from stock_documents where id = ${t.id}`;
      const outstanding = await db.sql<Outstanding[]>`
        select l.item_id, i.code as item_code, i.unit, l.batch_id, b.batch_no, sum(l.qty_delta)::text as qty
        from stock_ledger l
        join items i on i.id = l.item_id
        left join batches b on b.id = l.batch_id
        where l.location_id = ${dest.transitLocationId}
          and (l.document_id = ${t.id} or l.document_id in (select id from stock_documents where source_document_id = ${t.id}))
        group by l.item_id, i.code, i.unit, l.batch_id, b.batch_no
        having sum(l.qty_delta) > 0
        order by min(l.id)`;
      if (outstanding.length === 0) throw new TransferNotInTransitError(transferDocNo, 'everything has been received');
      // Units of serial-tracked items shipped by this transfer and still in transit.
      const inTransitSerials = (
        await loadSerials(db.sql, actor.companyId, [], { itemIds: outstanding.map((o) => o.item_id), locationIds: [dest.transitLocationId] })
      ).filter((r) => r.lastDocumentId === t.id);
      const plan = planReceipt(transferDocNo, outstanding, input.lines, items, dest, inTransitSerials);
      plan.version = version;
      return plan;
    },
    (p) => ({ sourceVersion: { documentId: t.id, version: (p as ReceiptPlan).version ?? 0 } }),
  );
}

type ReceiptPlan = MovementPlan & { version?: number };

function planReceipt(
  docNo: string,
  outstanding: Outstanding[],
  lines: { item: string; qty: string | number; unit?: string; batch?: string; location?: string; serials?: string[] }[] | undefined,
  items: Map<string, ItemInfo>,
  dest: { id: number; transitLocationId: number; defaultLocationId: number; locations: Map<string, number> },
  inTransitSerials: SerialRow[],
): ReceiptPlan {
  const serialMoves: SerialMove[] = [];
  const serialsLeft = [...inTransitSerials];
  /** Named units must be in transit on this transfer; unnamed ones are taken in the order they were shipped. */
  const takeSerials = (itemId: number, count: number, named: string[] | undefined, locationId: number, lineNo: number) => {
    const pool = serialsLeft.filter((r) => r.itemId === itemId);
    if (pool.length === 0) return;
    const picks = named ? pool.filter((r) => named.includes(r.serialNo)) : pool.slice(0, count);
    if (picks.length !== count) {
      throw new TransferNotInTransitError(docNo, `line ${lineNo}: ${count} unit(s) wanted, ${picks.length} of the named serials are in transit`);
    }
    for (const p of picks) {
      serialsLeft.splice(serialsLeft.indexOf(p), 1);
      serialMoves.push({ itemId, serialNo: p.serialNo, fromLocationId: dest.transitLocationId, toLocationId: locationId });
    }
  };
  const left = outstanding.map((o) => ({ ...o, left: parseMicro(o.qty) ?? 0n }));
  const wanted: {
    lineNo: number;
    itemId: number;
    batchNo: string | null;
    qty: Micro;
    unit: string;
    locationId: number;
    qtyBase: Micro;
    serials?: string[];
  }[] = [];
  if (!lines) {
    left.forEach((o, i) =>
      wanted.push({ lineNo: i + 1, itemId: o.item_id, batchNo: o.batch_no, qty: o.left, unit: o.unit, locationId: dest.defaultLocationId, qtyBase: o.left }),
    );
  } else {
    const issues = new IssueList();
    lines.forEach((l, i) => {
      const item = items.get(l.item);
      if (!item) throw new NotFoundError('item', l.item);
      const q = toBaseQty(item, l.qty, l.unit, `lines[${i}]`, issues, 'positive');
      const locationId = l.location === undefined ? dest.defaultLocationId : dest.locations.get(l.location);
      if (locationId === undefined) issues.add(`lines[${i}].location`, `no location ${l.location} in the destination warehouse`, `调入仓库没有库位 ${l.location}`);
      if (q && locationId !== undefined) {
        wanted.push({ lineNo: i + 1, itemId: item.id, batchNo: l.batch ?? null, qty: q.qty, unit: q.unit, locationId, qtyBase: q.qtyBase, ...(l.serials ? { serials: l.serials } : {}) });
      }
    });
    issues.throwIfAny();
  }

  const moves: PlannedMove[] = [];
  for (const w of wanted) {
    let need = w.qtyBase;
    for (const o of left) {
      if (need === 0n) break;
      if (o.item_id !== w.itemId || o.left === 0n || (w.batchNo !== null && o.batch_no !== w.batchNo)) continue;
      const take = o.left < need ? o.left : need;
      o.left -= take;
      need -= take;
      const base = { lineNo: w.lineNo, itemId: w.itemId, batchId: o.batch_id, newBatchNo: null, unitCost: null, reservedDelta: 0n, referenceCost: 0n, allowNegative: false };
      moves.push({ ...base, seq: moves.length + 1, warehouseId: dest.id, locationId: dest.transitLocationId, qty: -take });
      moves.push({ ...base, seq: moves.length + 1, warehouseId: dest.id, locationId: w.locationId, qty: take });
    }
    if (need > 0n) {
      const code = outstanding.find((o) => o.item_id === w.itemId)?.item_code ?? String(w.itemId);
      throw new TransferNotInTransitError(docNo, `${formatMicro(need)} more ${code} than is in transit`);
    }
    takeSerials(w.itemId, Number(w.qtyBase / 1_000_000n), w.serials, w.locationId, w.lineNo);
  }
  return {
    moves,
    newBatches: [],
    serialMoves,
    lines: wanted.map((w) => ({ lineNo: w.lineNo, itemId: w.itemId, qty: w.qty, unit: w.unit, qtyBase: w.qtyBase, batchNo: w.batchNo, unitCost: null })),
  };
}
