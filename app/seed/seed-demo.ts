import type { Database } from '../../db/client.ts';
import { systemActor } from '../../inventory/actor.ts';
import { createCompany } from '../../inventory/master/companies.ts';
import { createEmployee } from '../../inventory/master/employees.ts';
import { createItem } from '../../inventory/master/items.ts';
import { createCustomer, createSupplier } from '../../inventory/master/partners.ts';
import { createWarehouse } from '../../inventory/master/warehouses.ts';
import { postMovement } from '../../inventory/post-movement.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import { DemoCalendar } from './calendar.ts';
import { DEMO_COMPANY, DEMO_CUSTOMERS, DEMO_EMPLOYEES, DEMO_SUPPLIERS, DEMO_WAREHOUSES } from './demo-data.ts';
import { buildCatalogue } from './demo-items.ts';
import { planReservations } from './demo-reservations.ts';
import { History } from './history.ts';
import { DEMO_POLICIES } from './demo-policies.ts';
import { savePolicy } from '../../inventory/approvals/policies.ts';

const SEED_CHANNEL = 'seed';

/**
 * Seeds the demo company DEMO (示例科技（上海）有限公司) unless it exists:
 * warehouses, partners, employees, ~200 items, 90 days of movements ending
 * `today` and a few open reservations. The same `today` gives the same data.
 * Everything goes through the public verbs, so the demo obeys the same rules
 * (and passes the same ledger check) as real use.
 */
export async function seedDemo(db: Database, opts: { today?: Date } = {}): Promise<{ companyId: number; seeded: boolean }> {
  const [existing] = await db.sql<{ id: number; orders: boolean }[]>`
    select c.id, exists (select 1 from reservations r where r.company_id = c.id) as orders
    from companies c where c.code = ${DEMO_COMPANY.code}`;
  if (existing?.orders) return { companyId: existing.id, seeded: false };
  if (existing) {
    // The open orders are seeded last: without them an earlier seed stopped half-way.
    throw new Error(
      `The demo company ${DEMO_COMPANY.code} exists but its seed was interrupted. Start from an empty database ` +
        '(remove DATA_DIR, or drop the database at DATABASE_URL), or set SEED_DEMO=false.',
    );
  }

  const companyId = await createCompany(db, DEMO_COMPANY);
  const actor = systemActor(companyId, SEED_CHANNEL, DEMO_COMPANY.timezone);

  for (const warehouse of DEMO_WAREHOUSES) await createWarehouse(db, actor, warehouse);
  for (const { code, name, contact, phone } of DEMO_SUPPLIERS) await createSupplier(db, actor, { code, name, contact, phone });
  for (const customer of DEMO_CUSTOMERS) await createCustomer(db, actor, customer);
  for (const employee of DEMO_EMPLOYEES) await createEmployee(db, actor, employee);
  for (const policy of DEMO_POLICIES) await savePolicy(db, actor, policy);
  const items = buildCatalogue();
  for (const item of items) await createItem(db, actor, item.input);

  // Planned in memory first, then posted in order: each posting depends on the stock before it.
  const history = new History(items, new DemoCalendar(opts.today ?? new Date(), DEMO_COMPANY.timezone)).run();
  let key = 0;
  const nextKey = () => `seed-${++key}`;
  for (const { input, postedAt } of history.postings) {
    await postMovement(db, actor, { ...input, idempotencyKey: nextKey() }, { postedAt });
  }
  const reservations = new ReservationService(db);
  for (const order of planReservations(history, items)) {
    await reservations.reserve(actor, { ...order, idempotencyKey: nextKey() });
  }
  return { companyId, seeded: true };
}
