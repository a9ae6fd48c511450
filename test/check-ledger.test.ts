import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { checkLedger } from '../inventory/check-ledger.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

const run = promisify(execFile);
let db: Database & { url: string };
let actor: Actor;

beforeAll(async () => {
  db = await freshDatabase();
  actor = await companyWithWarehouses(db);
  await item(db, actor, { code: 'X' });
  await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'X', qty: 5 }], idempotencyKey: idem() });
});

/** `npm run db:check` against this test's database; resolves with exit code and output. */
async function dbCheck(): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'app/cli/check.ts'], { env: { ...process.env, DATABASE_URL: db.url } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('db:check', () => {
  it('passes on a consistent ledger', async () => {
    const { code, out } = await dbCheck();
    expect(out).toContain('ledger OK');
    expect(code).toBe(0);
  });

  it('fails with the offending row when a balance no longer matches its ledger rows', async () => {
    // Simulate corruption behind the verbs' back (a manual UPDATE by someone with database access).
    await db.sql`update stock_balances set on_hand = on_hand + 1, reserved = 0`;
    const problems = await checkLedger(db);
    expect(problems).toEqual([expect.objectContaining({ kind: 'balance_mismatch', detail: expect.objectContaining({ balance: '6.000000', ledger: '5.000000' }) })]);
    const { code, out } = await dbCheck();
    expect(code).toBe(1);
    expect(out).toContain('balance_mismatch');
  });

  it('stands in for the foreign keys the ledger leaves out: a line naming another company is reported', async () => {
    const other = await companyWithWarehouses(db);
    await db.sql`update document_lines set company_id = ${other.companyId} where company_id = ${actor.companyId}`;
    const problems = await checkLedger(db);
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'reference_mismatch', detail: expect.objectContaining({ table: 'document_lines' }) }));
  });

  it('stands in for the foreign keys the reservation path leaves out: a line holding another item, a missing balance or reservation, an unknown company', async () => {
    await item(db, actor, { code: 'Y' });
    await postMovement(db, actor, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'Y', qty: 2 }], idempotencyKey: idem() });
    const service = new ReservationService(db);
    const first = await service.reserve(actor, { orderRef: 'SO-1', lines: [{ item: 'X', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() });
    const second = await service.reserve(actor, { orderRef: 'SO-2', lines: [{ item: 'X', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() });
    const third = await service.reserve(actor, { orderRef: 'SO-3', lines: [{ item: 'X', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() });
    const fourth = await service.reserve(actor, { orderRef: 'SO-4', lines: [{ item: 'X', warehouse: 'SH', qty: 1 }], idempotencyKey: idem() });
    const lineOf = async (reservationId: number) => (await db.sql<{ id: number }[]>`select id from reservation_lines where reservation_id = ${reservationId}`)[0]?.id;
    const [firstLine, secondLine, fourthLine] = [await lineOf(first.id), await lineOf(second.id), await lineOf(fourth.id)];
    expect(await checkLedger(db)).not.toContainEqual(expect.objectContaining({ detail: expect.objectContaining({ table: 'reservation_lines' }) }));

    await db.sql`update reservation_lines set balance_id = (select b.id from stock_balances b join items i on i.id = b.item_id where i.code = 'Y' and i.company_id = ${actor.companyId}) where id = ${firstLine ?? 0}`;
    await db.sql`update reservation_lines set balance_id = -1 where id = ${secondLine ?? 0}`;
    await db.sql`update reservations set company_id = -1 where id = ${third.id}`;
    await db.sql`update reservation_lines set reservation_id = -1 where id = ${fourthLine ?? 0}`;
    const problems = await checkLedger(db);
    for (const [table, rowId] of [['reservation_lines', firstLine], ['reservation_lines', secondLine], ['reservations', third.id], ['reservation_lines', fourthLine]] as const) {
      expect(problems).toContainEqual(expect.objectContaining({ kind: 'reference_mismatch', detail: { table, rowId } }));
    }
  });
});
