import type { Locale } from '../errors.ts';
import { ImportNotFoundError } from './errors.ts';
import type { ImportKindName, ParsedRow } from './kind.ts';

/** Previews wait this long for a commit; jobs stay readable this long after they end. */
export const IMPORT_TTL_MS = 30 * 60 * 1000;

interface Owned {
  id: string;
  companyId: number;
  employeeId: number;
  expiresAt: number;
}

export interface StoredPreview extends Owned {
  kind: ImportKindName;
  total: number;
  errorCount: number;
  rows: readonly ParsedRow<unknown>[];
}

export interface ImportJob extends Owned {
  kind: ImportKindName;
  status: 'running' | 'done' | 'failed';
  done: number;
  total: number;
  error?: { code: string; message: Record<Locale, string> };
}

type Owner = { companyId: number; employeeId: number };

/**
 * Previews and import jobs of this process, in memory: a preview is only
 * good for the process that parsed it, and a lost one costs an upload. Each
 * belongs to the employee who made it; anyone else is told it does not exist.
 */
export class ImportStore {
  private readonly previews = new Map<string, StoredPreview>();
  private readonly jobs = new Map<string, ImportJob>();
  constructor(
    private readonly ttlMs = IMPORT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  addPreview(owner: Owner, p: Omit<StoredPreview, 'id' | 'expiresAt' | keyof Owner>): StoredPreview {
    this.sweep();
    const stored = { ...p, ...owner, id: crypto.randomUUID(), expiresAt: this.now() + this.ttlMs };
    this.previews.set(stored.id, stored);
    return stored;
  }

  /** Takes the preview out: a preview is committed at most once. */
  takePreview(owner: Owner, id: string): StoredPreview {
    const p = this.owned(this.previews, owner, id, 'preview');
    this.previews.delete(id);
    return p;
  }

  peekPreview(owner: Owner, id: string): StoredPreview {
    return this.owned(this.previews, owner, id, 'preview');
  }

  startJob(owner: Owner, kind: ImportKindName, total: number): ImportJob {
    this.sweep();
    const job: ImportJob = { id: crypto.randomUUID(), ...owner, kind, status: 'running', done: 0, total, expiresAt: this.now() + this.ttlMs };
    this.jobs.set(job.id, job);
    return job;
  }

  job(owner: Owner, id: string): ImportJob {
    return this.owned(this.jobs, owner, id, 'job');
  }

  /** A job stays readable for the TTL after it ends. */
  finish(job: ImportJob, outcome: Pick<ImportJob, 'status' | 'error'>): void {
    Object.assign(job, outcome, { expiresAt: this.now() + this.ttlMs });
    if (outcome.status === 'done') job.done = job.total;
  }

  private owned<T extends Owned>(map: Map<string, T>, owner: Owner, id: string, kind: 'preview' | 'job'): T {
    const found = map.get(id);
    // A running job never expires under its owner's progress bar.
    const expired = found && found.expiresAt < this.now() && !(kind === 'job' && (found as unknown as ImportJob).status === 'running');
    if (!found || expired || found.companyId !== owner.companyId || found.employeeId !== owner.employeeId) {
      if (expired) map.delete(id);
      throw new ImportNotFoundError(kind, id);
    }
    return found;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, p] of this.previews) if (p.expiresAt < now) this.previews.delete(id);
    for (const [id, j] of this.jobs) if (j.expiresAt < now && j.status !== 'running') this.jobs.delete(id);
  }
}
