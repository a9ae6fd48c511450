import { z } from 'zod';
import { REQUEST_KINDS } from '../../workflows/approval/snapshot.ts';

const code = z.string().trim().min(1).max(64);
const decimal = z.union([z.number(), z.string()]);

export const OUTBOUND_REASONS = ['sales', 'requisition', 'sample'] as const;

export const requestInputSchema = z.object({
  type: z.enum(REQUEST_KINDS).describe('purchase 采购申请, outbound 出库申请, transfer 调拨申请, stocktake 盘点差异'),
  reason: z.string().trim().min(1).max(32).optional().describe('outbound: sales 销售出库 | requisition 领料 | sample 样品'),
  warehouse: code,
  toWarehouse: code.optional().describe('transfer: destination'),
  partner: z.string().trim().max(128).optional().describe('Supplier or customer'),
  note: z.string().max(1000).optional(),
  lines: z
    .array(
      z.object({
        item: code,
        qty: decimal.describe('stocktake: the variance, signed (盘盈 +, 盘亏 −)'),
        unit: z.string().trim().min(1).max(16).optional(),
        unitPrice: decimal.optional().describe('Price per unit; the item reference cost when omitted'),
        batch: code.optional(),
        location: code
          .optional()
          .describe('stocktake: the counted location; others: the location to take from / put to (the warehouse default when omitted); outbound names none: it ships what its reservation holds'),
      }),
    )
    .min(1)
    .max(200),
  idempotencyKey: z.string().trim().min(1).max(200),
});

export type RequestInput = z.infer<typeof requestInputSchema>;

export const decisionInputSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(500).optional(),
  clickId: z.string().trim().min(1).max(200).describe('The tap or call id: a repeat answers the first result'),
});

export const delegateInputSchema = z.object({
  to: code.describe('Employee code of the new approver'),
  comment: z.string().max(500).optional(),
  clickId: z.string().trim().min(1).max(200),
});

export const withdrawInputSchema = z.object({ comment: z.string().max(500).optional(), clickId: z.string().trim().min(1).max(200) });

export const fulfilInputSchema = z.object({
  stage: z.enum(['accept', 'pick', 'check', 'ship', 'receive']),
  lines: z
    .array(z.object({ item: code, qty: decimal, batch: code.optional(), expiryDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() }))
    .min(1)
    .max(200)
    .optional(),
  clickId: z.string().trim().min(1).max(200),
});

export const commentInputSchema = z.object({
  comment: z.string().trim().min(1).max(1000),
  clickId: z.string().trim().min(1).max(200).describe('Makes a retried comment appear once'),
});
