import type { Card } from '../core/card.ts';
import { say, type Lang } from '../core/words.ts';

/** A group robot's markdown message holds at most 4096 bytes (UTF-8). */
const MAX_BYTES = 4096;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const COLOR = { danger: 'warning', warning: 'warning', success: 'info', info: 'comment' } as const;

/**
 * A neutral card as WeCom group-robot markdown: robots can neither show
 * buttons nor be tapped, so the card's link carries the reader on. Lines
 * that do not fit are cut from the end, counted, and the link kept.
 */
export function robotMarkdown(card: Card, lang: Lang = 'zh'): string {
  const head = [`### <font color="${COLOR[card.tone ?? 'info']}">${card.title}</font>`, ...(card.subtitle ? [`> ${card.subtitle}`] : [])];
  const body = [
    ...(card.fields ?? []).map((f) => `**${f.label}**：${f.value}`),
    ...(card.table ? [`**${card.table.columns.join(' | ')}**`, ...card.table.rows.map((r) => r.join(' | '))] : []),
    ...(card.notes ?? []),
  ];
  const tail = card.link ? [`[${card.link.label}](${card.link.url})`] : [];
  const compose = (lines: string[], cut: number) => [...head, ...lines, ...(cut > 0 ? [say(lang, 'andMore', { n: cut })] : []), ...tail].join('\n');
  let kept = body.length;
  while (kept > 0 && bytes(compose(body.slice(0, kept), body.length - kept)) > MAX_BYTES) kept--;
  return compose(body.slice(0, kept), body.length - kept);
}
