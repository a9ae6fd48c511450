import { parseRequest } from './intent/request.ts';
import { hasCjk, normalise, removePhrases, stripParticles } from './intent/text.ts';
import { findWarehouses, withoutMentions } from './intent/warehouses.ts';

export interface WarehouseWord {
  code: string;
  name: string;
  aliases: readonly string[];
}
export interface Lexicon {
  warehouses: readonly WarehouseWord[];
}
export type Lang = 'zh' | 'en';
export type Topic = 'digest' | 'alerts';
export type RequestKind = 'outbound' | 'purchase' | 'transfer';
export type OutboundReason = 'sales' | 'requisition' | 'sample';

/**
 * What someone asked, with the raw item query left for the searcher (a
 * code, barcode, name fragment or pinyin initials) and warehouses resolved
 * to codes. The parser never invents an item: ambiguity is the caller's.
 */
export type Intent = { lang: Lang } & (
  | { kind: 'stock'; item: string; warehouse: string | null }
  | { kind: 'stock_missing_item'; warehouse: string | null }
  | { kind: 'my_tasks' }
  | { kind: 'my_requests' }
  | {
      kind: 'request';
      type: RequestKind;
      item: string | null;
      qty: string | null;
      unit: string | null;
      warehouse: string | null;
      toWarehouse: string | null;
      reason: OutboundReason | null;
      note: string | null;
    }
  | { kind: 'help' }
  | { kind: 'subscribe'; topic: Topic; warehouse: string | null }
  | { kind: 'unsubscribe'; topic: Topic; warehouse: string | null }
  | { kind: 'digest' }
  | { kind: 'unknown'; text: string }
);

/** Greetings get the help card: the person is finding out what the bot does. */
const HELP = /^(帮助|帮忙|怎么用|如何使用|使用说明|你能做什么|你会什么|能做什么|功能|菜单|help|menu|\?|你好|您好|hi|hello|hey|在吗)$/i;
const MY_TASKS = /^(我的)?(待办|待审批|待我审批|审批待办)(事项|列表)?$|^我要审批的$|^(my )?(tasks|approvals|todo|to-do)$|^pending approvals$/i;
const MY_REQUESTS = /^(我的申请|我提交的(申请)?|我的单据)(列表)?$|^my requests$/i;
const DIGEST = /^(今日|今天的?|每日|库存)?(库存)?日报$|^(daily )?digest$/i;
const SUBSCRIBE = /^(订阅|subscribe(?: to)?)\s*(.*)$/i;
const UNSUBSCRIBE = /^(退订|取消订阅|unsubscribe(?: from)?)\s*(.*)$/i;
const TOPICS: readonly (readonly [RegExp, Topic])[] = [
  [/(库存)?日报|(daily )?digest/i, 'digest'],
  [/(库存)?(预警|告警|报警)|alerts?/i, 'alerts'],
];

/** Words around a stock question that are not the item. */
const STOCK_WORDS_ZH = [
  '查一下', '查一查', '查查', '查询', '查看', '看一下', '看看', '帮我', '请问', '麻烦', '一下', '扫码', '扫一扫',
  '还有多少个', '还有多少', '还剩多少', '还剩几个', '还剩', '有多少个', '有多少', '剩多少', '多少个', '多少',
  '有货吗', '有没有货', '有没有', '有货', '的库存', '库存量', '库存', '现在', '目前', '还有',
];
const STOCK_WORDS_EN = [
  'stock of', 'stock for', 'stock', 'inventory of', 'inventory', 'how many', 'how much', 'do we have', 'is there', 'are there',
  'check', 'left', 'in', 'at', 'of', 'the', 'please', 'qty', 'quantity', 'show me', 'show', 'any', 'units', 'for', "what's", 'what is',
];
const STOCK_MARKERS = /库存|多少|还剩|有货|有没有|stock|inventory|how many|how much/i;
/** Chit-chat, not an item name. */
const SMALL_TALK = /怎么样|为什么|什么|是谁|天气|谢谢|再见|哈哈|早上好|晚上好|thank|bye|weather/i;

export function parseIntent(raw: string, lexicon: Lexicon): Intent {
  const text = normalise(raw);
  const lang = languageOf(text);
  if (text === '' || HELP.test(text)) return { lang, kind: 'help' };
  if (MY_TASKS.test(text)) return { lang, kind: 'my_tasks' };
  if (MY_REQUESTS.test(text)) return { lang, kind: 'my_requests' };
  if (DIGEST.test(text)) return { lang, kind: 'digest' };

  const sub = UNSUBSCRIBE.exec(text) ?? SUBSCRIBE.exec(text);
  if (sub) {
    const rest = sub[2] ?? '';
    const topic = TOPICS.find(([re]) => re.test(rest))?.[1];
    if (topic) {
      const warehouse = findWarehouses(rest, lexicon.warehouses)[0]?.code ?? null;
      return { lang, kind: UNSUBSCRIBE.test(text) ? 'unsubscribe' : 'subscribe', topic, warehouse };
    }
  }

  const request = parseRequest(text, lang, lexicon.warehouses);
  if (request) return request;

  const mentions = findWarehouses(text, lexicon.warehouses);
  const warehouse = mentions[0]?.code ?? null;
  const rest = removePhrases(removePhrases(withoutMentions(text, mentions), STOCK_WORDS_ZH, false), STOCK_WORDS_EN, true);
  // A leading 查 (查库存, 查A-1001) asks; it is not part of the item.
  const item = stripParticles(rest.replace(/^查\s*/, ''));
  if (item === '') {
    return STOCK_MARKERS.test(text) || warehouse !== null ? { lang, kind: 'stock_missing_item', warehouse } : { lang, kind: 'unknown', text };
  }
  if (!STOCK_MARKERS.test(text) && warehouse === null && (SMALL_TALK.test(item) || !looksLikeItem(item))) return { lang, kind: 'unknown', text };
  return { lang, kind: 'stock', item, warehouse };
}

/**
 * Chinese unless the words say English: a bare code, barcode or warehouse
 * code (A-1001, SH) is answered in the default language, Chinese.
 */
function languageOf(text: string): Lang {
  if (hasCjk(text)) return 'zh';
  // Letters with a vowel: a word (in, stock), not a code (SH, SZN) or pinyin initials (ljls).
  const words = text.split(' ').filter((w) => (/^[a-z']{3,}$/i.test(w) || /^[a-z]{2}$/.test(w)) && /[aeiou]/i.test(w));
  return words.length > 0 ? 'en' : 'zh';
}

/**
 * Could this be what someone calls an item: a code with a digit (A-1001), a
 * barcode, a short Chinese name, or pinyin initials (lsm6, ljls)?
 */
export function looksLikeItem(q: string): boolean {
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]*\d[A-Za-z0-9._/-]*$/.test(q) || /^\d{6,14}$/.test(q)) return true;
  if (hasCjk(q)) return [...q.replace(/\s/g, '')].length <= 16;
  return /^[a-z0-9]{2,12}$/i.test(q) && (/\d/.test(q) || (q.match(/[aeiou]/gi) ?? []).length <= 1);
}
