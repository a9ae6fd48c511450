import type { Actor } from './actor.ts';
import { InsufficientStockError } from './errors.ts';
import type { PostingMaster, SlotRow } from './lookup.ts';
import { lookupWant, prepareMovement, type PreparedMovement } from './movement-prep.ts';
import type { MovementInput } from './movement-input.ts';
import { planMovement, type MovementPlan } from './plan-movement.ts';
import type { PostedDocument } from './posted-document.ts';

/** A posting waiting in a batch, with the promise its caller awaits. */
export interface Pending {
  actor: Actor;
  input: MovementInput;
  options: { postedAt?: Date };
  /** Item codes: documents sharing one are planned one after the other. */
  items: string[];
  resolve: (doc: PostedDocument) => void;
  reject: (err: unknown) => void;
}

/** A document of a batch after planning: its plan, or the refusal planning gave (kept until the batch is written). */
export interface Planned {
  pending: Pending;
  hash: string;
  prep: PreparedMovement;
  plan: MovementPlan | null;
  refusal: unknown;
}

/** Ids for balance rows a batch creates: above any real id, in creation order, as the database's would be. */
const NEW_ROW_ID = Number.MAX_SAFE_INTEGER - 1_000_000_000;

/**
 * Plans a batch's documents in order on one pool of slots, each on the stock
 * the ones before it leave. Sorts them into: planned (or refused by planning),
 * posted on their own, answered from their first result, and sent back.
 */
export function planBatch(batch: Pending[], hashes: string[], master: PostingMaster) {
  const planned: Planned[] = [];
  const singles: { pending: Pending; hash: string }[] = [];
  const replays: { pending: Pending; hash: string }[] = [];
  const requeue: Pending[] = [];
  const pool = new Map<number, SlotRow[]>();
  const loaded = new Set<string>();
  for (const s of master.slots) {
    const slots = pool.get(s.itemId) ?? [];
    slots.push({ ...s });
    pool.set(s.itemId, slots);
  }
  // The (item, warehouse) pairs whose storage rows the lookup brought: all of them, so a row not among them does not exist yet.
  for (const input of batch.map((p) => p.input)) {
    for (const { item, warehouse } of lookupWant([input]).slots) {
      const itemId = master.items.get(item)?.id;
      const warehouseId = master.warehouses.get(warehouse)?.id;
      if (itemId !== undefined && warehouseId !== undefined) loaded.add(`${itemId}:${warehouseId}`);
    }
  }
  // Item codes no later document of this batch may touch, and item ids a planned document touched.
  const closed = new Set<string>();
  const touched = new Set<number>();
  let chained = 0;
  let nextRowId = NEW_ROW_ID;

  batch.forEach((pending, i) => {
    const hash = hashes[i] ?? '';
    if (master.takenKeys.has(pending.input.idempotencyKey)) {
      replays.push({ pending, hash });
      return;
    }
    // Before anything about it is judged: a document after a chain's end waits
    // (a batch it names may be the one the earlier document creates).
    if (pending.items.some((code) => closed.has(code))) {
      requeue.push(pending);
      for (const code of pending.items) closed.add(code);
      return;
    }
    let prep: PreparedMovement;
    try {
      prep = prepareMovement(pending.actor, pending.input, hash, master, pending.options);
    } catch (err) {
      pending.reject(err); // unknown codes, bad lines: independent of any other document
      return;
    }
    const itemIds = [...new Set(prep.lines.map((l) => l.item.id))];
    if (prep.serial) {
      singles.push({ pending, hash });
      for (const code of pending.items) closed.add(code);
      return;
    }
    const slots = itemIds.flatMap((id) => pool.get(id) ?? []);
    let plan: MovementPlan;
    try {
      plan = planMovement(pending.input, prep.lines, prep.from, prep.to, slots, { today: prep.today });
    } catch (err) {
      // Refused on the stock the documents before it leave; it stands only
      // once they are written (if the batch falls back, it is posted again).
      if (!(err instanceof InsufficientStockError)) {
        pending.reject(err);
        return;
      }
      planned.push({ pending, hash, prep, plan: null, refusal: err });
      return;
    }
    planned.push({ pending, hash, prep, plan, refusal: null });
    if (itemIds.some((id) => touched.has(id))) chained++;
    for (const id of itemIds) touched.add(id);
    // What the next documents of these items see.
    let chainable = plan.newBatches.length === 0;
    for (const m of plan.moves) {
      if (m.newBatchNo !== null) continue;
      const slots = pool.get(m.itemId) ?? [];
      const slot = slots.find((s) => s.locationId === m.locationId && s.batchId === m.batchId);
      if (slot) {
        slot.onHand += m.qty;
        slot.available += m.qty;
        continue;
      }
      const wh = m.warehouseId === prep.from.id ? prep.from : prep.to;
      if (!wh || m.locationId === wh.transitLocationId || !loaded.has(`${m.itemId}:${m.warehouseId}`)) continue; // not pickable, or nobody here picks it
      if (m.batchId !== null) {
        chainable = false; // a new row of a batch: its place in FIFO needs the batch's receipt time
        continue;
      }
      slots.push({
        balanceId: nextRowId++,
        itemId: m.itemId,
        warehouseId: m.warehouseId,
        locationId: m.locationId,
        batchId: null,
        batchNo: null,
        expiryDate: null,
        receivedAt: null,
        onHand: m.qty,
        reserved: 0n,
        available: m.qty,
      });
      pool.set(m.itemId, slots);
    }
    if (!chainable) for (const code of pending.items) closed.add(code);
  });
  return { planned, singles, replays, requeue, chained };
}

