import type { Sql } from '../../db/client.ts';

/**
 * Which of these codes exist in a company table. The codes travel as one JSON
 * parameter: a file of 50,000 rows would exceed PostgreSQL's parameter limit
 * as a list.
 */
export async function existingCodes(sql: Sql, table: 'items' | 'suppliers' | 'employees' | 'warehouses', companyId: number, codes: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(codes)];
  if (list.length === 0) return new Set();
  const rows = await sql<{ code: string }[]>`
    select t.code from ${sql(table)} t
    where t.company_id = ${companyId} and t.code in (select jsonb_array_elements_text(${JSON.stringify(list)}::jsonb))`;
  return new Set(rows.map((r) => r.code));
}

/** Splits rows into statement-sized chunks. */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
