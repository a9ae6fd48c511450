import { itemByCodeOrBarcode, searchItems, type ItemHit } from '../../../inventory/queries/search-items.ts';
import { stockContext } from '../../../inventory/queries/stock-context.ts';
import { stockOfItem } from '../../../inventory/queries/stock-of-item.ts';
import type { Reply } from '../../adapter.ts';
import { stockAnswer } from '../answers/stock.ts';
import type { Card } from '../card.ts';
import { canSeeCost } from '../../../inventory/people.ts';
import { say } from '../words.ts';
import type { Turn } from './turn.ts';

const PICK_LIMIT = 8;
/** Shorter and shorter leading parts tried for suggestions: enough to get past a typo, few enough to stay fast. */
const SUGGESTION_TRIES = 4;

/**
 * "How much X (in warehouse W)?": one item found → its stock; several → a
 * short pick list with buttons, never a guess; none → say so and suggest
 * close matches.
 */
export async function answerStock(turn: Turn, query: string, warehouse: string | null): Promise<Reply[]> {
  const { lang } = turn;
  if (warehouse !== null && !turn.visible.some((w) => w.code === warehouse)) {
    return [{ card: { title: say(lang, 'warehouseOutOfScope', { warehouse }), tone: 'warning' } }];
  }
  const exactly = await itemByCodeOrBarcode(turn.deps.db, turn.actor, query);
  if (exactly) return [{ card: await stockCard(turn, exactly, warehouse) }];
  const hits = await searchItems(turn.deps.db, turn.actor, query, PICK_LIMIT + 1);
  // A name typed in full, in any word order (螺丝M6, M6螺丝), is that item, not a pick list of everything containing it.
  const named = hits.filter((h) => sameWords(h.name, query));
  const exact = hits.find((h) => h.match === 'code' || h.match === 'barcode');
  const only = exact ?? (hits.length === 1 ? hits[0] : named.length === 1 ? named[0] : undefined);
  if (only) return [{ card: await stockCard(turn, only.code, warehouse) }];
  if (hits.length > 1) return [{ card: pickList(turn, query, hits, warehouse) }];
  return [{ card: await nothingFound(turn, query, warehouse) }];
}

export async function stockCard(turn: Turn, itemCode: string, warehouse: string | null): Promise<Card> {
  const [stock, context] = await Promise.all([stockOfItem(turn.deps.db, turn.actor, itemCode), stockContext(turn.deps.db, turn.actor, itemCode)]);
  return stockAnswer({
    stock,
    context,
    warehouses: warehouse ? [warehouse] : turn.visible.map((w) => w.code),
    showCost: canSeeCost(turn.user),
    lang: turn.lang,
    links: turn.deps.links,
  });
}

const words = (s: string) => (s.toLowerCase().match(/[\u3400-\u9fff]+|[^\u3400-\u9fff\s]+/g) ?? []).sort().join(' ');
const sameWords = (name: string, query: string) => words(name) === words(query);

function pickList(turn: Turn, query: string, hits: ItemHit[], warehouse: string | null): Card {
  const { lang } = turn;
  const shown = hits.slice(0, PICK_LIMIT);
  return {
    title: say(lang, 'pickTitle', { q: query, n: hits.length > PICK_LIMIT ? `${PICK_LIMIT}+` : hits.length }),
    table: { columns: [say(lang, 'item'), say(lang, 'available')], rows: shown.map((h) => [`${h.name} ${h.code}${h.spec ? ` ${h.spec}` : ''}`, `${h.available} ${h.unit}`]) },
    notes: hits.length > PICK_LIMIT ? [say(lang, 'pickMore', { n: hits.length - PICK_LIMIT })] : [],
    buttons: shown.map((h) => ({ label: `${h.name} ${h.code}`, value: { act: 'stock', item: h.code, ...(warehouse ? { wh: warehouse } : {}) } })),
  };
}

/** Close matches: the longest leading part of the query that finds something (`螺丝M7` → 螺丝…). */
async function nothingFound(turn: Turn, query: string, warehouse: string | null): Promise<Card> {
  const { lang } = turn;
  const chars = [...query];
  for (let n = chars.length - 1; n >= Math.max(2, chars.length - SUGGESTION_TRIES); n--) {
    const near = await searchItems(turn.deps.db, turn.actor, chars.slice(0, n).join(''), 5);
    if (near.length) {
      return {
        title: say(lang, 'noItem', { q: query }),
        tone: 'warning',
        notes: [say(lang, 'closeMatches')],
        buttons: near.map((h) => ({ label: `${h.name} ${h.code}`, value: { act: 'stock', item: h.code, ...(warehouse ? { wh: warehouse } : {}) } })),
      };
    }
  }
  return { title: say(lang, 'noItem', { q: query }), tone: 'warning', notes: [say(lang, 'noSuggestion')] };
}
