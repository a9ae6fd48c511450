import { WSClient } from '@wecom/aibot-node-sdk';
import type { ChatRef } from '../adapter.ts';
import { Background } from '../background.ts';
import { postReplies, type ChatEventDeps } from '../sent-cards.ts';
import { WECOM_SMART_BOT_PREFIX } from './chat-ids.ts';

export interface WeComSmartBotDeps extends ChatEventDeps {
  botId: string;
  secret: string;
  /** Only to point the SDK at a loopback gateway; WeCom's own by default. */
  wsUrl?: string;
  connectTimeoutMs?: number;
}

interface TextFrame {
  headers: { req_id: string };
  body: { msgid: string; chatid?: string; chattype: 'single' | 'group'; from: { userid: string }; msgtype: string; text?: { content: string } };
}

/** The smart bot could not connect: wrong bot id or secret, or WeCom unreachable. */
export class WeComSmartBotError extends Error {
  override readonly name = 'WeComSmartBotError';
}

/**
 * WeCom's smart bot (智能机器人) over its WebSocket (@wecom/aibot-node-sdk):
 * the way to be asked in ordinary group chats, which a self-built app cannot
 * join. Questions @-asked in a group (or in a direct chat with the bot) reach
 * the conversation core; answers, digests and alerts go back as markdown with
 * `sendMessage`. Identity is the asker's WeCom userid, as for the app.
 */
export class WeComSmartBot {
  private readonly client: WSClient;
  private readonly background: Background;

  constructor(private readonly deps: WeComSmartBotDeps) {
    this.background = new Background('wecom smart bot message', deps.log);
    const quiet = () => undefined;
    const line = (...msg: unknown[]) => deps.log?.(`wecom smart bot: ${msg.map(String).join(' ')}`);
    this.client = new WSClient({
      botId: deps.botId,
      secret: deps.secret,
      ...(deps.wsUrl ? { wsUrl: deps.wsUrl } : {}),
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: 1,
      logger: { debug: quiet, info: quiet, warn: line, error: line },
    });
    this.client.on('message.text', (frame) => this.background.run(() => this.onText(frame as unknown as TextFrame)));
  }

  /** Connects and resolves once WeCom accepted the bot's credentials. */
  async start(): Promise<void> {
    const timeoutMs = this.deps.connectTimeoutMs ?? 30_000;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new WeComSmartBotError(`WeCom smart bot not connected after ${timeoutMs} ms`)), timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.client.off('authenticated', ok);
        this.client.off('error', fail);
      };
      const ok = () => {
        done();
        resolve();
      };
      const fail = (err: Error) => {
        done();
        this.client.disconnect();
        reject(err instanceof WeComSmartBotError ? err : new WeComSmartBotError(`WeCom smart bot refused: ${err.message}`, { cause: err }));
      };
      this.client.on('authenticated', ok);
      this.client.on('error', fail);
      this.client.connect();
    });
  }

  async stop(): Promise<void> {
    this.client.disconnect();
    await this.background.idle();
  }

  idle(): Promise<void> {
    return this.background.idle();
  }

  /** Posts markdown to a conversation the bot is in (a group's chatid, or a user's id for a direct chat). */
  async send(chatId: string, content: string): Promise<void> {
    await this.client.sendMessage(chatId, { msgtype: 'markdown', markdown: { content } });
  }

  private async onText(frame: TextFrame): Promise<void> {
    const m = frame.body;
    const text = m.text?.content;
    if (!text || !m.from?.userid) return;
    const group = m.chattype === 'group';
    const chat: ChatRef = { id: `${WECOM_SMART_BOT_PREFIX}${group ? (m.chatid ?? '') : m.from.userid}`, kind: group ? 'group' : 'direct' };
    const replies = await this.deps.conversation.handleMessage({
      platform: 'wecom',
      companyId: this.deps.companyId,
      chat,
      senderId: m.from.userid,
      // The bot receives group messages only when @-mentioned; the mention itself is in the text.
      text: text.replace(/@\S+/g, ' '),
      mentioned: true,
      eventId: `aibot:${m.msgid}`,
    });
    await postReplies(this.deps, chat, replies, `reply:aibot:${m.msgid}`, m.from.userid);
  }
}
