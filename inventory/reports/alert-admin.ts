import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { NotFoundError } from '../errors.ts';
import { parseInput } from '../validate.ts';
import { DEFAULT_THRESHOLDS } from './alerts.ts';

const days = z.coerce.number().int().min(1).max(3650);

export const alertQuerySchema = z.object({
  status: z.enum(['open', 'acknowledged', 'resolved']).optional(),
  kind: z.enum(['shortage', 'stale', 'expiry', 'integrity']).optional(),
  item: z.string().trim().min(1).max(64).optional().describe('Item code'),
  warehouse: z.string().trim().min(1).max(32).optional().describe('Warehouse code'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export interface AlertView {
  id: number;
  kind: string;
  status: string;
  item: string | null;
  warehouse: string | null;
  severity: string;
  details: unknown;
  raisedAt: string;
  lastSentAt: string | null;
  sends: number;
  resolvedAt: string | null;
}

/** 预警历史: newest first, filtered by status, kind, item or warehouse. */
export async function listAlerts(db: Database, actor: Actor, raw: unknown): Promise<AlertView[]> {
  requireScope(actor, 'stock:read');
  const q = parseInput(alertQuerySchema, raw);
  const rows = await db.sql<{ id: number; kind: string; status: string; item: string | null; warehouse: string | null; severity: string; details: string; raised_at: string; last_sent_at: string | null; sends: number; resolved_at: string | null }[]>`
    select a.id, a.kind, a.status, i.code as item, w.code as warehouse, a.severity::text, a.details::text,
           a.created_at::text as raised_at, a.last_sent_at::text, a.sends, a.resolved_at::text
    from stock_alerts a left join items i on i.id = a.item_id left join warehouses w on w.id = a.warehouse_id
    where a.company_id = ${actor.companyId}
      and (${q.status ?? null}::text is null or a.status = ${q.status ?? null})
      and (${q.kind ?? null}::text is null or a.kind = ${q.kind ?? null})
      and (${q.item ?? null}::text is null or i.code = ${q.item ?? null})
      and (${q.warehouse ?? null}::text is null or w.code = ${q.warehouse ?? null})
    order by a.created_at desc, a.id desc
    limit ${q.limit}`;
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    item: r.item,
    warehouse: r.warehouse,
    severity: r.severity,
    details: JSON.parse(r.details) as unknown,
    raisedAt: r.raised_at,
    lastSentAt: r.last_sent_at,
    sends: r.sends,
    resolvedAt: r.resolved_at,
  }));
}

export const alertRuleSchema = z
  .object({
    category: z.string().trim().min(1).max(64).optional().describe('Applies to items of this category'),
    item: z.string().trim().min(1).max(64).optional().describe('Applies to this item (code); wins over its category'),
    staleDays: days.optional().describe(`呆滞: no outbound for more than this many days (default ${DEFAULT_THRESHOLDS.staleDays})`),
    staleSupplyDays: days.optional().describe(`呆滞: or more days of supply than this (default ${DEFAULT_THRESHOLDS.staleSupplyDays})`),
    expiryDays: days.optional().describe(`Batches expiring within this many days (default ${DEFAULT_THRESHOLDS.expiryDays})`),
    quietHours: z.coerce.number().int().min(1).max(24 * 30).optional().describe(`Repeat an unchanged alert after this many hours (default ${DEFAULT_THRESHOLDS.quietHours}); read from the company rule only`),
  })
  .refine((r) => !(r.category && r.item), { message: 'a rule is for a category or an item, not both', path: ['item'] });

export interface AlertRuleView {
  category: string | null;
  item: string | null;
  staleDays: number | null;
  staleSupplyDays: number | null;
  expiryDays: number | null;
  quietHours: number | null;
}

/** Sets the thresholds for the company (no category or item), a category, or an item; what is left out falls back to the wider rule. */
export async function saveAlertRule(db: Database, actor: Actor, raw: unknown): Promise<AlertRuleView> {
  requireScope(actor, 'admin');
  const r = parseInput(alertRuleSchema, raw);
  let itemId: number | null = null;
  if (r.item) {
    const [i] = await db.sql<{ id: number }[]>`select id from items where company_id = ${actor.companyId} and code = ${r.item}`;
    if (!i) throw new NotFoundError('item', r.item);
    itemId = i.id;
  }
  await db.sql`
    insert into alert_rules (company_id, category, item_id, stale_days, stale_supply_days, expiry_days, quiet_hours)
    values (${actor.companyId}, ${r.category ?? null}, ${itemId}, ${r.staleDays ?? null}, ${r.staleSupplyDays ?? null}, ${r.expiryDays ?? null}, ${r.quietHours ?? null})
    on conflict on constraint alert_rules_scope_uq do update set
      stale_days = excluded.stale_days, stale_supply_days = excluded.stale_supply_days,
      expiry_days = excluded.expiry_days, quiet_hours = excluded.quiet_hours, updated_at = now()`;
  return { category: r.category ?? null, item: r.item ?? null, staleDays: r.staleDays ?? null, staleSupplyDays: r.staleSupplyDays ?? null, expiryDays: r.expiryDays ?? null, quietHours: r.quietHours ?? null };
}

export async function listAlertRules(db: Database, actor: Actor): Promise<AlertRuleView[]> {
  requireScope(actor, 'stock:read');
  const rows = await db.sql<{ category: string | null; item: string | null; stale_days: number | null; stale_supply_days: number | null; expiry_days: number | null; quiet_hours: number | null }[]>`
    select r.category, i.code as item, r.stale_days, r.stale_supply_days, r.expiry_days, r.quiet_hours
    from alert_rules r left join items i on i.id = r.item_id where r.company_id = ${actor.companyId} order by r.id`;
  return rows.map((x) => ({ category: x.category, item: x.item, staleDays: x.stale_days, staleSupplyDays: x.stale_supply_days, expiryDays: x.expiry_days, quietHours: x.quiet_hours }));
}
