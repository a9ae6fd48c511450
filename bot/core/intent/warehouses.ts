import type { WarehouseWord } from '../intent.ts';

export interface WarehouseMention {
  code: string;
  start: number;
  end: number;
}

/**
 * Finds warehouse mentions: a name (上海仓), an alias (上海, 沪) or a code
 * (SH), with a trailing 仓/仓库. A one-character alias counts only when it
 * stands alone or before 仓, so 深沟球轴承 is not 深圳仓.
 */
export function findWarehouses(text: string, warehouses: readonly WarehouseWord[]): WarehouseMention[] {
  const found: WarehouseMention[] = [];
  const taken = (s: number, e: number) => found.some((f) => s < f.end && e > f.start);
  for (const { code, word, re } of patternsFor(warehouses)) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const start = m.index;
      let end = start + m[0].length;
      // 上海 + 仓库, 上海 + 仓, 上海仓 + 库: all one mention; but 上海仓库存 is 上海仓 + 库存.
      const storage = (at: number) => text[at] === '库' && text[at + 1] !== '存';
      if (text[end] === '仓' && storage(end + 1)) end += 2;
      else if (text[end] === '仓' && !word.endsWith('仓')) end += 1;
      else if (text[end - 1] === '仓' && storage(end)) end += 1;
      if (!taken(start, end)) found.push({ code, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Words that put a warehouse right after them (在沪仓, 从深仓, 到沪仓). Only
 * these may precede a one-character alias + 仓: any other character could be
 * the start of an item name (加深仓储箱).
 */
const PLACE_PARTICLES = '[在从到至往去]';

interface Pattern {
  code: string;
  word: string;
  re: RegExp;
}

/** Compiled once per warehouse list (the directory hands out the same list until it changes). */
const patterns = new WeakMap<readonly WarehouseWord[], Pattern[]>();

function patternsFor(warehouses: readonly WarehouseWord[]): Pattern[] {
  const known = patterns.get(warehouses);
  if (known) return known;
  const words = warehouses.flatMap((w) => [w.name, ...w.aliases, w.code].filter(Boolean).map((word) => ({ code: w.code, word })));
  words.sort((a, b) => b.word.length - a.word.length);
  const compiled = words.map(({ code, word }) => {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = /^[\x20-\x7e]+$/.test(word)
      ? new RegExp(`(?<![A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_-])`, 'gi')
      : [...word].length === 1
        ? new RegExp(`(?:(?<![\\u3400-\\u9fffA-Za-z0-9])|(?<=${PLACE_PARTICLES}))${escaped}(?:仓库|仓)|(?<![^\\s])${escaped}(?![^\\s])`, 'g')
        : new RegExp(escaped, 'g');
    return { code, word, re };
  });
  patterns.set(warehouses, compiled);
  return compiled;
}

/** The text with the mentions cut out (replaced by a space). */
export function withoutMentions(text: string, mentions: readonly WarehouseMention[]): string {
  let out = '';
  let at = 0;
  for (const m of mentions) {
    out += `${text.slice(at, m.start)} `;
    at = m.end;
  }
  return (out + text.slice(at)).replace(/\s+/g, ' ').trim();
}
