import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export const FAKE_AIBOT = { botId: 'aibfake0001', secret: 'fake-aibot-secret' };

interface Frame {
  cmd?: string;
  headers: { req_id: string };
  body?: Record<string, unknown>;
  errcode?: number;
  errmsg?: string;
}

/**
 * WeCom's smart-bot gateway on loopback, as @wecom/aibot-node-sdk speaks to
 * it: JSON frames `{cmd, headers:{req_id}, body}`; the subscribe frame is
 * checked against the bot's id and secret, pings and sends are acked
 * `{headers:{req_id}, errcode:0}`, and messages are pushed as
 * `aibot_msg_callback` frames.
 */
export class FakeWeComSmartBotGateway {
  /** What the bot sent with `aibot_send_msg`: chat id and markdown. */
  readonly sent: { chatid: string; content: string }[] = [];
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private socket: WebSocket | null = null;
  url = '';

  async start(): Promise<string> {
    this.server = createServer();
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => {
      ws.on('message', (data) => this.onFrame(ws, JSON.parse(String(data)) as Frame));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  /** A text message to the bot, as WeCom pushes it: in a group (@-mention included) or a direct chat. */
  pushText(from: string, text: string, opts: { chatid?: string; msgid?: string } = {}): string {
    const msgid = opts.msgid ?? randomUUID();
    this.socket?.send(
      JSON.stringify({
        cmd: 'aibot_msg_callback',
        headers: { req_id: randomUUID() },
        body: { msgid, aibotid: FAKE_AIBOT.botId, ...(opts.chatid ? { chatid: opts.chatid, chattype: 'group' } : { chattype: 'single' }), from: { userid: from }, msgtype: 'text', text: { content: text } },
      }),
    );
    return msgid;
  }

  private onFrame(ws: WebSocket, f: Frame): void {
    const ack = (errcode = 0, errmsg = 'ok') => ws.send(JSON.stringify({ headers: { req_id: f.headers.req_id }, errcode, errmsg }));
    if (f.cmd === 'aibot_subscribe') {
      if (f.body?.bot_id !== FAKE_AIBOT.botId || f.body?.secret !== FAKE_AIBOT.secret) {
        ack(40058, 'invalid bot_id or secret');
        return;
      }
      this.socket = ws;
      ack();
      return;
    }
    if (f.cmd === 'ping') return ack();
    if (f.cmd === 'aibot_send_msg') {
      const md = (f.body?.markdown as { content?: string } | undefined)?.content;
      if (f.body?.msgtype !== 'markdown' || !md || Buffer.byteLength(md) > 4096) return ack(40008, 'invalid message');
      this.sent.push({ chatid: String(f.body.chatid), content: md });
      return ack();
    }
    ack(40001, `unknown cmd ${f.cmd}`);
  }
}
