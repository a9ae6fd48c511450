import { z } from 'zod';

const code = z.string().trim().min(1).max(64);
const reqId = z.coerce.number().int().positive();

/**
 * What a card button may carry. Taps come back from the platform untrusted:
 * anything that does not parse is answered "this button no longer works".
 */
export const actionSchema = z.discriminatedUnion('act', [
  z.object({ act: z.literal('stock'), item: code, wh: code.optional() }),
  z.object({ act: z.literal('approve'), req: reqId }),
  z.object({ act: z.literal('reject'), req: reqId }),
  z.object({ act: z.literal('delegate'), req: reqId }),
  z.object({ act: z.literal('delegate_to'), req: reqId, to: code }),
  z.object({ act: z.literal('view'), req: reqId }),
  z.object({ act: z.literal('my_tasks') }),
  z.object({ act: z.literal('my_requests') }),
  /** Starts a request from a stock answer: asks for what is missing. */
  z.object({ act: z.literal('draft'), type: z.enum(['outbound', 'purchase', 'transfer']), item: code, wh: code.optional() }),
  /** From an alert: a request with what the alert knows filled in, to confirm (nothing is submitted by this tap). */
  z.object({
    act: z.literal('propose'),
    type: z.enum(['outbound', 'purchase', 'transfer']),
    item: code,
    qty: z.string().trim().min(1).max(32).optional(),
    wh: code,
    to: code.optional(),
  }),
  /** 我来处理 on an alert. */
  z.object({ act: z.literal('alert_ack'), alert: reqId }),
  /** Confirms a request typed in chat; `key` makes a double tap submit once. */
  z.object({
    act: z.literal('submit'),
    type: z.enum(['outbound', 'purchase', 'transfer']),
    item: code,
    qty: z.string().trim().min(1).max(32),
    unit: z.string().trim().max(16).optional(),
    wh: code,
    to: code.optional(),
    reason: z.enum(['sales', 'requisition', 'sample']).optional(),
    note: z.string().max(200).optional(),
    key: z.string().min(1).max(200),
  }),
]);

export type Action = z.infer<typeof actionSchema>;
