import type { Sql } from '../../db/client.ts';
import type { Actor } from '../actor.ts';
import { formatMicro, parseMicro, type Micro } from '../decimal.ts';
import type { PlannedOn } from './carry.ts';
import type { Granted } from './plan.ts';

export interface WrittenReservation {
  id: number;
  createdAt: string;
  expiresAt: string | null;
  lines: { id: number; lineNo: number; itemId: number; balanceId: number; qty: Micro }[];
}

/**
 * One statement for the whole batch: reservation rows, their lines and the
 * `reserved` increments; it returns what the answers need. A key another
 * process took meanwhile refuses the batch (KEY_TAKEN; planning again then
 * finds it taken), a balance CHECK refuses stock taken meanwhile.
 */
export async function writeReservations(sql: Sql, actor: Actor, granted: Granted[], guard: PlannedOn | null): Promise<WrittenReservation[]> {
  if (granted.length === 0) return [];
  const on: PlannedOn = guard ?? { expect: [], items: [], warehouses: [], slots: [] };
  const heads = granted.map((g, ord) => ({
    ord,
    order_ref: g.resolved.request.input.orderRef,
    channel: g.resolved.request.input.channel ?? null,
    expires_at: g.resolved.request.input.expiresAt ?? null,
    idempotency_key: g.resolved.request.input.idempotencyKey,
    request_hash: g.resolved.request.hash,
  }));
  const lines = granted.flatMap((g, ord) =>
    g.lines.map((l, n) => ({
      ord,
      n,
      line_no: l.lineNo,
      item_id: l.itemId,
      warehouse_id: l.warehouseId,
      balance_id: l.balanceId,
      qty: formatMicro(l.qty),
    })),
  );
  const rows = await sql<
    { ok: boolean; ord: number | null; id: number | null; created_at: string | null; expires_at: string | null; line_id: number | null; line_no: number | null; item_id: number | null; balance_id: number | null; qty: string | null }[]
  >`
    with req as (
      select * from jsonb_to_recordset(${JSON.stringify(heads)}::jsonb)
        as r(ord int, order_ref text, channel text, expires_at timestamptz, idempotency_key text, request_hash text)
    ),
    ins as (
      insert into reservations (company_id, order_ref, channel, status, expires_at, idempotency_key, request_hash, created_by)
      select ${actor.companyId}, order_ref, channel, 'active', expires_at, idempotency_key, request_hash, ${actor.employeeId}
      from req order by ord
      on conflict (company_id, idempotency_key) do nothing
      returning id, idempotency_key, created_at, expires_at
    ),
    ik as (select r.ord, i.* from ins i join req r using (idempotency_key)),
    rl as (
      select * from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as l(ord int, n int, line_no int, item_id bigint, warehouse_id bigint, balance_id bigint, qty numeric)
    ),
    lines as (
      insert into reservation_lines (company_id, reservation_id, line_no, item_id, warehouse_id, balance_id, qty)
      select ${actor.companyId}, i.id, l.line_no, l.item_id, l.warehouse_id, l.balance_id, l.qty
      from rl l join ik i using (ord)
      order by l.ord, l.n
      returning id, reservation_id, line_no, item_id, balance_id, qty
    ),
    exp as (
      select * from jsonb_to_recordset(${JSON.stringify(on.expect)}::jsonb) as e(balance_id bigint, on_hand numeric, reserved numeric)
    ),
    upd as (
      -- With expectations (a plan made on a carry), a row that is not exactly
      -- as planned on is left alone; the condition is checked again on the
      -- row's latest version once its lock is granted.
      update stock_balances b set reserved = b.reserved + d.qty, updated_at = now()
      from (select balance_id, sum(qty) as qty from lines group by balance_id) d
      left join exp e on e.balance_id = d.balance_id
      where b.id = d.balance_id and b.company_id = ${actor.companyId}
        and (e.balance_id is null or (b.on_hand = e.on_hand and b.reserved = e.reserved))
      returning 1
    ),
    planned_on as materialized (
      select
        not exists (
          select 1 from jsonb_to_recordset(${JSON.stringify(on.items)}::jsonb) as g(id bigint, v text)
          left join items i on i.id = g.id and i.company_id = ${actor.companyId} and i.active
          where i.id is null or i.xmin::text <> g.v)
        and not exists (
          select 1
          from (select w.id, w.xmin::text as v from warehouses w where w.company_id = ${actor.companyId} and w.active) cur
          full join jsonb_to_recordset(${JSON.stringify(on.warehouses)}::jsonb) as g(id bigint, v text) on g.id = cur.id
          where ${on.items.length > 0} and (cur.id is null or g.id is null or cur.v <> g.v))
        and not exists (
          select 1
          from (select b.id, b.on_hand, b.reserved from stock_balances b
                join warehouses w on w.id = b.warehouse_id and w.active
                join locations l on l.id = b.location_id and l.kind = 'storage'
                where b.company_id = ${actor.companyId} and b.item_id = any(${on.items.map((i) => i.id)}::bigint[])) cur
          full join jsonb_to_recordset(${JSON.stringify(on.slots)}::jsonb) as s(id bigint, on_hand numeric, reserved numeric) on s.id = cur.id
          where cur.id is null or s.id is null or cur.on_hand <> s.on_hand or cur.reserved <> s.reserved) as ok
    ),
    chk as materialized (
      select stockpilot_assert((select count(*) from ins) = ${heads.length}, 'KEY_TAKEN', 'reservation idempotency keys')
             and stockpilot_assert((select ok from planned_on), 'STOCK_CHANGED', 'items, warehouses and balance rows planned on')
             and stockpilot_assert((select count(*) from upd) = (select count(distinct balance_id) from lines), 'STOCK_CHANGED', 'balance rows') as ok
    )
    select chk.ok, i.ord, i.id, i.created_at, i.expires_at, l.id as line_id, l.line_no, l.item_id, l.balance_id, l.qty
    from chk left join (ik i join lines l on l.reservation_id = i.id) on true
    order by i.ord, l.id`;
  const out: WrittenReservation[] = granted.map(() => ({ id: 0, createdAt: '', expiresAt: null, lines: [] }));
  for (const r of rows) {
    const w = r.ord === null ? undefined : out[r.ord];
    if (!w || r.id === null || r.line_id === null) continue;
    w.id = r.id;
    w.createdAt = r.created_at ?? '';
    w.expiresAt = r.expires_at;
    w.lines.push({ id: r.line_id, lineNo: r.line_no ?? 0, itemId: r.item_id ?? 0, balanceId: r.balance_id ?? 0, qty: parseMicro(r.qty ?? '0') ?? 0n });
  }
  return out;
}
