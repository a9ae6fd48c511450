import { z } from 'zod';
import { REQUEST_KINDS } from '../../workflows/approval/snapshot.ts';
import { parseMicro } from '../decimal.ts';
import { ROLES } from '../roles.ts';
import { parseDuration } from './duration.ts';

const code = z.string().trim().min(1).max(64);
const duration = z.string().refine((s) => parseDuration(s) !== null, 'a duration such as 30m, 2h, 1d or 1h30m');

export const approverSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('employee'), employee: code.describe('Employee code') }),
  z.object({
    kind: z.literal('role'),
    role: z.enum(ROLES),
    warehouseScoped: z.boolean().optional().describe("Only holders of the role whose scope includes the document's warehouse"),
  }),
  z.object({ kind: z.literal('manager'), levels: z.number().int().min(1).max(5).optional().describe("1 = the requester's manager, 2 = their manager …") }),
]);

export const escalationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manager') }),
  z.object({ kind: z.literal('role'), role: z.enum(ROLES) }),
  z.object({ kind: z.literal('employee'), employee: code }),
  z.object({ kind: z.literal('auto_approve') }),
  z.object({ kind: z.literal('auto_reject') }),
]);

export const policyStepSchema = z
  .object({
    name: z.string().trim().min(1).max(64),
    approvers: z.array(approverSchema).min(1, 'a step needs at least one approver').max(20),
    mode: z.enum(['any', 'all', 'sequential']).describe('any = 或签, all = 会签, sequential = 依次审批'),
    when: z
      .object({
        amountAbove: z.union([z.number(), z.string()]).refine((v) => parseMicro(v) !== null, 'a decimal amount').optional(),
        categories: z.array(z.string().trim().min(1)).min(1).optional(),
        warehouses: z.array(code).min(1).optional(),
      })
      .optional()
      .describe('The step applies only when every given condition holds'),
    remindAfter: duration.optional(),
    escalateAfter: duration.optional(),
    escalateTo: escalationSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.escalateTo && !s.escalateAfter) ctx.addIssue({ code: 'custom', path: ['escalateAfter'], message: 'escalateTo needs escalateAfter' });
    if (s.escalateAfter && !s.escalateTo) ctx.addIssue({ code: 'custom', path: ['escalateTo'], message: 'escalateAfter needs escalateTo' });
    const remind = s.remindAfter ? parseDuration(s.remindAfter) : null;
    const escalate = s.escalateAfter ? parseDuration(s.escalateAfter) : null;
    if (remind !== null && escalate !== null && remind >= escalate) {
      ctx.addIssue({ code: 'custom', path: ['remindAfter'], message: 'the reminder must come before the escalation' });
    }
  });

export const policyInputSchema = z.object({
  requestType: z.enum(REQUEST_KINDS),
  warehouse: code.optional().describe('Applies only to requests for this warehouse'),
  category: z.string().trim().min(1).max(64).optional().describe('Applies only when a line is of this category'),
  name: z.string().trim().min(1).max(64),
  steps: z.array(policyStepSchema).min(1).max(10),
});

export type PolicyInput = z.infer<typeof policyInputSchema>;
export type PolicyStep = z.infer<typeof policyStepSchema>;
export type Approver = z.infer<typeof approverSchema>;
