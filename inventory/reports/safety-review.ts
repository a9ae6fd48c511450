import type { Database } from '../../db/client.ts';
import { suggestSafetyStock } from '../replenishment.ts';

/** Days of outbound the weekly review looks at. */
export const REVIEW_WINDOW_DAYS = 90;
/** A suggestion is worth a manager's attention when it differs from the current figure by more than this share. */
const WORTH_CHANGING = 0.2;

export interface SafetyStockSuggestion {
  code: string;
  name: string;
  unit: string;
  current: number;
  suggested: number;
  leadTimeDays: number;
}

/**
 * 安全库存复核 (weekly): for every active item with a lead time, the safety
 * stock its last 90 days of outbound (all warehouses, from the roll-up)
 * call for, listed where it differs from the current one by more than 20 %.
 * Suggestions only: changing an item's safety stock stays a person's call.
 */
export async function reviewSafetyStock(db: Database, companyId: number, asOf: string): Promise<SafetyStockSuggestion[]> {
  const rows = await db.sql<{ code: string; name: string; unit: string; safety_stock: string; lead_time_days: number; sum: string | null; sum_sq: string | null }[]>`
    with daily as (
      select item_id, day, sum(outbound_qty) as q
      from stock_daily
      where company_id = ${companyId} and outbound_qty > 0 and day > ${asOf}::date - ${REVIEW_WINDOW_DAYS}::int and day <= ${asOf}::date
      group by item_id, day
    ),
    demand as (select item_id, sum(q) as sum, sum(q * q) as sum_sq from daily group by item_id)
    select i.code, i.name, i.unit, i.safety_stock::text, i.lead_time_days, d.sum::text, d.sum_sq::text
    from items i left join demand d on d.item_id = i.id
    where i.company_id = ${companyId} and i.active and i.lead_time_days > 0 and (d.item_id is not null or i.safety_stock > 0)
    order by i.code`;
  const out: SafetyStockSuggestion[] = [];
  for (const r of rows) {
    const suggested = suggestSafetyStock({ days: REVIEW_WINDOW_DAYS, sum: Number(r.sum ?? 0), sumSquares: Number(r.sum_sq ?? 0), leadTimeDays: r.lead_time_days });
    const current = Number(r.safety_stock);
    if (suggested === null) continue;
    const differs = current === 0 ? suggested > 0 : Math.abs(suggested - current) / current > WORTH_CHANGING;
    if (differs) out.push({ code: r.code, name: r.name, unit: r.unit, current, suggested, leadTimeDays: r.lead_time_days });
  }
  // The biggest relative changes first: they matter most.
  const change = (x: SafetyStockSuggestion) => Math.abs(x.suggested - x.current) / Math.max(x.current, 1);
  return out.sort((a, b) => change(b) - change(a) || a.code.localeCompare(b.code));
}
