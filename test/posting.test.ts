import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import type { Actor } from '../inventory/actor.ts';
import { postMovement } from '../inventory/post-movement.ts';
import { freshDatabase } from './support/db.ts';
import { companyWithWarehouses, idem, item } from './support/fixtures.ts';

let db: Database;
let actor: Actor;

beforeAll(async () => {
  db = await freshDatabase();
  actor = await companyWithWarehouses(db);
  await item(db, actor, { code: 'M6', name: '螺丝M6', unitCost: '0.05', units: [{ unit: '盒', factor: '100' }] });
});

const balances = (itemCode: string) =>
  db.sql<{ warehouse: string; location: string; batch: string | null; on_hand: string; reserved: string }[]>`
    select w.code as warehouse, l.code as location, b.batch_no as batch, s.on_hand::float8::text as on_hand, s.reserved::float8::text as reserved
    from stock_balances s join items i on i.id = s.item_id join warehouses w on w.id = s.warehouse_id
    join locations l on l.id = s.location_id left join batches b on b.id = s.batch_id
    where i.code = ${itemCode} and s.company_id = ${actor.companyId} order by w.code, l.code, b.batch_no`;

describe('posting a receipt', () => {
  it('converts alternate units to the base unit and writes ledger and balance together', async () => {
    const res = await postMovement(db, actor, {
      type: 'receipt',
      reason: 'purchase',
      warehouse: 'SH',
      lines: [{ item: 'M6', qty: 3, unit: '盒', unitCost: '4' }],
      idempotencyKey: idem(),
    });
    expect(res.document.docNo).toMatch(/^RK\d{8}-\d{6}$/);
    expect(res.movements).toEqual([
      expect.objectContaining({ item: 'M6', warehouse: 'SH', location: 'DEFAULT', qty: '300', unit: '个', unitCost: '0.04', value: '12' }),
    ]);
    expect(await balances('M6')).toEqual([{ warehouse: 'SH', location: 'DEFAULT', batch: null, on_hand: '300', reserved: '0' }]);
  });
});
