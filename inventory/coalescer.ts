/** What a batch answers for each request, in the order given. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * One batch in flight per key (or `maxInFlight`); requests that arrive
 * meanwhile wait and go together in the next batch. Under a burst on one hot
 * item this turns N statements that queue on one row lock (each holding it
 * through its own commit) into a few statements that each serve many callers
 * with one commit. Every caller still gets its own answer, after the batch
 * that contains it is durable. With two in flight, one batch is prepared
 * while the other is written; they are two concurrent writers, and the
 * database's checks decide between them as between any two.
 */
export class Coalescer<K, Q, R> {
  private readonly queues = new Map<K, { req: Q; resolve: (r: R) => void; reject: (e: unknown) => void }[]>();
  private readonly inFlight = new Map<K, number>();
  private readonly scheduled = new Set<K>();

  constructor(
    private readonly run: (key: K, batch: Q[]) => Promise<Outcome<R>[]>,
    private readonly maxBatch = 512,
    /** Batches of one key in flight at once; what waits is shared among the free ones. */
    private readonly maxInFlight = 1,
  ) {}

  submit(key: K, req: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ req, resolve, reject });
      this.queues.set(key, queue);
      this.schedule(key);
    });
  }

  /**
   * Batches form on the next turn of the event loop: callers answered by the
   * previous batch (and anyone else ready to run) enqueue first, so batches
   * fill up instead of trickling.
   */
  private schedule(key: K): void {
    if (this.scheduled.has(key)) return;
    this.scheduled.add(key);
    setImmediate(() => {
      this.scheduled.delete(key);
      this.pump(key);
    });
  }

  private pump(key: K): void {
    for (;;) {
      const queue = this.queues.get(key);
      const busy = this.inFlight.get(key) ?? 0;
      if (!queue || queue.length === 0 || busy >= this.maxInFlight) return;
      const limit = Math.min(this.maxBatch, Math.ceil(queue.length / (this.maxInFlight - busy)));
      const batch = queue.splice(0, limit);
      if (queue.length === 0) this.queues.delete(key);
      this.inFlight.set(key, busy + 1);
      void this.runBatch(key, batch).finally(() => {
        const n = (this.inFlight.get(key) ?? 1) - 1;
        if (n > 0) this.inFlight.set(key, n);
        else this.inFlight.delete(key);
        if (this.queues.has(key)) this.schedule(key);
      });
    }
  }

  private async runBatch(key: K, batch: { req: Q; resolve: (r: R) => void; reject: (e: unknown) => void }[]): Promise<void> {
    try {
      const outcomes = await this.run(key, batch.map((b) => b.req));
      batch.forEach((b, i) => {
        const o = outcomes[i];
        if (!o) b.reject(new Error('coalesced batch returned too few outcomes'));
        else if (o.ok) b.resolve(o.value);
        else b.reject(o.error);
      });
    } catch (err) {
      for (const b of batch) b.reject(err);
    }
  }
}
