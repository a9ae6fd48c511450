import type { Actor } from './actor.ts';
import { parseMicro } from './decimal.ts';
import { NotFoundError } from './errors.ts';
import type { PostingLookup, PostingMaster, WarehouseInfo } from './lookup.ts';
import type { MovementInput } from './movement-input.ts';
import { resolveMovement, type MovementPlan, type ResolvedLine } from './plan-movement.ts';
import { postedDocumentFromWrite, type PostedDocument } from './posted-document.ts';
import { todayIn } from './today.ts';
import type { DocumentHeader, WriteResult } from './write-plan.ts';

/** A movement request checked against master data: everything but the stock-dependent plan. */
export interface PreparedMovement {
  input: MovementInput;
  header: DocumentHeader;
  lines: ResolvedLine[];
  from: WarehouseInfo;
  to: WarehouseInfo | undefined;
  /** Lines that take stock out of `from` (they need slots to plan). */
  outbound: ResolvedLine[];
  /** The company's date for expiry, as of the posting date. */
  today: string;
  /** Serial-numbered items need their units looked up: posted on their own. */
  serial: boolean;
}

const isOutboundType = (input: MovementInput, qty: string | number): boolean =>
  input.type === 'issue' || input.type === 'transfer' || (input.type === 'adjustment' && !((parseMicro(qty) ?? 0n) > 0n));

/** What to look up for these requests: their items, warehouses, named batches and outbound slots. */
export function lookupWant(inputs: readonly MovementInput[]): PostingLookup {
  const want = { items: [] as string[], warehouses: [] as string[], batches: [] as { item: string; batchNo: string }[], slots: [] as { item: string; warehouse: string }[] };
  for (const input of inputs) {
    want.warehouses.push(input.warehouse);
    if (input.toWarehouse !== undefined) want.warehouses.push(input.toWarehouse);
    for (const l of input.lines) {
      want.items.push(l.item);
      if (l.batch !== undefined) want.batches.push({ item: l.item, batchNo: l.batch });
      if (isOutboundType(input, l.qty)) want.slots.push({ item: l.item, warehouse: input.warehouse });
    }
  }
  return want;
}

/**
 * Checks a request against master data (unknown warehouse first, then unknown
 * item, then every line problem at once) and builds its document header.
 * Throws NotFoundError or ValidationError; nothing has been written.
 */
export function prepareMovement(
  actor: Actor,
  input: MovementInput,
  hash: string,
  master: Pick<PostingMaster, 'items' | 'warehouses' | 'batches'>,
  options: { postedAt?: Date },
): PreparedMovement {
  const { items, warehouses } = master;
  const missingWarehouse = [input.warehouse, input.toWarehouse].find((c) => c !== undefined && !warehouses.has(c));
  if (missingWarehouse) throw new NotFoundError('warehouse', missingWarehouse);
  const missingItem = input.lines.find((l) => !items.has(l.item));
  if (missingItem) throw new NotFoundError('item', missingItem.item);

  const lines = resolveMovement(input, master);
  const from = warehouses.get(input.warehouse) as WarehouseInfo;
  const to = input.toWarehouse === undefined ? undefined : warehouses.get(input.toWarehouse);
  const outbound = lines.filter((l) => input.type !== 'receipt' && !(input.type === 'adjustment' && l.qtyBase > 0n));
  const header: DocumentHeader = {
    companyId: actor.companyId,
    type: input.type,
    reason: input.reason ?? null,
    warehouseId: from.id,
    toWarehouseId: to?.id ?? null,
    inTransit: input.type === 'transfer' && (input.inTransit ?? false),
    sourceDocumentId: null,
    reservationId: null,
    reference: input.reference ?? null,
    note: input.note ?? null,
    idempotencyKey: input.idempotencyKey,
    requestHash: hash,
    createdBy: actor.employeeId,
    channel: actor.channel,
    ...(options.postedAt ? { postedAt: options.postedAt } : {}),
  };
  return {
    input,
    header,
    lines,
    from,
    to,
    outbound,
    // A back-dated posting judges expiry as of its own date.
    today: todayIn(actor.timezone, options.postedAt),
    serial: lines.some((l) => l.item.tracking === 'serial'),
  };
}

/**
 * The answer to a posted movement from the write's own result: codes come
 * from the master data the plan was made with, batch numbers from the slots
 * and batches it used. Null when something is not in hand (read it back then).
 */
export function answerFromWrite(
  prep: PreparedMovement,
  plan: MovementPlan,
  written: Extract<WriteResult, { status: 'posted' }>,
  batchNos: ReadonlyMap<number, string>,
): PostedDocument | null {
  const items = new Map(prep.lines.map((l) => [l.item.id, l.item]));
  const warehouses = new Map<number, WarehouseInfo>([[prep.from.id, prep.from]]);
  if (prep.to) warehouses.set(prep.to.id, prep.to);
  return postedDocumentFromWrite(
    {
      type: prep.header.type,
      reason: prep.header.reason,
      reference: prep.header.reference,
      inTransit: prep.header.inTransit,
      warehouse: prep.from,
      toWarehouse: prep.to ?? null,
      moves: plan.moves,
      items,
      warehouses,
      batchNos,
    },
    written,
  );
}

/** Batch id → number for the batches a request named and the slots it could pick from. */
export function batchNumbers(master: Pick<PostingMaster, 'batches' | 'slots'>): Map<number, string> {
  const out = new Map<number, string>();
  for (const b of master.batches.values()) out.set(b.id, b.batchNo);
  for (const s of master.slots) if (s.batchId !== null && s.batchNo !== null) out.set(s.batchId, s.batchNo);
  return out;
}
