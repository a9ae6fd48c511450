/**
 * The Feishu SDK's token cache (the `cache` option of lark.Client), ours so
 * that a token Feishu declares invalid before its expiry can be dropped: the
 * SDK would otherwise keep sending it until the expiry it was told.
 */
export class FeishuTokenCache {
  private readonly entries = new Map<string, { value: unknown; expire: number | undefined }>();

  async set(key: string | Symbol, value: unknown, expire?: number, options?: { namespace?: string }): Promise<boolean> {
    this.entries.set(this.keyOf(key, options), { value, expire });
    return true;
  }

  async get(key: string | Symbol, options?: { namespace?: string }): Promise<unknown> {
    const hit = this.entries.get(this.keyOf(key, options));
    if (!hit) return undefined;
    if (hit.expire !== undefined && hit.expire <= Date.now()) {
      this.entries.delete(this.keyOf(key, options));
      return undefined;
    }
    return hit.value;
  }

  /** Forgets every token: the next call fetches a new one. */
  clear(): void {
    this.entries.clear();
  }

  private keyOf(key: string | Symbol, options?: { namespace?: string }): string {
    return `${options?.namespace ?? ''}\u0000${String(key)}`;
  }
}
