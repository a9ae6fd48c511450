import type { Database } from '../../db/client.ts';

export interface WarehouseInfo {
  id: number;
  code: string;
  name: string;
  aliases: readonly string[];
}

const TTL_MS = 30_000;

/**
 * The company's warehouses as chat users name them (name, aliases, code).
 * Read on every question would cost a query per message; warehouses change
 * rarely, so they are cached for half a minute.
 */
export class WarehouseDirectory {
  private cache = new Map<number, { at: number; list: Promise<WarehouseInfo[]> }>();
  constructor(private readonly db: Database) {}

  /** After a warehouse is created or changed: the next question reads them afresh. */
  forget(companyId: number): void {
    this.cache.delete(companyId);
  }

  list(companyId: number): Promise<WarehouseInfo[]> {
    const hit = this.cache.get(companyId);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.list;
    const list = this.db.sql<WarehouseInfo[]>`
      select id, code, name, aliases from warehouses where company_id = ${companyId} and active order by code`.then((rows) => [...rows]);
    list.catch(() => this.cache.delete(companyId));
    this.cache.set(companyId, { at: Date.now(), list });
    return list;
  }

  /** Warehouses the user may see, in code order. */
  async visible(companyId: number, scope: readonly number[] | null): Promise<WarehouseInfo[]> {
    const all = await this.list(companyId);
    return scope === null ? all : all.filter((w) => scope.includes(w.id));
  }
}
