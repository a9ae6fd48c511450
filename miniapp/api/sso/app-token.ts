/** Refresh this long before the platform says the token expires. */
const MARGIN_MS = 5 * 60_000;

/**
 * An app access token (DingTalk, WeCom: 7200 s), fetched once however many
 * sign-ins wait for it, and dropped early when the platform calls it stale.
 * The bot adapters' clients keep their tokens private, so sign-in holds its
 * own; both platforms answer the same token to repeated requests within its
 * lifetime, so the two never push each other out.
 */
export class AppToken {
  private cached: { value: string; until: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(private readonly fetchToken: () => Promise<{ value: string; expiresInSeconds: number }>) {}

  async get(): Promise<string> {
    if (this.cached && Date.now() < this.cached.until) return this.cached.value;
    this.fetching ??= (async () => {
      try {
        const t = await this.fetchToken();
        this.cached = { value: t.value, until: Date.now() + t.expiresInSeconds * 1000 - MARGIN_MS };
        return t.value;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }

  /** The platform called `value` stale: the next `get()` fetches a new one (unless another caller already did). */
  invalidate(value: string): void {
    if (this.cached?.value === value) this.cached = null;
  }
}
