import { createHash } from 'node:crypto';
import type { ChatAdapter, ChatRef, EmployeeIdentity, PlatformLimits } from '../adapter.ts';
import type { ActionValue, Card } from '../core/card.ts';
import { cardLang } from '../core/words.ts';
import type { WeComApi } from './api.ts';
import { postToGroupRobot, robotMarkdown } from './group-robot.ts';
import { WECOM_ROBOT_PREFIX, WECOM_SMART_BOT_PREFIX } from './chat-ids.ts';

const MAX_BUTTONS = 6;
const MAX_PAIRS = 6;

/** A button's payload travels as its `key`, which WeCom echoes in the click event. */
export const keyOf = (value: ActionValue): string => Buffer.from(JSON.stringify(value)).toString('base64url');
export const valueOfKey = (key: string): unknown => {
  try {
    return JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
};

/** Notes, table rows and the fields beyond what the card's key/value list holds, as the card's sub-title text. */
function detailText(card: Card): string {
  const lines = [
    ...(card.fields ?? []).slice(MAX_PAIRS).map((f) => `${f.label}: ${f.value}`),
    ...(card.table?.rows.length ? [card.table.columns.join(' | '), ...card.table.rows.map((r) => r.join(' | '))] : []),
    ...(card.notes ?? []),
  ];
  return lines.join('\n');
}

/**
 * A neutral card as a WeCom template card: `button_interaction` when it has
 * buttons (≤ 6; the payload in each button's key), `text_notice` otherwise.
 */
export function templateCard(card: Card, taskId: string): Record<string, unknown> {
  const common = {
    task_id: taskId,
    main_title: { title: card.title, ...(card.subtitle ? { desc: card.subtitle } : {}) },
    sub_title_text: detailText(card),
    horizontal_content_list: (card.fields ?? []).slice(0, MAX_PAIRS).map((f) => ({ keyname: f.label, value: f.value })),
    ...(card.link ? { card_action: { type: 1, url: card.link.url }, jump_list: [{ type: 1, title: card.link.label, url: card.link.url }] } : {}),
  };
  const buttons = (card.buttons ?? []).slice(0, MAX_BUTTONS);
  if (buttons.length === 0) return { card_type: 'text_notice', ...common, card_action: common.card_action ?? { type: 1, url: 'https://work.weixin.qq.com' } };
  return {
    card_type: 'button_interaction',
    ...common,
    button_list: buttons.map((b) => ({ text: b.label, style: b.style === 'danger' ? 3 : b.style === 'primary' ? 1 : 2, key: keyOf(b.value) })),
  };
}

/** task_id: ≤ 128 of [A-Za-z0-9_-@], unique per app, the same for a retried send. */
const taskIdOf = (key: string) => `sp_${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

/**
 * Sends template cards to people through the self-built app (app messages go
 * to users, not ordinary groups), and markdown to groups through their group
 * robot (chat id "robot:<webhook key>", set up by an admin). A card can be redrawn only with the single-
 * use response code of a click on it: the tapper's card is redrawn, cards in
 * other people's chats keep what they showed.
 */
export class WeComAdapter implements ChatAdapter {
  readonly platform = 'wecom' as const;
  readonly limits: PlatformLimits = { maxTableRows: 15, maxTextLength: 1_500, sendsPerMinute: 30 };
  /** Latest unused response code per card (task id), from click events; valid 72 h, once. */
  private readonly responseCodes = new Map<string, string>();

  private smartBot: { send(chatId: string, content: string): Promise<void> } | null = null;

  constructor(
    /** The self-built app, for people's direct chats and approval cards; null when only a smart bot is set up. */
    private readonly api: WeComApi | null,
    private readonly apiBase: string,
  ) {}

  /** Conversations the smart bot is in ("aibot:<chatid>") are answered through it. */
  attachSmartBot(bot: { send(chatId: string, content: string): Promise<void> }): void {
    this.smartBot = bot;
  }

  directChat(e: EmployeeIdentity): ChatRef | null {
    return e.wecomUserId && this.api ? { id: e.wecomUserId, kind: 'direct' } : null;
  }

  noteClick(taskId: string, responseCode: string): void {
    this.responseCodes.set(taskId, responseCode);
  }

  async send(_companyId: number, chat: ChatRef, card: Card, idempotencyKey: string): Promise<string> {
    const taskId = taskIdOf(idempotencyKey);
    // Groups: through the group's robot or the smart bot, as markdown (no buttons, no redraw), in the card's language.
    if (chat.id.startsWith(WECOM_ROBOT_PREFIX)) {
      await postToGroupRobot(this.apiBase, chat.id.slice(WECOM_ROBOT_PREFIX.length), { msgtype: 'markdown', markdown: { content: robotMarkdown(card, cardLang(card.title)) } });
      return taskId;
    }
    if (chat.id.startsWith(WECOM_SMART_BOT_PREFIX)) {
      if (!this.smartBot) throw new Error(`WeCom smart bot not configured: cannot post to ${chat.id}`);
      await this.smartBot.send(chat.id.slice(WECOM_SMART_BOT_PREFIX.length), robotMarkdown(card, cardLang(card.title)));
      return taskId;
    }
    if (!this.api) throw new Error(`WeCom self-built app not configured: cannot post to ${chat.id}`);
    await this.api.post('/cgi-bin/message/send', {
      touser: chat.id,
      msgtype: 'template_card',
      agentid: this.api.app.agentId,
      template_card: templateCard(card, taskId),
      enable_duplicate_check: 1,
      duplicate_check_interval: 1800,
    });
    return taskId;
  }

  async update(_companyId: number, chat: ChatRef, messageRef: string, card: Card): Promise<void> {
    if (chat.id.startsWith(WECOM_ROBOT_PREFIX) || chat.id.startsWith(WECOM_SMART_BOT_PREFIX) || !this.api) return; // markdown cannot be changed
    const code = this.responseCodes.get(messageRef);
    if (!code) return;
    this.responseCodes.delete(messageRef);
    await this.api.post('/cgi-bin/message/update_template_card', {
      userids: [chat.id],
      agentid: this.api.app.agentId,
      response_code: code,
      template_card: templateCard(card, messageRef),
    });
  }
}
