import type { Database, Sql } from '../db/client.ts';
import { requireScope, type Actor } from './actor.ts';
import { DomainError, IdempotencyConflictError, NotFoundError, SerialNotAvailableError, ValidationError } from './errors.ts';
import { requestHash } from './hash.ts';
import { loadBatches, loadItems, loadSerials, loadSlots, loadWarehouses, type WarehouseInfo } from './lookup.ts';
import { movementInputSchema, type MovementInput } from './movement-input.ts';
import { planMovement, resolveMovement, type MovementPlan } from './plan-movement.ts';
import { loadPostedDocument, type PostedDocument } from './posted-document.ts';
import { withRaceRetry } from './race-retry.ts';
import { todayIn } from './today.ts';
import { parseInput } from './validate.ts';
import { writePlan, type DocumentHeader, type WriteGuards } from './write-plan.ts';

/**
 * Posts a receipt, issue, transfer or adjustment at once (system integrations;
 * people's requests go through approvals). All lines or none; a retry with the
 * same idempotency key answers the first result and writes nothing.
 */
export async function postMovement(
  db: Database,
  actor: Actor,
  raw: unknown,
  options: { postedAt?: Date } = {},
): Promise<PostedDocument> {
  requireScope(actor, 'stock:write');
  const input = parseInput(movementInputSchema, raw);
  const hash = await requestHash(input);
  try {
    return await postFresh(db, actor, input, hash, options);
  } catch (err) {
    // A retry of a request that already succeeded may no longer fit today's
    // stock; look for the first result only then, saving the common path a query.
    if (!(err instanceof DomainError)) throw err;
    const replay = await findReplay(db.sql, actor.companyId, input.idempotencyKey, hash);
    if (replay) return replay;
    throw err;
  }
}

async function postFresh(db: Database, actor: Actor, input: MovementInput, hash: string, options: { postedAt?: Date }): Promise<PostedDocument> {
  const [items, warehouses] = await Promise.all([
    loadItems(db.sql, actor.companyId, input.lines.map((l) => l.item)),
    loadWarehouses(db.sql, actor.companyId, [input.warehouse, ...(input.toWarehouse ? [input.toWarehouse] : [])]),
  ]);
  const missingWarehouse = [input.warehouse, input.toWarehouse].find((c) => c !== undefined && !warehouses.has(c));
  if (missingWarehouse) throw new NotFoundError('warehouse', missingWarehouse);
  const missingItem = input.lines.find((l) => !items.has(l.item));
  if (missingItem) throw new NotFoundError('item', missingItem.item);

  const batchKeys = input.lines.flatMap((l) => {
    const item = items.get(l.item);
    return item && l.batch !== undefined ? [{ itemId: item.id, batchNo: l.batch }] : [];
  });
  const batches = await loadBatches(db.sql, actor.companyId, batchKeys);
  const lines = resolveMovement(input, { items, warehouses, batches });
  const from = warehouses.get(input.warehouse) as WarehouseInfo;
  const to = input.toWarehouse === undefined ? undefined : warehouses.get(input.toWarehouse);
  const outbound = lines.filter((l) => input.type !== 'receipt' && !(input.type === 'adjustment' && l.qtyBase > 0n));

  const header = { ...movementHeader(actor, input, hash, from, to), ...(options.postedAt ? { postedAt: options.postedAt } : {}) };
  // A back-dated posting judges expiry as of its own date.
  const today = todayIn(actor.timezone, options.postedAt);
  const serialLines = lines.filter((l) => l.item.tracking === 'serial');
  const named = serialLines.flatMap((l) => (l.serials ?? []).map((serialNo) => ({ itemId: l.item.id, serialNo })));
  const serialOutbound = outbound.filter((l) => l.item.tracking === 'serial').map((l) => l.item.id);
  return postPlanned(db.sql, actor.companyId, header, async () => {
    const [slots, serials] = await Promise.all([
      outbound.length ? loadSlots(db.sql, actor.companyId, outbound.map((l) => l.item.id), [from.id]) : [],
      serialLines.length
        ? loadSerials(db.sql, actor.companyId, named, { itemIds: serialOutbound, locationIds: [...from.locations.values()] })
        : [],
    ]);
    return planMovement(input, lines, from, to, slots, { today }, serials);
  });
}

function movementHeader(actor: Actor, input: MovementInput, hash: string, from: WarehouseInfo, to: WarehouseInfo | undefined): DocumentHeader {
  return {
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
  };
}

/** The first result for this key, or a conflict when the key was used for something else. */
export async function findReplay(sql: Sql, companyId: number, key: string, hash: string): Promise<PostedDocument | null> {
  const [existing] = await sql<{ id: number; request_hash: string }[]>`
    select id, request_hash from stock_documents where company_id = ${companyId} and idempotency_key = ${key}`;
  if (!existing) return null;
  if (existing.request_hash !== hash) throw new IdempotencyConflictError(key);
  const doc = await loadPostedDocument(sql, companyId, existing.id);
  if (!doc) throw new Error(`document ${existing.id} vanished`);
  return doc;
}

/**
 * Plans against fresh stock and writes; when a racing writer made the plan
 * stale (the database refused it), plans again. Insufficient stock surfaces
 * from planning, so a retry never oversells and never reports a false shortage.
 */
export async function postPlanned(
  sql: Sql,
  companyId: number,
  header: DocumentHeader,
  plan: () => Promise<MovementPlan>,
  guards: (p: MovementPlan) => WriteGuards = () => ({}),
): Promise<PostedDocument> {
  const result = await withRaceRetry(async () => {
    const p = await plan();
    return { plan: p, written: await writePlan(sql, header, p, guards(p)) };
  }).catch((err: unknown) => {
    const e = err as { code?: string; message?: string };
    // Serials are named, so planning again cannot help: say what happened.
    if (e.code === 'SP409' && e.message === 'SERIAL_NOT_AVAILABLE') throw new SerialNotAvailableError();
    throw err;
  });
  if (result.written.status === 'duplicate') {
    const replay = await findReplay(sql, companyId, header.idempotencyKey, header.requestHash);
    if (!replay) throw new ValidationError([{ path: 'idempotencyKey', message: 'duplicate key without a document' }]);
    return replay;
  }
  return (await loadPostedDocument(sql, companyId, result.written.documentId)) ?? unreachable();
}

function unreachable(): never {
  throw new Error('posted document not found right after posting');
}
