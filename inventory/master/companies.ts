import type { Database } from '../../db/client.ts';
import { companies } from '../../db/schema/index.ts';

/** Creates a tenant. Not exposed over the integration API: operators run it (seed, admin CLI). */
export async function createCompany(db: Database, input: { code: string; name: string; timezone?: string }): Promise<number> {
  const [row] = await db.orm
    .insert(companies)
    .values({ code: input.code, name: input.name, timezone: input.timezone ?? 'Asia/Shanghai' })
    .returning({ id: companies.id });
  if (!row) throw new Error('company insert returned nothing');
  return row.id;
}
