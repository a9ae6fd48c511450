import type { Database } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import { DomainError, type Locale } from '../errors.ts';
import { ImportNotReadyError } from './errors.ts';
import { IMPORTS } from './kinds.ts';
import type { ImportJob, ImportStore } from './store.ts';

const INTERNAL: Record<Locale, string> = { 'zh-CN': '导入失败，未做任何更改', en: 'The import failed; nothing was changed' };

/** Why a job failed, in both languages: the progress bar may be read in either. */
function failure(err: unknown): NonNullable<ImportJob['error']> {
  if (err instanceof DomainError) return { code: err.code, message: { 'zh-CN': err.localized('zh-CN'), en: err.localized('en') } };
  console.error('import failed', err);
  return { code: 'INTERNAL', message: INTERNAL };
}

/**
 * Starts writing a preview that has no errors and answers the job at once;
 * the job's `done` follows the writer. The writer is one transaction, so a
 * failed job has written nothing. A preview is committed at most once.
 */
export function commitPreview(db: Database, store: ImportStore, actor: Actor & { employeeId: number }, previewId: string): ImportJob {
  const owner = { companyId: actor.companyId, employeeId: actor.employeeId };
  const preview = store.peekPreview(owner, previewId);
  if (preview.errorCount > 0) throw new ImportNotReadyError(previewId, preview.errorCount);
  store.takePreview(owner, previewId);
  const job = store.startJob(owner, preview.kind, preview.total);
  const kind = IMPORTS[preview.kind];
  void kind
    .write(db, actor, preview.rows.map((r) => r.value), (done) => { job.done = done; }, preview.id)
    .then(
      () => store.finish(job, { status: 'done' }),
      (err: unknown) => store.finish(job, { status: 'failed', error: failure(err) }),
    );
  return job;
}
