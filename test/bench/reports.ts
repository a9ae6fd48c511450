import { AlertService } from '../../bot/alerts.ts';
import { digestCard } from '../../bot/core/answers/digest.ts';
import { linksFor } from '../../bot/core/links.ts';
import { DeliveryService } from '../../bot/delivery.ts';
import type { Database } from '../../db/client.ts';
import { buildDigest } from '../../inventory/reports/digest.ts';
import { companyDay, rollUpThrough } from '../../inventory/reports/snapshot.ts';
import { log } from './log.ts';
import { round } from './stats.ts';

export interface ReportResults {
  ledger_rows: number;
  /** A full pass over the ledger (GROUP BY type): the cost a digest must not pay. */
  digest_floor_s: number;
  /** Days rolled up now (0 when the cached dataset was rolled up by an earlier run) and how long that took. */
  snapshot_days_rolled: number;
  snapshot_roll_s: number;
  snapshot_days: number;
  /** One group's complete digest (all warehouses): figures and card, median of 5. */
  digest_s: number;
  digest_one_warehouse_s: number;
  digest_ratio: number;
  /** The hourly scan: shortage, stale and expiry candidates, reconciled with the stored alerts (steady state). */
  scan_s: number;
  /** The first scan, raising every alert from none. */
  scan_first_s: number;
  open_alerts: number;
}

const seconds = (ms: number) => round(ms / 1000, 3);
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await work();
  return [value, performance.now() - t];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Issue 6's bench: digest cost against a full ledger scan on the same data, and the alert scan. */
export async function runReportBench(db: Database, companyId: number): Promise<ReportResults> {
  const [{ n } = { n: '0' }] = await db.sql<{ n: string }[]>`select count(*)::text as n from stock_ledger`;
  // Warm once, then measure: both sides of the ratio read from a warm cache.
  await db.sql`select doc_type, count(*) from stock_ledger group by doc_type`;
  const [, floorMs] = await timed(() => db.sql`select doc_type, count(*) from stock_ledger group by doc_type`);
  log(`digest floor: full ledger scan of ${n} rows in ${seconds(floorMs)} s`);

  const yesterday = await companyDay(db, companyId, -1);
  const [rolled, rollMs] = await timed(() => rollUpThrough(db, companyId, yesterday));
  const [{ days } = { days: 0 }] = await db.sql<{ days: number }[]>`select count(*)::int as days from snapshot_days where company_id = ${companyId}`;
  log(`snapshot: rolled ${rolled.days.length} day(s) in ${seconds(rollMs)} s; ${days} days of snapshots`);

  const links = linksFor('http://bench.local');
  const digestOnce = async (warehouseIds: number[] | null) => {
    const d = await buildDigest(db, { companyId, warehouseIds, day: yesterday });
    return digestCard(d, 'zh', links, { showValues: true });
  };
  const [w1] = await db.sql<{ id: number }[]>`select id from warehouses where company_id = ${companyId} order by id limit 1`;
  await digestOnce(null);
  const all: number[] = [];
  const one: number[] = [];
  for (let i = 0; i < 5; i++) {
    all.push((await timed(() => digestOnce(null)))[1]);
    one.push((await timed(() => digestOnce([w1!.id])))[1]);
  }
  log(`digest: all warehouses ${seconds(median(all))} s, one warehouse ${seconds(median(one))} s`);

  // From no alerts (a first scan raises them all), then the steady hourly scan that finds them open.
  await db.sql`delete from stock_alerts where company_id = ${companyId}`;
  const alerts = new AlertService({ db, delivery: new DeliveryService(db), adapters: () => [], links });
  const [first, firstMs] = await timed(() => alerts.scan(companyId));
  const [, scanMs] = await timed(() => alerts.scan(companyId));
  const [{ open } = { open: 0 }] = await db.sql<{ open: number }[]>`select count(*)::int as open from stock_alerts where company_id = ${companyId} and status <> 'resolved'`;
  log(`alert scan: first ${seconds(firstMs)} s (${open} open alerts), then ${seconds(scanMs)} s; ${JSON.stringify(first)}`);

  return {
    ledger_rows: Number(n),
    digest_floor_s: seconds(floorMs),
    snapshot_days_rolled: rolled.days.length,
    snapshot_roll_s: seconds(rollMs),
    snapshot_days: days,
    digest_s: seconds(median(all)),
    digest_one_warehouse_s: seconds(median(one)),
    digest_ratio: round(median(all) / floorMs, 3),
    scan_s: seconds(scanMs),
    scan_first_s: seconds(firstMs),
    open_alerts: open,
  };
}
