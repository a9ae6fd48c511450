import type { Card } from '../core/card.ts';

const TEMPLATES: Record<NonNullable<Card['tone']>, string> = { info: 'blue', success: 'green', warning: 'orange', danger: 'red' };

/** Markdown-significant characters in our text are shown, not interpreted. */
const md = (s: string) => s.replace(/([*_~`<>[\]\\])/g, '\\$1');

/**
 * A neutral card as Feishu card JSON 2.0: header with the tone's colour,
 * markdown for fields, table rows and notes, a callback button per action
 * (the value comes back in card.action.trigger) and a link button to the
 * mini-app. `update_multi` lets every receiver see the card redrawn.
 */
export function toFeishuCard(card: Card): Record<string, unknown> {
  const elements: Record<string, unknown>[] = [];
  const text: string[] = [];
  if (card.fields?.length) text.push(card.fields.map((f) => `**${md(f.label)}**：${md(f.value)}`).join('\n'));
  if (card.table?.rows.length) {
    text.push(`**${card.table.columns.map(md).join(' | ')}**\n${card.table.rows.map((r) => r.map(md).join(' | ')).join('\n')}`);
  }
  if (card.notes?.length) text.push(card.notes.map((n) => `· ${md(n)}`).join('\n'));
  if (text.length) elements.push({ tag: 'markdown', content: text.join('\n\n') });
  for (const b of card.buttons ?? []) {
    elements.push({
      tag: 'button',
      text: { tag: 'plain_text', content: b.label },
      type: b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
      behaviors: [{ type: 'callback', value: b.value }],
    });
  }
  if (card.link) {
    elements.push({ tag: 'button', text: { tag: 'plain_text', content: card.link.label }, type: 'default', behaviors: [{ type: 'open_url', default_url: card.link.url }] });
  }
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: {
      title: { tag: 'plain_text', content: card.title },
      ...(card.subtitle ? { subtitle: { tag: 'plain_text', content: card.subtitle } } : {}),
      template: TEMPLATES[card.tone ?? 'info'],
    },
    body: { elements },
  };
}
