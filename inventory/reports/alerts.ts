import type { Database } from '../../db/client.ts';

export type AlertKind = 'shortage' | 'stale' | 'expiry' | 'fifo' | 'integrity';

export interface AlertThresholds {
  /** 呆滞: no outbound for more than this many days. */
  staleDays: number;
  /** 呆滞: or more than this many days of supply at the recent outbound rate. */
  staleSupplyDays: number;
  /** Batches expiring within this many days. */
  expiryDays: number;
  /** An unchanged open alert is repeated after this many hours. */
  quietHours: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { staleDays: 60, staleSupplyDays: 180, expiryDays: 30, quietHours: 24 };

export interface ItemRef {
  itemId: number;
  code: string;
  name: string;
  unit: string;
  warehouseId: number;
  warehouse: string;
  warehouseCode: string;
}

export type AlertDetails =
  | (ItemRef & { kind: 'shortage'; available: string; safetyStock: string; suggestedQty: string; surplus: { warehouseCode: string; warehouse: string; qty: string } | null })
  | (ItemRef & { kind: 'stale'; onHand: string; value: string; idleDays: number; daysOfSupply: number | null })
  | (ItemRef & { kind: 'expiry'; batchId: number; batchNo: string; expiryDate: string; daysLeft: number; onHand: string })
  /** 先进先出未执行: a later batch went out while an earlier one (by expiry, else receipt) still has stock here. */
  | (ItemRef & { kind: 'fifo'; batchId: number; batchNo: string; expiryDate: string | null; onHand: string; issuedBatchNo: string })
  /** 数据校验: the ledger check found balances, reservations or valuations that disagree with the ledger. */
  | { kind: 'integrity'; source: 'check'; problems: number; sample: string[] }
  /** Postings the integration API refused for lack of stock in the last 24 hours (a WMS or shop out of step with the books). */
  | (ItemRef & { kind: 'integrity'; source: 'refused'; refusals: number; requested: string; available: string })
  /** An approved request could not be carried out (stock gone by the time it shipped …). */
  | { kind: 'integrity'; source: 'fulfilment'; requestId: number; requestNo: string; requestType: string; warehouse: string; reason: string };

export interface Candidate {
  kind: AlertKind;
  itemId: number | null;
  warehouseId: number | null;
  batchId: number | null;
  /** What else tells this alert apart (a request's id for a failed fulfilment). */
  ref?: string;
  /** Larger is worse: an open alert is re-sent when this grows. */
  severity: number;
  details: AlertDetails;
}

export interface StoredAlert {
  id: number;
  kind: AlertKind;
  /** Null: concerns every warehouse (all alert groups hear of it). */
  warehouseId: number | null;
  sends: number;
  details: AlertDetails;
}

export const alertKey = (c: Pick<Candidate, 'kind' | 'itemId' | 'warehouseId' | 'batchId' | 'ref'>) =>
  `${c.kind}:${c.itemId ?? ''}:${c.warehouseId ?? ''}:${c.batchId ?? ''}${c.ref ? `:${c.ref}` : ''}`;

/** The company's alert rules, read once per scan. */
export interface AlertRules {
  /** An item's thresholds: its own rule, else its category's, else the company's, else the defaults. */
  forItem(itemId: number, category: string | null): AlertThresholds;
  company: AlertThresholds;
  /** The loosest threshold any item can have: what a query pre-filters by before each item's own rule is applied. */
  loosest: Pick<AlertThresholds, 'staleDays' | 'staleSupplyDays' | 'expiryDays'>;
}

export async function thresholdsFor(db: Database, companyId: number): Promise<AlertRules> {
  const rules = await db.sql<{ category: string | null; item_id: number | null; stale_days: number | null; stale_supply_days: number | null; expiry_days: number | null; quiet_hours: number | null }[]>`
    select category, item_id, stale_days, stale_supply_days, expiry_days, quiet_hours from alert_rules where company_id = ${companyId}`;
  const pick = (r: (typeof rules)[number] | undefined, base: AlertThresholds): AlertThresholds =>
    r
      ? {
          staleDays: r.stale_days ?? base.staleDays,
          staleSupplyDays: r.stale_supply_days ?? base.staleSupplyDays,
          expiryDays: r.expiry_days ?? base.expiryDays,
          quietHours: r.quiet_hours ?? base.quietHours,
        }
      : base;
  const company = pick(
    rules.find((r) => r.item_id === null && r.category === null),
    DEFAULT_THRESHOLDS,
  );
  const set = (values: (number | null)[]) => values.filter((v): v is number => v !== null);
  return {
    company,
    loosest: {
      staleDays: Math.min(company.staleDays, ...set(rules.map((r) => r.stale_days))),
      staleSupplyDays: Math.min(company.staleSupplyDays, ...set(rules.map((r) => r.stale_supply_days))),
      expiryDays: Math.max(company.expiryDays, ...set(rules.map((r) => r.expiry_days))),
    },
    forItem: (itemId, category) => {
      const forCategory = pick(
        rules.find((r) => r.item_id === null && r.category !== null && r.category === category),
        company,
      );
      return pick(
        rules.find((r) => r.item_id === itemId),
        forCategory,
      );
    },
  };
}

/**
 * Brings the stored alerts of one kind in line with what a check found: one
 * open alert per key (a repeated check updates it), resolved when its
 * condition is gone from what was checked. Answers the alerts to send — new,
 * worse than last sent, or quiet for longer than the quiet period — and
 * those just resolved that had been sent. Acknowledged alerts stay quiet
 * until they resolve.
 */
export async function reconcileAlerts(
  db: Database,
  companyId: number,
  kind: AlertKind,
  candidates: readonly Candidate[],
  checked: ReadonlySet<string> | 'all',
  quietHours = DEFAULT_THRESHOLDS.quietHours,
): Promise<{ send: StoredAlert[]; resolved: StoredAlert[] }> {
  const rows = candidates.map((c) => ({ key: alertKey(c), item_id: c.itemId, warehouse_id: c.warehouseId, batch_id: c.batchId, severity: c.severity, details: c.details }));
  return db.sql.begin(async (tx) => {
    const upserted = await tx<{ id: number; status: string; sends: number; warehouse_id: number; due: boolean; details: string }[]>`
      insert into stock_alerts as a (company_id, kind, item_id, warehouse_id, batch_id, key, severity, details)
      select ${companyId}, ${kind}, x.item_id, x.warehouse_id, x.batch_id, x.key, x.severity, x.details
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(key text, item_id bigint, warehouse_id bigint, batch_id bigint, severity numeric, details jsonb)
      on conflict (company_id, key) where status <> 'resolved'
      do update set severity = excluded.severity, details = excluded.details, updated_at = now()
      returning a.id, a.status, a.sends, a.warehouse_id, a.details::text,
        (a.status = 'open' and (a.sent_severity is null or a.severity > a.sent_severity
          or a.last_sent_at < now() - make_interval(hours => ${quietHours}))) as due`;
    const keys = rows.map((r) => r.key);
    const checkedKeys = checked === 'all' ? null : [...checked];
    const resolved = await tx<{ id: number; sends: number; warehouse_id: number; details: string }[]>`
      -- Anti-joins against the key lists (hashed), not NOT IN / <> all: thousands of keys stay one pass.
      with still as (select unnest(${keys}::text[]) as key), looked as (select unnest(${checkedKeys ?? []}::text[]) as key)
      update stock_alerts a set status = 'resolved', resolved_at = now(), updated_at = now()
      where a.company_id = ${companyId} and a.kind = ${kind} and a.status <> 'resolved'
        and not exists (select 1 from still s where s.key = a.key)
        and (${checkedKeys === null} or exists (select 1 from looked l where l.key = a.key))
      returning id, sends, warehouse_id, details::text`;
    const stored = (r: { id: number; sends: number; warehouse_id: number; details: string }): StoredAlert => ({
      id: r.id,
      kind,
      warehouseId: r.warehouse_id,
      sends: r.sends,
      details: JSON.parse(r.details) as AlertDetails,
    });
    return { send: upserted.filter((r) => r.due).map(stored), resolved: resolved.filter((r) => r.sends > 0).map(stored) };
  });
}

/** Records that alerts went out at their current severity (their quiet period starts again). */
export async function markAlertsSent(db: Database, alertIds: readonly number[]): Promise<void> {
  if (alertIds.length === 0) return;
  await db.sql`
    update stock_alerts set last_sent_at = now(), sent_severity = severity, sends = sends + 1
    where id in (select unnest(${alertIds as number[]}::bigint[]))`;
}

/** 已处理: someone took the alert on; it stays quiet until its condition clears. */
export async function acknowledgeAlert(db: Database, companyId: number, alertId: number, employeeId: number): Promise<StoredAlert | null> {
  const [row] = await db.sql<{ id: number; kind: AlertKind; sends: number; warehouse_id: number; details: string }[]>`
    update stock_alerts set status = 'acknowledged', updated_at = now(),
      details = details || jsonb_build_object('acknowledgedBy', ${employeeId}::bigint)
    where id = ${alertId} and company_id = ${companyId} and status = 'open'
    returning id, kind, sends, warehouse_id, details::text`;
  return row ? { id: row.id, kind: row.kind, warehouseId: row.warehouse_id, sends: row.sends, details: JSON.parse(row.details) as AlertDetails } : null;
}
