import { describe, expect, it } from 'vitest';
import { ImportNotFoundError } from './errors.ts';
import { ImportStore } from './store.ts';

describe('ImportStore', () => {
  const me = { companyId: 1, employeeId: 7 };
  const preview = { kind: 'items' as const, total: 1, errorCount: 0, rows: [] };

  it("answers another company's or employee's preview as not found", () => {
    const store = new ImportStore();
    const p = store.addPreview(me, preview);
    expect(() => store.peekPreview({ companyId: 2, employeeId: 7 }, p.id)).toThrow(ImportNotFoundError);
    expect(() => store.peekPreview({ companyId: 1, employeeId: 8 }, p.id)).toThrow(ImportNotFoundError);
    expect(store.peekPreview(me, p.id).id).toBe(p.id);
  });

  it('forgets previews after the TTL, but never a running job', () => {
    let now = 0;
    const store = new ImportStore(1000, () => now);
    const p = store.addPreview(me, preview);
    const job = store.startJob(me, 'items', 1);
    now = 2000;
    expect(() => store.peekPreview(me, p.id)).toThrow(ImportNotFoundError);
    expect(store.job(me, job.id).status).toBe('running');
    store.finish(job, { status: 'done' });
    now = 3500;
    expect(() => store.job(me, job.id)).toThrow(ImportNotFoundError);
  });

  it('hands a preview out once', () => {
    const store = new ImportStore();
    const p = store.addPreview(me, preview);
    store.takePreview(me, p.id);
    expect(() => store.takePreview(me, p.id)).toThrow(ImportNotFoundError);
  });
});
