import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import type { Database } from '../../db/client.ts';
import type { ChatAdapter, ChatRef } from '../adapter.ts';
import type { Conversation } from '../core/conversation.ts';
import type { DeliveryService } from '../delivery.ts';
import { Background } from '../background.ts';
import { postReplies, rememberCard } from '../sent-cards.ts';

export interface DingTalkStreamDeps {
  db: Database;
  companyId: number;
  conversation: Conversation;
  adapter: ChatAdapter;
  delivery: DeliveryService;
  clientId: string;
  clientSecret: string;
  /** The stream gateway's "open connection" URL; DingTalk's own unless a loopback cloud stands in. */
  gatewayUrl?: string;
  log?: (message: string, err?: unknown) => void;
}

interface RobotMessage {
  msgId: string;
  msgtype: string;
  text?: { content: string };
  content?: { recognition?: string };
  conversationId: string;
  conversationType: '1' | '2';
  senderStaffId?: string;
  isInAtList?: boolean;
}

interface CardCallback {
  outTrackId: string;
  userId: string;
  content: string;
}

/**
 * The SDK's client, with the gateway URL configurable (the SDK hard-codes
 * DingTalk's): the documented seam for a loopback gateway.
 */
class StreamClient extends DWClient {
  constructor(
    opts: { clientId: string; clientSecret: string },
    private readonly gatewayUrl: string | undefined,
  ) {
    super({ ...opts, keepAlive: true });
  }

  override async getEndpoint(): Promise<this> {
    if (!this.gatewayUrl) return super.getEndpoint();
    const res = await fetch(this.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ clientId: this.config.clientId, clientSecret: this.config.clientSecret, ua: this.config.ua, subscriptions: this.config.subscriptions }),
    });
    const { endpoint, ticket } = (await res.json()) as { endpoint?: string; ticket?: string };
    if (!endpoint || !ticket) throw new Error('DingTalk gateway answered without endpoint or ticket');
    (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
    return this;
  }
}

/**
 * DingTalk stream mode: robot messages and interactive-card taps arrive on
 * one WebSocket. Each is acknowledged at once (DingTalk re-pushes what is not
 * acked) and worked on afterwards; the core acts once per msgId / callback id.
 */
export class DingTalkStream {
  private readonly client: StreamClient;
  private readonly background: Background;

  constructor(private readonly deps: DingTalkStreamDeps) {
    this.background = new Background('dingtalk callback', deps.log);
    this.client = new StreamClient({ clientId: deps.clientId, clientSecret: deps.clientSecret }, deps.gatewayUrl);
    this.client.registerCallbackListener(TOPIC_ROBOT, (frame) => this.acked(frame, () => this.onMessage(JSON.parse(frame.data) as RobotMessage)));
    this.client.registerCallbackListener(TOPIC_CARD, (frame) => this.acked(frame, () => this.onTap(frame.headers.messageId, JSON.parse(frame.data) as CardCallback)));
  }

  async start(): Promise<void> {
    await this.client.connect();
  }

  get connected(): boolean {
    return this.client.connected;
  }

  async stop(): Promise<void> {
    this.client.disconnect();
    await this.idle();
  }

  idle(): Promise<void> {
    return this.background.idle();
  }

  private acked(frame: DWClientDownStream, work: () => Promise<void>): void {
    this.client.socketCallBackResponse(frame.headers.messageId, {});
    this.background.run(work);
  }

  private async onMessage(m: RobotMessage): Promise<void> {
    const sender = m.senderStaffId;
    const text = m.msgtype === 'text' ? m.text?.content : m.msgtype === 'audio' ? m.content?.recognition : undefined;
    if (!sender || !text) return;
    const direct = m.conversationType === '1';
    // One-to-one replies go to the person (the robot's direct chat), group replies to the group.
    const chat: ChatRef = direct ? { id: sender, kind: 'direct' } : { id: m.conversationId, kind: 'group' };
    const replies = await this.deps.conversation.handleMessage({
      platform: 'dingtalk',
      companyId: this.deps.companyId,
      chat,
      senderId: sender,
      text,
      // In groups DingTalk pushes only messages that @ the robot.
      mentioned: direct || m.isInAtList !== false,
      eventId: m.msgId,
    });
    await postReplies(this.deps, chat, replies, `reply:${m.msgId}`, sender);
  }

  private async onTap(callbackId: string, c: CardCallback): Promise<void> {
    const params = (JSON.parse(c.content) as { cardPrivateData?: { params?: { value?: string } } }).cardPrivateData?.params;
    let value: unknown = null;
    try {
      value = params?.value ? JSON.parse(params.value) : null;
    } catch {
      value = null; // answered as "this button no longer works"
    }
    const chat: ChatRef = { id: c.userId, kind: 'direct' };
    const outcome = await this.deps.conversation.handleTap({
      platform: 'dingtalk',
      companyId: this.deps.companyId,
      chat,
      senderId: c.userId,
      messageRef: c.outTrackId,
      value,
      eventId: callbackId,
    });
    if (outcome.update) {
      await this.deps.adapter.update(this.deps.companyId, chat, c.outTrackId, outcome.update.card);
      if (outcome.update.requestId !== undefined) {
        await rememberCard(this.deps.db, { companyId: this.deps.companyId, requestId: outcome.update.requestId, platform: 'dingtalk', chatId: chat.id, recipientUserId: c.userId, messageRef: c.outTrackId });
      }
    }
    await postReplies(this.deps, chat, outcome.replies, `reply:${callbackId}`, c.userId);
  }

}
