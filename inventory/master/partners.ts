import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { customers, suppliers } from '../../db/schema/index.ts';
import { requireScope, type Actor } from '../actor.ts';
import { DuplicateError } from '../errors.ts';
import { parseInput } from '../validate.ts';

/** Suppliers (供应商) and customers (客户) share one shape; only the table differs. */
export const partnerInputSchema = z.object({
  code: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_.\-/#]+$/u, 'letters, digits and _ . - / # only'),
  name: z.string().trim().min(1).max(128),
  contact: z.string().trim().min(1).max(64).optional().describe('Contact person'),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s()-]{5,32}$/, 'digits, spaces, ( ) - and a leading + only')
    .optional()
    .describe('138-0013-8000, 021-5080-1234 …'),
});

export type PartnerInput = z.infer<typeof partnerInputSchema>;

export interface PartnerView {
  code: string;
  name: string;
  contact: string | null;
  phone: string | null;
}

export async function createSupplier(db: Database, actor: Actor, raw: unknown): Promise<PartnerView> {
  return createPartner(db, actor, raw, 'supplier');
}

export async function createCustomer(db: Database, actor: Actor, raw: unknown): Promise<PartnerView> {
  return createPartner(db, actor, raw, 'customer');
}

const TABLES = { supplier: suppliers, customer: customers } as const;

async function createPartner(db: Database, actor: Actor, raw: unknown, kind: keyof typeof TABLES): Promise<PartnerView> {
  requireScope(actor, 'master:write');
  const input = parseInput(partnerInputSchema, raw);
  const table = TABLES[kind];
  const [row] = await db.orm
    .insert(table)
    .values({ companyId: actor.companyId, code: input.code, name: input.name, contact: input.contact ?? null, phone: input.phone ?? null })
    .onConflictDoNothing()
    .returning({ code: table.code, name: table.name, contact: table.contact, phone: table.phone });
  if (!row) throw new DuplicateError(kind, input.code);
  return row;
}
