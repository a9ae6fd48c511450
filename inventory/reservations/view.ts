import { isoTime, type Sql } from '../../db/client.ts';
import { formatMicro, parseMicro } from '../decimal.ts';

export interface ReservationView {
  id: number;
  orderRef: string;
  channel: string | null;
  status: string;
  expiresAt: string | null;
  createdAt: string;
  idempotencyKey: string;
  lines: { line: number; item: string; warehouse: string; location: string; batch: string | null; qty: string; unit: string }[];
}

interface ReservationRow {
  id: number;
  order_ref: string;
  channel: string | null;
  status: string;
  expires_at: string | null;
  created_at: string;
  idempotency_key: string;
  lines: { line: number; item: string; warehouse: string; location: string; batch: string | null; qty: string; unit: string }[] | null;
}

/** Reads reservations with their lines; used for every answer about a reservation. */
export async function loadReservations(sql: Sql, companyId: number, where: { ids?: number[]; keys?: string[] }): Promise<ReservationView[]> {
  const rows = await sql<ReservationRow[]>`
    select r.id, r.order_ref, r.channel, r.status, r.expires_at, r.created_at, r.idempotency_key,
           (select json_agg(json_build_object('line', rl.line_no, 'item', i.code, 'warehouse', w.code, 'location', l.code,
                                              'batch', bt.batch_no, 'qty', rl.qty::text, 'unit', i.unit) order by rl.line_no, bt.expiry_date nulls last, rl.id)
              from reservation_lines rl
              join items i on i.id = rl.item_id
              join warehouses w on w.id = rl.warehouse_id
              join stock_balances b on b.id = rl.balance_id
              join locations l on l.id = b.location_id
              left join batches bt on bt.id = b.batch_id
             where rl.reservation_id = r.id) as lines
    from reservations r
    where r.company_id = ${companyId}
      and (r.id = any(${where.ids ?? []}::bigint[]) or r.idempotency_key = any(${where.keys ?? []}::text[]))`;
  return rows.map((r) => ({
    id: r.id,
    orderRef: r.order_ref,
    channel: r.channel,
    status: r.status,
    expiresAt: r.expires_at === null ? null : isoTime(r.expires_at),
    createdAt: isoTime(r.created_at),
    idempotencyKey: r.idempotency_key,
    lines: (r.lines ?? []).map((l) => ({ ...l, qty: formatMicro(parseMicro(l.qty) ?? 0n) })),
  }));
}
