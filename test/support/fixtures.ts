import type { Database } from '../../db/client.ts';
import { systemActor, type Actor } from '../../inventory/actor.ts';
import { createCompany } from '../../inventory/master/companies.ts';
import { createItem, type ItemInput } from '../../inventory/master/items.ts';
import { createWarehouse } from '../../inventory/master/warehouses.ts';

let seq = 0;

/** A company with 上海仓 (SH, with location A-01) and 苏州仓 (SZ), acting as an all-scopes integration. */
export async function companyWithWarehouses(db: Database, code = `C${++seq}`): Promise<Actor> {
  const companyId = await createCompany(db, { code, name: `${code} 有限公司` });
  const actor = { ...systemActor(companyId, 'test'), scopes: ['admin'] as const };
  await createWarehouse(db, actor, { code: 'SH', name: '上海仓', aliases: ['上海'], locations: [{ code: 'A-01', name: 'A区01' }] });
  await createWarehouse(db, actor, { code: 'SZ', name: '苏州仓', aliases: ['苏州'] });
  return actor;
}

export async function item(db: Database, actor: Actor, over: Partial<ItemInput> & { code: string }): Promise<void> {
  await createItem(db, actor, { name: `物料 ${over.code}`, unit: '个', ...over });
}

let key = 0;
export const idem = (prefix = 'k'): string => `${prefix}-${process.pid}-${++key}`;
