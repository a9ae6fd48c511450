import { formatMicro, type Micro } from './decimal.ts';
import type { DocumentHeader, DocumentToWrite } from './write-plan.ts';

const DOC_PREFIX: Record<DocumentHeader['type'], string> = {
  receipt: 'RK',
  issue: 'CK',
  transfer: 'DB',
  transfer_receipt: 'DR',
  adjustment: 'TZ',
};

const dec = (v: Micro | null): string | null => (v === null ? null : formatMicro(v));

/**
 * The posting statement's inputs as row arrays, one array per kind (document
 * headers, moves, lines, new batches, serial moves), each row tagged with its
 * document's position (`ord`): the statement unnests them and applies the
 * documents in that order.
 */
export function statementRows(docs: readonly DocumentToWrite[]) {
  const heads = docs.map(({ header: h, guards: g }, ord) => ({
    ord,
    type: h.type,
    prefix: DOC_PREFIX[h.type],
    reason: h.reason,
    warehouse_id: h.warehouseId,
    to_warehouse_id: h.toWarehouseId,
    in_transit: h.inTransit,
    source_document_id: h.sourceDocumentId,
    reservation_id: h.reservationId,
    reference: h.reference,
    note: h.note,
    idempotency_key: h.idempotencyKey,
    request_hash: h.requestHash,
    created_by: h.createdBy,
    channel: h.channel,
    posted_at: h.postedAt?.toISOString() ?? null,
    consume_reservation_id: g?.consumeReservationId ?? null,
    source_id: g?.sourceVersion?.documentId ?? null,
    source_version: g?.sourceVersion?.version ?? null,
  }));
  const moves = docs.flatMap(({ plan }, ord) =>
    plan.moves.map((m) => ({
      ord,
      seq: m.seq,
      line_no: m.lineNo,
      item_id: m.itemId,
      warehouse_id: m.warehouseId,
      location_id: m.locationId,
      batch_id: m.batchId,
      batch_no: m.newBatchNo,
      qty: formatMicro(m.qty),
      unit_cost: dec(m.unitCost),
      reserved_delta: formatMicro(m.reservedDelta),
      reference_cost: formatMicro(m.referenceCost),
      allow_negative: m.allowNegative,
    })),
  );
  const lines = docs.flatMap(({ plan }, ord) =>
    plan.lines.map((l) => ({
      ord,
      line_no: l.lineNo,
      item_id: l.itemId,
      qty: formatMicro(l.qty),
      unit: l.unit,
      qty_base: formatMicro(l.qtyBase),
      batch_no: l.batchNo,
      unit_cost: dec(l.unitCost),
    })),
  );
  const batches = docs.flatMap(({ plan }, ord) =>
    plan.newBatches.map((b, n) => ({ ord, n, item_id: b.itemId, batch_no: b.batchNo, mfg_date: b.mfgDate, expiry_date: b.expiryDate })),
  );
  const serialMoves = docs.flatMap(({ plan }, ord) =>
    plan.serialMoves.map((m, n) => ({ ord, n, item_id: m.itemId, serial_no: m.serialNo, from_location: m.fromLocationId, to_location: m.toLocationId })),
  );
  const itemIds = [...new Set(moves.map((m) => m.item_id))];
  return { heads, moves, lines, batches, serialMoves, itemIds };
}
