import type { Database } from '../db/client.ts';
import type { Actor } from './actor.ts';
import { requestHashSync } from './hash.ts';
import { lookupForPosting, type PostingMaster } from './lookup.ts';
import { answerFromWrite, batchNumbers, lookupWant } from './movement-prep.ts';
import type { MovementInput } from './movement-input.ts';
import type { MovementPlan } from './plan-movement.ts';
import { findReplay, loadPostedDocument, type PostedDocument } from './posted-document.ts';
import { writePlans } from './write-plan.ts';
import { planBatch, type Pending, type Planned } from './plan-batch.ts';

/** Posts one movement on its own (post-movement.ts: postSingle). */
export type SinglePoster = (db: Database, actor: Actor, input: MovementInput, hash: string, options: { postedAt?: Date }) => Promise<PostedDocument>;

export interface PostingBatcherOptions {
  /** Most documents in one batch. */
  maxBatch: number;
  /** Batches of one company in flight at once (their items never overlap); two keep both the process and the database busy. */
  maxInFlight: number;
}

/** Counters, for tests and the benchmark. */
export interface PostingBatcherStats {
  /** Batches taken from the queue (each: one lookup, then one write). */
  batches: number;
  /** Batch statements that committed, and the documents they wrote. */
  writes: number;
  writtenDocuments: number;
  /** Batch statements that wrote more than one document. */
  multiDocumentWrites: number;
  largestWrite: number;
  /** Batch statements the database refused; their documents were then posted one by one. */
  fallbacks: number;
  /** Documents posted on their own: serial-numbered items, and every document of a refused batch. */
  singlePostings: number;
  /** Documents planned after an earlier document of the same item in the same batch (chained). */
  chained: number;
  /** Documents put back to wait for the next batch (they came after one that could not be chained). */
  requeued: number;
}

interface Lane {
  waiting: Pending[];
  inFlight: number;
  /** Item codes and idempotency keys of the batches in flight. */
  busyItems: Map<string, number>;
  busyKeys: Set<string>;
  scheduled: boolean;
}

/**
 * Coalesces concurrent postings of a company into batches: each batch is
 * looked up with ONE statement and written with ONE statement and ONE commit
 * (writePlans), instead of a lookup, a write and a commit per document.
 *
 * Each document keeps the semantics of posting one after the other, in the
 * order they were submitted:
 * - documents are planned in order, each on the stock the ones before it in
 *   the batch leave (FIFO picks, insufficient stock), and written in that
 *   order: the statement runs the moving average document by document and
 *   refuses any balance row that would be negative after any document;
 * - batches in flight at the same time never share an item, and a document
 *   never overtakes an earlier one of the same item;
 * - what cannot be chained (serial-numbered items, a newly created batch or
 *   balance row of a batch) ends the item's chain; later documents of the item
 *   wait for the next batch.
 * The database keeps the last word: when it refuses a batch (a racing writer
 * made a plan stale, a guard failed, a key was taken meanwhile), every
 * document of the batch is posted again on its own, in order, so one bad
 * document never fails the others. Idempotency keys are checked before
 * planning; a key already used answers the first result.
 */
export class PostingBatcher {
  readonly stats: PostingBatcherStats = {
    batches: 0,
    writes: 0,
    writtenDocuments: 0,
    multiDocumentWrites: 0,
    largestWrite: 0,
    fallbacks: 0,
    singlePostings: 0,
    chained: 0,
    requeued: 0,
  };
  private readonly lanes = new Map<number, Lane>();
  readonly options: PostingBatcherOptions;

  constructor(
    private readonly db: Database,
    private readonly single: SinglePoster,
    options: Partial<PostingBatcherOptions> = {},
  ) {
    this.options = { maxBatch: 256, maxInFlight: 2, ...options };
  }

  submit(actor: Actor, input: MovementInput, options: { postedAt?: Date } = {}): Promise<PostedDocument> {
    return new Promise<PostedDocument>((resolve, reject) => {
      let lane = this.lanes.get(actor.companyId);
      if (!lane) {
        lane = { waiting: [], inFlight: 0, busyItems: new Map(), busyKeys: new Set(), scheduled: false };
        this.lanes.set(actor.companyId, lane);
      }
      lane.waiting.push({ actor, input, options, items: [...new Set(input.lines.map((l) => l.item))], resolve, reject });
      this.schedule(actor.companyId, lane);
    });
  }

  /** Forms batches on the next turn of the event loop, so that callers ready to submit join them. */
  private schedule(companyId: number, lane: Lane): void {
    if (lane.scheduled) return;
    lane.scheduled = true;
    setImmediate(() => {
      lane.scheduled = false;
      this.pump(companyId, lane);
    });
  }

  private pump(companyId: number, lane: Lane): void {
    while (lane.inFlight < this.options.maxInFlight && lane.waiting.length > 0) {
      const batch = this.take(lane);
      if (batch.length === 0) break;
      lane.inFlight++;
      for (const p of batch) {
        for (const item of p.items) lane.busyItems.set(item, (lane.busyItems.get(item) ?? 0) + 1);
        lane.busyKeys.add(p.input.idempotencyKey);
      }
      void this.run(companyId, lane, batch)
        .catch((err: unknown) => {
          for (const p of batch) p.reject(err); // a bug, not a refusal: nobody is left hanging
        })
        .finally(() => {
          for (const p of batch) {
            for (const item of p.items) {
              const n = (lane.busyItems.get(item) ?? 1) - 1;
              if (n > 0) lane.busyItems.set(item, n);
              else lane.busyItems.delete(item);
            }
            lane.busyKeys.delete(p.input.idempotencyKey);
          }
          lane.inFlight--;
          if (lane.waiting.length > 0) this.schedule(companyId, lane);
          else if (lane.inFlight === 0) this.lanes.delete(companyId);
        });
    }
  }

  /**
   * The next batch: waiting documents in order, except those touching an item
   * of a batch in flight or reusing a key in flight or in this batch. A
   * document left behind holds its items (and key) back from the documents
   * after it, so none overtakes it.
   */
  private take(lane: Lane): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const heldItems = new Set<string>();
    const keys = new Set<string>();
    // Share what waits among the free slots, so that batches overlap (one
    // is planned while another is written) instead of all going in one.
    const limit = Math.min(this.options.maxBatch, Math.ceil(lane.waiting.length / Math.max(1, this.options.maxInFlight - lane.inFlight)));
    for (const p of lane.waiting) {
      const key = p.input.idempotencyKey;
      const free =
        batch.length < limit &&
        !lane.busyKeys.has(key) &&
        !keys.has(key) &&
        !p.items.some((i) => lane.busyItems.has(i) || heldItems.has(i));
      if (free) batch.push(p);
      else {
        rest.push(p);
        for (const i of p.items) heldItems.add(i);
      }
      keys.add(key);
    }
    lane.waiting = rest;
    return batch;
  }

  private async run(companyId: number, lane: Lane, batch: Pending[]): Promise<void> {
    this.stats.batches++;
    const sql = this.db.sql;
    let master: PostingMaster;
    const want = { ...lookupWant(batch.map((p) => p.input)), keys: batch.map((p) => p.input.idempotencyKey) };
    const lookup = lookupForPosting(sql, companyId, want);
    // hashed while the lookup is on its way
    const hashes = batch.map((p) => requestHashSync(p.input));
    try {
      master = await lookup;
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }

    const { planned, singles, replays, requeue, chained } = planBatch(batch, hashes, master);
    this.stats.chained += chained;
    if (requeue.length > 0) {
      // They wait for this batch to finish (their items are busy until then), ahead of newer arrivals.
      this.stats.requeued += requeue.length;
      lane.waiting.unshift(...requeue);
    }
    for (const { pending, hash } of replays) {
      // The key has a document already: answer it (or refuse a different request under the same key).
      findReplay(sql, companyId, pending.input.idempotencyKey, hash).then(
        (doc) => (doc ? pending.resolve(doc) : this.postAlone(pending, hash)),
        pending.reject,
      );
    }

    const toWrite = planned.filter((d): d is Planned & { plan: MovementPlan } => d.plan !== null);
    let results: Awaited<ReturnType<typeof writePlans>> | null = null;
    if (toWrite.length > 0) {
      try {
        results = await writePlans(sql, companyId, toWrite.map((d) => ({ header: d.prep.header, plan: d.plan })));
      } catch {
        results = null;
      }
    }
    if (toWrite.length > 0 && results === null) {
      // Refused: post every document of the batch on its own, in order. Each
      // plans again on fresh stock; one bad document fails alone.
      this.stats.fallbacks++;
      for (const d of planned) await this.postAlone(d.pending, d.hash);
    } else {
      if (toWrite.length > 0) {
        this.stats.writes++;
        this.stats.writtenDocuments += toWrite.length;
        if (toWrite.length > 1) this.stats.multiDocumentWrites++;
        this.stats.largestWrite = Math.max(this.stats.largestWrite, toWrite.length);
      }
      const batchNos = batchNumbers(master);
      toWrite.forEach((d, i) => {
        const written = results?.[i];
        if (!written || written.status === 'duplicate') {
          // Only a batch of one can come back duplicate (see writePlans): its key was taken meanwhile.
          findReplay(sql, companyId, d.pending.input.idempotencyKey, d.hash).then(
            (doc) => (doc ? d.pending.resolve(doc) : d.pending.reject(new Error('duplicate key without a document'))),
            d.pending.reject,
          );
          return;
        }
        const answer = answerFromWrite(d.prep, d.plan, written, batchNos);
        if (answer) d.pending.resolve(answer);
        else
          loadPostedDocument(sql, companyId, written.documentId).then(
            (doc) => (doc ? d.pending.resolve(doc) : d.pending.reject(new Error('posted document not found right after posting'))),
            d.pending.reject,
          );
      });
      // Refusals stand: every document before them was written as planned.
      for (const d of planned) if (d.plan === null) d.pending.reject(d.refusal);
    }
    // Serial-numbered items: after the batch, each on its own.
    for (const s of singles) await this.postAlone(s.pending, s.hash);
  }

  private async postAlone(p: Pending, hash: string): Promise<void> {
    this.stats.singlePostings++;
    await this.single(this.db, p.actor, p.input, hash, p.options).then(p.resolve, p.reject);
  }
}

const batchers = new WeakMap<object, PostingBatcher>();

/** The batcher of this database handle (one per connection pool, created on first use). */
export function postingBatcher(db: Database, single: SinglePoster): PostingBatcher {
  let b = batchers.get(db.sql);
  if (!b) {
    b = new PostingBatcher(db, single);
    batchers.set(db.sql, b);
  }
  return b;
}

/** The counters of this database handle's batcher, if it has posted anything. */
export function postingStats(db: Database): PostingBatcherStats | null {
  return batchers.get(db.sql)?.stats ?? null;
}
