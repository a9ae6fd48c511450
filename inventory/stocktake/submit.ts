import type { Actor } from '../actor.ts';
import { DomainError, ValidationError } from '../errors.ts';
import type { Person } from '../people.ts';
import { submitRequest, type RequestDeps } from '../requests/submit.ts';
import type { RequestInput } from '../requests/input.ts';
import { parseInput } from '../validate.ts';
import { requireCounter, requireWarehouse, StocktakeClosedError } from './access.ts';
import { submitStocktakeSchema } from './input.ts';
import { loadHeader, loadSheet, type Sheet, type StocktakeHeader } from './sheet.ts';
import { submissionIssues, submissionLines } from './submission.ts';
import { describeSlot } from './view.ts';

/**
 * Submits the variance for approval as ONE `stocktake` request. The count is
 * checked and frozen (status submitted, the request input stored) in one
 * transaction that waits for in-flight counts; the request is then made with
 * an idempotency key derived from the stocktake, so a retried submit — even
 * after a crash between the two steps — replays the same input and gets the
 * same request. If the request is refused (no approval policy …) the count is
 * reopened so that it can be fixed and submitted again.
 */
/**
 * What a submit froze: the request it sends (replayed as is by a retried
 * submit) and whether uncounted lines were booked as counted 0, so that the
 * variance report of a submitted count shows the figures that were sent.
 */
interface StoredSubmission {
  request: RequestInput;
  uncountedAsZero: boolean;
}

/** Whether a submitted stocktake booked its uncounted lines as counted 0 (false while counting). */
export const submittedAsZero = (h: { status: string; submission: unknown }): boolean =>
  h.status === 'submitted' && (h.submission as StoredSubmission | null)?.uncountedAsZero === true;

export async function submitStocktake(
  deps: RequestDeps,
  user: Person,
  actor: Actor,
  id: number,
  raw: unknown,
): Promise<{ stocktake: StocktakeHeader; request: { id: number; requestNo: string } }> {
  requireCounter(user);
  const input = parseInput(submitStocktakeSchema, raw ?? {});
  const { db } = deps;
  const key = `stocktake:${id}`;

  const frozen = await db.sql.begin(async (tx) => {
    const h = await loadHeader(tx, user.companyId, id, 'update');
    requireWarehouse(user, { id: h.warehouseId, code: h.warehouseCode });
    if (h.status === 'cancelled') throw new StocktakeClosedError(h.stocktakeNo, h.status, 'submitted');
    if (h.status === 'submitted') return (h.submission as StoredSubmission).request;
    const sheet = await loadSheet(tx, user.companyId, h, { uncountedAsZero: input.uncountedAsZero ?? false });
    const issues = submissionIssues({
      lines: sheet.lines,
      items: sheet.items,
      entryProblems: sheet.entryProblems,
      uncountedAsZero: input.uncountedAsZero ?? false,
      where: (l) => describeSlot(sheet, l),
    });
    if (issues.length > 0) throw new ValidationError(issues);
    const submission: StoredSubmission = { request: requestInput(h, sheet, key, input.note), uncountedAsZero: input.uncountedAsZero ?? false };
    await tx`
      update stocktakes set status = 'submitted', submission = ${JSON.stringify(submission)}::jsonb, submitted_by = ${user.employeeId},
             submitted_at = now(), updated_at = now()
      where id = ${id} and status = 'counting'`;
    return submission.request;
  });

  let request: { id: number; requestNo: string };
  try {
    request = await submitRequest(deps, actor, frozen);
  } catch (err) {
    if (err instanceof DomainError) {
      await db.sql`
        update stocktakes set status = 'counting', submission = null, submitted_by = null, submitted_at = null, updated_at = now()
        where id = ${id} and status = 'submitted' and request_id is null
          and not exists (select 1 from requests where company_id = ${user.companyId} and idempotency_key = ${key})`;
    }
    throw err;
  }
  await db.sql`update stocktakes set request_id = ${request.id}, updated_at = now() where id = ${id} and request_id is null`;
  return { stocktake: await loadHeader(db.sql, user.companyId, id), request };
}

function requestInput(h: StocktakeHeader, sheet: Sheet, key: string, note: string | undefined): RequestInput {
  const lines = submissionLines(sheet.lines, sheet.items, sheet.unitCost, (b) => sheet.batches.get(b)?.batchNo, (l) => sheet.locationCodes.get(l));
  const text = [`盘点 ${h.stocktakeNo}`, h.note, note].filter((s): s is string => !!s).join('\n').slice(0, 1000);
  return { type: 'stocktake', reason: 'stocktake', warehouse: h.warehouseCode, note: text, lines, idempotencyKey: key };
}
