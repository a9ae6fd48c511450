import type { Database } from '../db/client.ts';

export interface LedgerProblem {
  kind: 'balance_mismatch' | 'reserved_mismatch' | 'valuation_mismatch' | 'over_reserved' | 'reference_mismatch';
  companyId: number;
  /** Null for a row that names no item (a reservation's head). */
  itemId: number | null;
  detail: Record<string, string | number | null>;
}

/**
 * The ledger invariant ("一本账"), checkable at any time: every balance equals
 * the sum of its ledger rows, every `reserved` equals its active reservation
 * lines, every valuation equals its ledger rows, and nothing is over-reserved.
 * It also stands in for the foreign keys the append-heavy tables leave out
 * (migrations 0005, 0012 and 0014): every ledger, document and reservation
 * line names the company of its document or reservation, and the warehouse of
 * its location or balance; a reservation line's reservation exists, and its
 * balance exists and holds its item; a reservation's company exists.
 */
export async function checkLedger(db: Database): Promise<LedgerProblem[]> {
  const sql = db.sql;
  const balances = await sql<{ company_id: number; item_id: number; location_id: number; batch_id: number | null; on_hand: string | null; ledger: string | null }[]>`
    select coalesce(b.company_id, l.company_id) as company_id, coalesce(b.item_id, l.item_id) as item_id,
           coalesce(b.location_id, l.location_id) as location_id, coalesce(b.batch_id, l.batch_id) as batch_id,
           b.on_hand::text, l.qty::text as ledger
    from stock_balances b
    full join (
      select company_id, item_id, location_id, batch_id, sum(qty_delta) as qty
      from stock_ledger group by company_id, item_id, location_id, batch_id
    ) l on l.item_id = b.item_id and l.location_id = b.location_id and l.batch_id is not distinct from b.batch_id
    where coalesce(b.on_hand, 0) <> coalesce(l.qty, 0)`;
  const reserved = await sql<{ company_id: number; item_id: number; balance_id: number; reserved: string; active: string }[]>`
    select b.company_id, b.item_id, b.id as balance_id, b.reserved::text, coalesce(r.qty, 0)::text as active
    from stock_balances b
    left join (
      select rl.balance_id, sum(rl.qty) as qty from reservation_lines rl
      join reservations r on r.id = rl.reservation_id and r.status = 'active'
      group by rl.balance_id
    ) r on r.balance_id = b.id
    where b.reserved <> coalesce(r.qty, 0)`;
  const over = await sql<{ company_id: number; item_id: number; balance_id: number; on_hand: string; reserved: string }[]>`
    select company_id, item_id, id as balance_id, on_hand::text, reserved::text from stock_balances
    where not allow_negative and (on_hand < 0 or reserved > on_hand or reserved < 0)`;
  const valuation = await sql<{ company_id: number; item_id: number; qty: string; value: string; ledger_qty: string; ledger_value: string }[]>`
    select v.company_id, v.item_id, v.qty::text, v.value::text, coalesce(l.qty, 0)::text as ledger_qty, coalesce(l.value, 0)::text as ledger_value
    from item_valuations v
    left join (select item_id, sum(qty_delta) as qty, sum(value_delta) as value from stock_ledger group by item_id) l on l.item_id = v.item_id
    where v.qty <> coalesce(l.qty, 0) or v.value <> coalesce(l.value, 0)`;
  const references = await sql<{ company_id: number; item_id: number | null; table_name: string; row_id: number }[]>`
    select l.company_id, l.item_id, 'stock_ledger' as table_name, l.id as row_id
    from stock_ledger l join stock_documents d on d.id = l.document_id join locations loc on loc.id = l.location_id
    where l.company_id <> d.company_id or l.warehouse_id <> loc.warehouse_id
    union all
    select dl.company_id, dl.item_id, 'document_lines', dl.id
    from document_lines dl join stock_documents d on d.id = dl.document_id
    where dl.company_id <> d.company_id
    union all
    select rl.company_id, rl.item_id, 'reservation_lines', rl.id
    from reservation_lines rl left join reservations r on r.id = rl.reservation_id left join stock_balances b on b.id = rl.balance_id
    where r.id is null or b.id is null or rl.company_id <> r.company_id or rl.company_id <> b.company_id
       or rl.item_id <> b.item_id or rl.warehouse_id <> b.warehouse_id
    union all
    select r.company_id, null, 'reservations', r.id
    from reservations r left join companies c on c.id = r.company_id
    where c.id is null
    limit 1000`;
  return [
    ...references.map((r) => ({
      kind: 'reference_mismatch' as const,
      companyId: r.company_id,
      itemId: r.item_id,
      detail: { table: r.table_name, rowId: r.row_id },
    })),
    ...balances.map((r) => ({
      kind: 'balance_mismatch' as const,
      companyId: r.company_id,
      itemId: r.item_id,
      detail: { locationId: r.location_id, batchId: r.batch_id, balance: r.on_hand, ledger: r.ledger },
    })),
    ...reserved.map((r) => ({
      kind: 'reserved_mismatch' as const,
      companyId: r.company_id,
      itemId: r.item_id,
      detail: { balanceId: r.balance_id, reserved: r.reserved, activeReservations: r.active },
    })),
    ...over.map((r) => ({
      kind: 'over_reserved' as const,
      companyId: r.company_id,
      itemId: r.item_id,
      detail: { balanceId: r.balance_id, onHand: r.on_hand, reserved: r.reserved },
    })),
    ...valuation.map((r) => ({
      kind: 'valuation_mismatch' as const,
      companyId: r.company_id,
      itemId: r.item_id,
      detail: { qty: r.qty, value: r.value, ledgerQty: r.ledger_qty, ledgerValue: r.ledger_value },
    })),
  ];
}
