/**
 * Work started after a platform has been answered (platforms redeliver what
 * is not acknowledged within seconds, so the answer comes first): failures
 * are logged, and `idle()` waits for what is still running (shutdown, tests).
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly what: string,
    private readonly log?: (message: string, err?: unknown) => void,
  ) {}

  run(work: () => Promise<void>): void {
    const p = work()
      .catch((err: unknown) => this.log?.(`${this.what} failed`, err))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }
}
