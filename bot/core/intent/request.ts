import type { Intent, Lang, OutboundReason, RequestKind, WarehouseWord } from '../intent.ts';
import { findQuantity } from './numbers.ts';
import { removePhrases, stripParticles } from './text.ts';
import { findWarehouses, withoutMentions } from './warehouses.ts';

type RequestIntent = Extract<Intent, { kind: 'request' }>;

/** Words that start a request, longest first, with the kind and reason they imply. */
const STARTERS: readonly (readonly [word: string, type: RequestKind, reason: OutboundReason | null])[] = [
  ['申请销售出库', 'outbound', 'sales'],
  ['销售出库', 'outbound', 'sales'],
  ['申请出库', 'outbound', null],
  ['出库申请', 'outbound', null],
  ['申请领料', 'outbound', 'requisition'],
  ['我要领用', 'outbound', 'requisition'],
  ['我要领', 'outbound', 'requisition'],
  ['领料', 'outbound', 'requisition'],
  ['领用', 'outbound', 'requisition'],
  ['申请样品', 'outbound', 'sample'],
  ['出库', 'outbound', null],
  ['申请采购', 'purchase', null],
  ['采购申请', 'purchase', null],
  ['我要采购', 'purchase', null],
  ['采购', 'purchase', null],
  ['申请调拨', 'transfer', null],
  ['调拨申请', 'transfer', null],
  ['调拨', 'transfer', null],
  ['调货', 'transfer', null],
  ['移库', 'transfer', null],
  ['request outbound', 'outbound', null],
  ['outbound request', 'outbound', null],
  ['outbound', 'outbound', null],
  ['request purchase', 'purchase', null],
  ['purchase', 'purchase', null],
  ['buy', 'purchase', null],
  ['request transfer', 'transfer', null],
  ['transfer', 'transfer', null],
];

const REASONS: readonly (readonly [word: string, reason: OutboundReason])[] = [
  ['样品', 'sample'],
  ['sample', 'sample'],
  ['领料', 'requisition'],
  ['领用', 'requisition'],
  ['requisition', 'requisition'],
  ['销售', 'sales'],
  ['sales', 'sales'],
];

const POLITE = /^(请|帮我|我要|我想|麻烦|please)\s*/i;
/** 从上海调20个A-1001到苏州: a transfer told as a sentence. */
const FROM_TO_SENTENCE = /^从(.+?)调(.+?)到(.+)$/;

/** A request typed in chat, or null when the text does not start like one. */
export function parseRequest(text: string, lang: Lang, warehouses: readonly WarehouseWord[]): RequestIntent | null {
  const sentence = FROM_TO_SENTENCE.exec(text);
  if (sentence) {
    const [, from = '', rest = '', to = ''] = sentence;
    const fromW = findWarehouses(from, warehouses)[0]?.code ?? null;
    const toW = findWarehouses(to, warehouses)[0]?.code ?? null;
    if (fromW && toW) return { ...details(rest, lang, warehouses, 'transfer', null), warehouse: fromW, toWarehouse: toW };
  }
  for (const body of [text, text.replace(POLITE, '')]) {
    const lower = body.toLowerCase();
    const starter = STARTERS.find(([word]) => lower.startsWith(word) && (/[\u3400-\u9fff]/.test(word) || !/[a-z]/i.test(body[word.length] ?? '')));
    if (starter) return details(body.slice(starter[0].length), lang, warehouses, starter[1], starter[2]);
  }
  return null;
}

function details(rest: string, lang: Lang, warehouses: readonly WarehouseWord[], type: RequestKind, impliedReason: OutboundReason | null): RequestIntent {
  let text = ` ${rest} `;
  let note: string | null = null;
  let reason = impliedReason;
  const labelled = /\s*(用途|备注|原因|理由|note|purpose)\s*[:：]?\s*(.+)$/i.exec(text);
  if (labelled) {
    const value = (labelled[2] ?? '').trim();
    const asReason = REASONS.find(([w]) => value.toLowerCase() === w);
    if (asReason) reason = asReason[1];
    else note = value;
    text = text.slice(0, labelled.index);
  }
  if (type === 'outbound') {
    for (const [w, r] of REASONS) {
      // A reason word standing on its own, not part of an item name or code.
      const re = new RegExp(`(?<![A-Za-z\\u3400-\\u9fff])${w}(?![A-Za-z\\u3400-\\u9fff])`, 'i');
      if (!re.test(text)) continue;
      reason ??= r;
      text = text.replace(re, ' ');
    }
  }

  let warehouse: string | null = null;
  let toWarehouse: string | null = null;
  const mentions = findWarehouses(text, warehouses);
  if (type === 'transfer') {
    const toMention = mentions.find((m) => /(到|至|to)\s*$/i.test(text.slice(0, m.start)));
    const fromMention = mentions.find((m) => m !== toMention);
    warehouse = fromMention?.code ?? null;
    toWarehouse = toMention?.code ?? (mentions.length >= 2 ? (mentions[1]?.code ?? null) : null);
  } else {
    warehouse = mentions[0]?.code ?? null;
  }
  text = withoutMentions(text, mentions);
  if (type === 'transfer') text = removePhrases(text, ['从', '到', '至'], false);
  text = removePhrases(text, ['from', 'to', 'of', 'in', 'at', 'units', 'unit'], true);

  const q = findQuantity(text);
  if (q) text = `${text.slice(0, q.start)} ${text.slice(q.end)}`;
  const item = stripParticles(text.replace(/\s+/g, ' ').trim()) || null;
  return { kind: 'request', lang, type, item, qty: q?.qty ?? null, unit: q?.unit ?? null, warehouse, toWarehouse, reason: type === 'outbound' ? reason : null, note };
}
