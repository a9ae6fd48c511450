import { z } from 'zod';

const code = z.string().trim().min(1).max(64);

export const createStocktakeSchema = z.object({
  warehouse: code.describe('Warehouse code'),
  locations: z.array(code).min(1).max(500).optional().describe('Storage location codes to count; the whole warehouse when omitted'),
  category: z.string().trim().min(1).max(64).optional().describe('Count only items of this category'),
  blind: z.boolean().optional().describe('盲盘: counters do not see book quantities until it is submitted'),
  note: z.string().max(1000).optional(),
  idempotencyKey: z.string().trim().min(1).max(200).optional().describe('A retried create with the same key answers the same stocktake'),
});

export const countEntrySchema = z.object({
  entryId: z.string().trim().min(1).max(200).describe("The scan's or keystroke's own id: a resent entry counts once"),
  item: code.describe('Item code or barcode, as scanned'),
  location: code.optional().describe('Location code; inferred when the count or the book leaves only one'),
  batch: code.optional().describe('Batch number: required for batch-tracked items'),
  qty: z.union([z.number(), z.string()]).describe('Base unit. add: counted this many more (negative to correct a mis-scan); set: the total on that spot'),
  mode: z.enum(['add', 'set']).optional().describe('add (default): several counters and scans add up; set: replaces the count (a recount)'),
});

export const countInputSchema = z.object({ entries: z.array(countEntrySchema).min(1).max(500) });

export const submitStocktakeSchema = z.object({
  uncountedAsZero: z.boolean().optional().describe('Book every line nobody counted as counted 0 (盘亏 of its whole book quantity)'),
  note: z.string().max(1000).optional(),
});

export const cancelStocktakeSchema = z.object({ reason: z.string().max(500).optional() });

export type CreateStocktakeInput = z.infer<typeof createStocktakeSchema>;
export type CountEntryInput = z.infer<typeof countEntrySchema>;
