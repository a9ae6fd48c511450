import { DWClient, TOPIC_CARD, TOPIC_ROBOT, type DWClientDownStream } from 'dingtalk-stream';
import { Background } from '../background.ts';
import { onCardCallback, onRobotMessage, type CardCallback, type DingTalkEventDeps, type RobotMessage } from './events.ts';

export interface DingTalkStreamDeps extends DingTalkEventDeps {
  clientId: string;
  clientSecret: string;
  /** The stream gateway's "open connection" URL; DingTalk's own unless a loopback cloud stands in. */
  gatewayUrl?: string;
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
    this.client.registerCallbackListener(TOPIC_ROBOT, (frame) => this.acked(frame, () => onRobotMessage(deps, JSON.parse(frame.data) as RobotMessage)));
    this.client.registerCallbackListener(TOPIC_CARD, (frame) => this.acked(frame, () => onCardCallback(deps, frame.headers.messageId, JSON.parse(frame.data) as CardCallback)));
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
}
