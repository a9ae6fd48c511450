/** What a batch answers for each request, in the order given. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * One batch in flight per key; requests that arrive meanwhile wait and go
 * together in the next batch. Under a burst on one hot item this turns N
 * statements that queue on one row lock (each holding it through its own
 * commit) into a few statements that each serve many callers with one commit.
 * Every caller still gets its own answer, after the batch that contains it is durable.
 */
export class Coalescer<K, Q, R> {
  private readonly queues = new Map<K, { req: Q; resolve: (r: R) => void; reject: (e: unknown) => void }[]>();
  private readonly busy = new Set<K>();

  constructor(
    private readonly run: (key: K, batch: Q[]) => Promise<Outcome<R>[]>,
    private readonly maxBatch = 512,
  ) {}

  submit(key: K, req: Q): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      queue.push({ req, resolve, reject });
      this.queues.set(key, queue);
      if (!this.busy.has(key)) void this.drain(key);
    });
  }

  private async drain(key: K): Promise<void> {
    this.busy.add(key);
    try {
      for (;;) {
        // Let callers answered by the previous batch (and anyone else ready to
        // run) enqueue first, so batches fill up instead of trickling.
        await new Promise((resolve) => setImmediate(resolve));
        const queue = this.queues.get(key);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
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
    } finally {
      this.queues.delete(key);
      this.busy.delete(key);
    }
  }
}
