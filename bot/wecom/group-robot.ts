import { TransientSendError } from '../adapter.ts';
import type { Card } from '../core/card.ts';
import { postJson, TRANSIENT } from './api.ts';
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

/**
 * Posts to a group robot's webhook (群机器人): addressed by its key, no access
 * token. Frequency limit 20 messages a minute per robot (errcode 45009).
 */
export async function postToGroupRobot(apiBase: string, key: string, body: unknown): Promise<void> {
  const data = await postJson<{ errcode?: number; errmsg?: string }>(`${apiBase}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, body);
  const code = data.errcode ?? 0;
  if (code === 0) return;
  if (TRANSIENT.has(code)) throw new TransientSendError(`WeCom group robot errcode ${code}: ${data.errmsg ?? ''}`, 60_000 / 20);
  throw new Error(`WeCom group robot refused the message (errcode ${code}): ${data.errmsg ?? ''}`);
}
