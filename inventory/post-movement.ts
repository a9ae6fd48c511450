import type { Database, Sql } from '../db/client.ts';
import { requireScope, type Actor } from './actor.ts';
import { DomainError, InsufficientStockError, SerialNotAvailableError, ValidationError } from './errors.ts';
import { requestHash } from './hash.ts';
import { loadSerials, loadSlots, lookupForPosting, type SlotRow } from './lookup.ts';
import { answerFromWrite, batchNumbers, lookupWant, prepareMovement } from './movement-prep.ts';
import { movementInputSchema, type MovementInput } from './movement-input.ts';
import { planMovement, type MovementPlan } from './plan-movement.ts';
import { findReplay, loadPostedDocument, type PostedDocument } from './posted-document.ts';
import { postingBatcher } from './posting-batcher.ts';
import { withRaceRetry } from './race-retry.ts';
import { parseInput } from './validate.ts';
import { writePlan, type DocumentHeader, type WriteGuards, type WriteResult } from './write-plan.ts';

export { findReplay } from './posted-document.ts';

/**
 * Posts a receipt, issue, transfer or adjustment at once (system integrations;
 * people's requests go through approvals). All lines or none; a retry with the
 * same idempotency key answers the first result and writes nothing.
 *
 * Concurrent postings of a company are written together, several documents per
 * statement and commit (see PostingBatcher); each still answers as if it had
 * been posted on its own.
 */
export async function postMovement(
  db: Database,
  actor: Actor,
  raw: unknown,
  options: { postedAt?: Date } = {},
): Promise<PostedDocument> {
  requireScope(actor, 'stock:write');
  const input = parseInput(movementInputSchema, raw);
  try {
    return await postingBatcher(db, postSingle).submit(actor, input, options);
  } catch (err) {
    // A retry of a request that already succeeded may no longer fit today's
    // stock; look for the first result only then, saving the common path a query.
    if (!(err instanceof DomainError)) throw err;
    const replay = await findReplay(db.sql, actor.companyId, input.idempotencyKey, await requestHash(input));
    if (replay) return replay;
    if (err instanceof InsufficientStockError) await recordRefusedPosting(db, actor.companyId, err);
    throw err;
  }
}

/** A posting refused for lack of stock is kept (stockout_events) so that the alert groups hear of it. */
async function recordRefusedPosting(db: Database, companyId: number, err: InsufficientStockError): Promise<void> {
  const { item, warehouse, requested, available } = err.shortage;
  await db.sql`
    insert into stockout_events (company_id, item_id, warehouse_id, source, requested, available)
    select ${companyId}, i.id, w.id, 'posting', ${requested}::numeric, ${available}::numeric
    from items i join warehouses w on w.company_id = i.company_id and w.code = ${warehouse}
    where i.company_id = ${companyId} and i.code = ${item}`;
}

/**
 * Posts one movement on its own: one lookup, the plan, one write (planned
 * again if a racing writer made it stale), the answer from the write. The
 * batcher's path for serial-numbered items and its fallback.
 */
export async function postSingle(db: Database, actor: Actor, input: MovementInput, hash: string, options: { postedAt?: Date }): Promise<PostedDocument> {
  const master = await lookupForPosting(db.sql, actor.companyId, lookupWant([input]));
  const prep = prepareMovement(actor, input, hash, master, options);
  const { from, to, lines, outbound } = prep;
  const serialLines = lines.filter((l) => l.item.tracking === 'serial');
  const named = serialLines.flatMap((l) => (l.serials ?? []).map((serialNo) => ({ itemId: l.item.id, serialNo })));
  const serialOutbound = outbound.filter((l) => l.item.tracking === 'serial').map((l) => l.item.id);
  // The first attempt plans on the slots the lookup brought; a retry reads them again.
  let slots: SlotRow[] | null = master.slots;
  let batchNos = new Map<number, string>();
  return postPlanned(
    db.sql,
    actor.companyId,
    prep.header,
    async () => {
      const [fresh, serials] = await Promise.all([
        slots ?? (outbound.length ? loadSlots(db.sql, actor.companyId, outbound.map((l) => l.item.id), [from.id]) : []),
        serialLines.length
          ? loadSerials(db.sql, actor.companyId, named, { itemIds: serialOutbound, locationIds: [...from.locations.values()] })
          : [],
      ]);
      slots = null;
      batchNos = batchNumbers({ batches: master.batches, slots: fresh });
      return planMovement(input, lines, from, to, fresh, { today: prep.today }, serials);
    },
    undefined,
    (plan, written) => answerFromWrite(prep, plan, written, batchNos),
  );
}

/**
 * Plans against fresh stock and writes; when a racing writer made the plan
 * stale (the database refused it), plans again. Insufficient stock surfaces
 * from planning, so a retry never oversells and never reports a false shortage.
 * The answer is built by `answer` from the write when given (and able),
 * otherwise read back.
 */
export async function postPlanned(
  sql: Sql,
  companyId: number,
  header: DocumentHeader,
  plan: () => Promise<MovementPlan>,
  guards: (p: MovementPlan) => WriteGuards = () => ({}),
  answer?: (p: MovementPlan, written: Extract<WriteResult, { status: 'posted' }>) => PostedDocument | null,
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
  if (result.written.status === 'duplicate') return replayDuplicate(sql, companyId, header);
  return answer?.(result.plan, result.written) ?? (await loadPostedDocument(sql, companyId, result.written.documentId)) ?? unreachable();
}

/** The answer for a write that found its idempotency key taken. */
export async function replayDuplicate(sql: Sql, companyId: number, header: Pick<DocumentHeader, 'idempotencyKey' | 'requestHash'>): Promise<PostedDocument> {
  const replay = await findReplay(sql, companyId, header.idempotencyKey, header.requestHash);
  if (!replay) throw new ValidationError([{ path: 'idempotencyKey', message: 'duplicate key without a document' }]);
  return replay;
}

function unreachable(): never {
  throw new Error('posted document not found right after posting');
}
