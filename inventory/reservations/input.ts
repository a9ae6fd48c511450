import { z } from 'zod';

export const reservationInputSchema = z.object({
  orderRef: z.string().trim().min(1).max(128).describe('The order this stock is held for (SO-123, a shop order id)'),
  channel: z.string().trim().min(1).max(32).optional().describe('Where the order came from: tmall, jd, wms, erp …'),
  lines: z
    .array(
      z.object({
        item: z.string().trim().min(1).max(64),
        warehouse: z.string().trim().min(1).max(32).optional().describe('Any warehouse in scope when omitted'),
        qty: z.union([z.number(), z.string()]),
        unit: z.string().trim().min(1).max(16).optional(),
      }),
    )
    .min(1)
    .max(200),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('Released automatically after this time'),
  idempotencyKey: z.string().trim().min(1).max(200),
});

export type ReservationInput = z.infer<typeof reservationInputSchema>;
