import { createHash } from 'node:crypto';
import type { ChatAdapter, ChatRef, EmployeeIdentity, PlatformLimits } from '../adapter.ts';
import type { Card } from '../core/card.ts';
import type { DingTalkApi } from './openapi.ts';

/**
 * A neutral card for DingTalk. With an interactive card template (互动卡片,
 * callbackType STREAM) the card keeps its buttons and can be redrawn; without
 * one it degrades to markdown sent by the robot, which can be neither tapped
 * nor updated. The template reads these variables (all strings): title,
 * subtitle, tone (info|success|warning|danger), markdown, buttons (a JSON
 * array of { text, style, value }, each button sending `value` back as its
 * callback param `value`) and link_text / link_url.
 */
export function cardParams(card: Card): Record<string, string> {
  return {
    title: card.title,
    subtitle: card.subtitle ?? '',
    tone: card.tone ?? 'info',
    markdown: markdownOf(card),
    buttons: JSON.stringify((card.buttons ?? []).map((b) => ({ text: b.label, style: b.style ?? 'default', value: JSON.stringify(b.value) }))),
    link_text: card.link?.label ?? '',
    link_url: card.link?.url ?? '',
  };
}

/** DingTalk markdown has no tables: rows become lines; paragraphs need blank lines. */
export function markdownOf(card: Card): string {
  const parts: string[] = [];
  if (card.subtitle) parts.push(card.subtitle);
  if (card.fields?.length) parts.push(card.fields.map((f) => `**${f.label}**：${f.value}`).join('  \n'));
  if (card.table?.rows.length) parts.push([`**${card.table.columns.join(' | ')}**`, ...card.table.rows.map((r) => r.join(' | '))].join('  \n'));
  if (card.notes?.length) parts.push(card.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

/** outTrackId: unique per card, ≤ 64 characters, the same for a retried send. */
const trackIdOf = (key: string) => `sp-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;

/**
 * Sends cards through DingTalk's OpenAPI: interactive cards when a template
 * is configured, robot markdown otherwise. Direct chats are addressed by the
 * employee's staff id (userid), groups by openConversationId.
 */
export class DingTalkAdapter implements ChatAdapter {
  readonly platform = 'dingtalk' as const;
  /** msgParam ≤ 15 000 bytes; group robots 20 messages a minute. */
  readonly limits: PlatformLimits = { maxTableRows: 20, maxTextLength: 5_000, sendsPerMinute: 20 };

  constructor(
    private readonly api: DingTalkApi,
    private readonly cardTemplateId: string | null,
    /** HTTP mode: taps are POSTed to the callback registered under this route key instead of arriving on the stream. */
    private readonly callbackRouteKey: string | null = null,
  ) {}

  directChat(e: EmployeeIdentity): ChatRef | null {
    return e.dingtalkUserId ? { id: e.dingtalkUserId, kind: 'direct' } : null;
  }

  async send(_companyId: number, chat: ChatRef, card: Card, idempotencyKey: string): Promise<string> {
    const robotCode = this.api.app.robotCode;
    if (this.cardTemplateId) {
      const outTrackId = trackIdOf(idempotencyKey);
      const group = chat.kind === 'group';
      await this.api.call('POST', '/v1.0/card/instances/createAndDeliver', {
        cardTemplateId: this.cardTemplateId,
        outTrackId,
        ...(this.callbackRouteKey ? { callbackType: 'HTTP', callbackRouteKey: this.callbackRouteKey } : { callbackType: 'STREAM' }),
        cardData: { cardParamMap: cardParams(card) },
        openSpaceId: group ? `dtv1.card//IM_GROUP.${chat.id}` : `dtv1.card//IM_ROBOT.${chat.id}`,
        ...(group ? { imGroupOpenDeliverModel: { robotCode } } : { imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT' } }),
      });
      return outTrackId;
    }
    const msgParam = JSON.stringify({ title: card.title, text: `### ${card.title}\n\n${markdownOf(card)}${card.link ? `\n\n[${card.link.label}](${card.link.url})` : ''}` });
    const res =
      chat.kind === 'group'
        ? await this.api.call<{ processQueryKey?: string }>('POST', '/v1.0/robot/groupMessages/send', { robotCode, openConversationId: chat.id, msgKey: 'sampleMarkdown', msgParam })
        : await this.api.call<{ processQueryKey?: string }>('POST', '/v1.0/robot/oToMessages/batchSend', { robotCode, userIds: [chat.id], msgKey: 'sampleMarkdown', msgParam });
    return res.processQueryKey ?? trackIdOf(idempotencyKey);
  }

  async update(_companyId: number, _chat: ChatRef, messageRef: string, card: Card): Promise<void> {
    // Robot markdown cannot be changed once sent; only interactive cards are redrawn.
    if (!this.cardTemplateId) return;
    await this.api.call('PUT', '/v1.0/card/instances', { outTrackId: messageRef, cardData: { cardParamMap: cardParams(card) }, cardUpdateOptions: { updateCardDataByKey: true } });
  }
}
