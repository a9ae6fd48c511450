import { z } from 'zod';

const qty = z.union([z.number(), z.string()]).describe('A decimal quantity, e.g. 12 or "12.5"');
const code = z.string().trim().min(1).max(64);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const movementLineSchema = z.object({
  item: code.describe('Item code'),
  qty: qty.describe('Quantity in `unit` (the item base unit when omitted); signed for adjustments'),
  unit: z.string().trim().min(1).max(16).optional().describe('Base unit or one of the item alternate units (箱)'),
  batch: code.optional().describe('Batch number: required to receive a batch-tracked item; on outbound picks exactly this batch'),
  mfgDate: isoDate.optional(),
  expiryDate: isoDate.optional(),
  location: code.optional().describe('Location code (the warehouse default location when omitted)'),
  toLocation: code.optional().describe('Transfers: destination location code'),
  unitCost: qty.optional().describe('Receipts: cost per `unit`; defaults to the item reference cost'),
  allowExpired: z.boolean().optional().describe('Outbound: allow picking expired batches'),
  serials: z
    .array(code)
    .min(1)
    .max(1000)
    .optional()
    .describe('Serial-tracked items: the units, one serial number each (required to receive; on outbound picks exactly these, FIFO otherwise)'),
});

export const MOVEMENT_TYPES = ['receipt', 'issue', 'transfer', 'adjustment'] as const;

export const movementInputSchema = z.object({
  type: z.enum(MOVEMENT_TYPES),
  reason: z.string().trim().min(1).max(32).optional().describe('purchase, production, return, sales, requisition, sample, scrap, stocktake …'),
  warehouse: code.describe('Warehouse code (the source for issues and transfers)'),
  toWarehouse: code.optional().describe('Transfers: destination warehouse code'),
  inTransit: z.boolean().optional().describe('Transfers: ship now, receive later (goods are in transit meanwhile)'),
  lines: z.array(movementLineSchema).min(1).max(1000),
  reference: z.string().trim().max(128).optional(),
  note: z.string().max(1000).optional(),
  idempotencyKey: z.string().trim().min(1).max(200),
});

export type MovementInput = z.infer<typeof movementInputSchema>;
export type MovementLineInput = z.infer<typeof movementLineSchema>;

export const transferReceiptInputSchema = z.object({
  lines: z
    .array(
      z.object({
        item: code,
        qty,
        unit: z.string().trim().min(1).max(16).optional(),
        batch: code.optional(),
        location: code.optional(),
        serials: z.array(code).min(1).max(1000).optional(),
      }),
    )
    .min(1)
    .max(1000)
    .optional()
    .describe('What arrived; everything outstanding when omitted'),
  idempotencyKey: z.string().trim().min(1).max(200),
});

export type TransferReceiptInput = z.infer<typeof transferReceiptInputSchema>;
