import type { Database, Sql } from '../../db/client.ts';
import { requireScope, type Actor } from '../actor.ts';
import { NotFoundError, ReservationNotActiveError } from '../errors.ts';
import { loadReservations, type ReservationView } from './view.ts';

/**
 * Gives held stock back (order cancelled, request rejected). Releasing twice
 * answers the released reservation again; a consumed one cannot be released.
 */
export async function releaseReservation(db: Database, actor: Actor, id: number): Promise<ReservationView> {
  requireScope(actor, 'stock:write');
  await releaseWhere(db.sql, actor.companyId, [id], 'released');
  const [view] = await loadReservations(db.sql, actor.companyId, { ids: [id] });
  if (!view) throw new NotFoundError('reservation', id);
  if (view.status !== 'released') throw new ReservationNotActiveError(id, view.status, 'released');
  return view;
}

/**
 * Flips active reservations to `status` and takes their quantities off
 * `reserved`, in one statement: the status guard means a reservation is
 * released at most once however many callers race.
 */
export async function releaseWhere(sql: Sql, companyId: number, ids: number[], status: 'released' | 'expired'): Promise<number[]> {
  const rows = await sql<{ id: number }[]>`
    with held as (
      -- by primary key alone, then judged: see res_held in write-plan.ts (writePlans) for why not by status
      select id, status from reservations where company_id = ${companyId} and id = any(${ids}::bigint[])
      for update
    ),
    r as (
      update reservations t set status = ${status}, updated_at = now()
      from held h where t.id = any(${ids}::bigint[]) and t.id = h.id and h.status = 'active'
      returning t.id
    ),
    l as (
      select balance_id, sum(qty) as qty from reservation_lines where reservation_id in (select id from r) group by balance_id
    ),
    u as (
      update stock_balances b set reserved = b.reserved - l.qty, updated_at = now()
      from l where b.id = l.balance_id
      returning 1
    )
    select id from r`;
  return rows.map((r) => r.id);
}
