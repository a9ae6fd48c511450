/**
 * The neutral answer every adapter renders in its platform's richest form
 * (DingTalk interactive card, Feishu card JSON 2.0, WeCom template card,
 * markdown where cards are not available). Text is final: already in the
 * reader's language.
 */
export interface Card {
  title: string;
  subtitle?: string;
  tone?: 'info' | 'success' | 'warning' | 'danger';
  fields?: CardField[];
  table?: CardTable;
  notes?: string[];
  buttons?: CardButton[];
  /** Opens the mini-app page for more (forms, long lists, charts). */
  link?: { label: string; url: string };
}

export interface CardField {
  label: string;
  value: string;
}

export interface CardTable {
  columns: string[];
  rows: string[][];
  /** Rows left out to respect size limits ("and N more"), reachable through the link. */
  more?: number;
}

export interface CardButton {
  label: string;
  style?: 'primary' | 'danger' | 'default';
  /** Comes back verbatim when tapped; see `actions.ts` for what it may hold. */
  value: ActionValue;
}

export type ActionValue = Record<string, string | number>;

/**
 * The plain-text form of a card: what markdown-less channels, logs and
 * notification previews show.
 */
export function cardToText(card: Card): string {
  const out: string[] = [card.title];
  if (card.subtitle) out.push(card.subtitle);
  for (const f of card.fields ?? []) out.push(`${f.label}: ${f.value}`);
  if (card.table) {
    out.push(card.table.columns.join(' | '));
    for (const r of card.table.rows) out.push(r.join(' | '));
  }
  for (const n of card.notes ?? []) out.push(n);
  if (card.buttons?.length) out.push(card.buttons.map((b) => `[${b.label}]`).join(' '));
  if (card.link) out.push(`${card.link.label}: ${card.link.url}`);
  return out.join('\n');
}
