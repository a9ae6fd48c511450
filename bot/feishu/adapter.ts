import * as lark from '@larksuiteoapi/node-sdk';
import { createHash } from 'node:crypto';
import { TransientSendError, type ChatAdapter, type ChatRef, type EmployeeIdentity, type PlatformLimits } from '../adapter.ts';
import type { Card } from '../core/card.ts';
import { toFeishuCard } from './render.ts';
import type { FeishuTokenCache } from './token-cache.ts';

/** Feishu's `uuid` de-duplicates a send for an hour but holds at most 50 characters. */
const uuidOf = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 40);

/** Frequency-limit codes Feishu answers with HTTP 200 or 400. */
const THROTTLED = new Set([99991400, 230020]);
/** The tenant token is invalid or expired (revoked, rotated secret, clock skew): fetch a new one and try once more. */
const STALE_TOKEN = new Set([99991661, 99991663, 99991668, 99991677]);

/**
 * Sends and redraws cards through Feishu's OpenAPI with the official SDK
 * (it fetches and refreshes the tenant token). Direct chats are addressed by
 * the employee's open_id, groups by chat_id.
 */
export class FeishuAdapter implements ChatAdapter {
  readonly platform = 'feishu' as const;
  /** Cards ≤ 30 KB; 5 messages per second per group shared by all bots. */
  readonly limits: PlatformLimits = { maxTableRows: 25, maxTextLength: 12_000, sendsPerMinute: 240 };

  constructor(
    private readonly client: lark.Client,
    /** The client's token cache, dropped when Feishu says the token went stale. */
    private readonly tokens: FeishuTokenCache,
  ) {}

  directChat(e: EmployeeIdentity): ChatRef | null {
    return e.feishuOpenId ? { id: e.feishuOpenId, kind: 'direct' } : null;
  }

  async send(_companyId: number, chat: ChatRef, card: Card, idempotencyKey: string): Promise<string> {
    const res = await this.call(() =>
      this.client.im.v1.message.create({
        params: { receive_id_type: chat.id.startsWith('oc_') ? 'chat_id' : 'open_id' },
        data: { receive_id: chat.id, msg_type: 'interactive', content: JSON.stringify(toFeishuCard(card)), uuid: uuidOf(idempotencyKey) },
      }),
    );
    const id = res.data?.message_id;
    if (!id) throw new Error(`Feishu accepted a message without an id (code ${res.code})`);
    return id;
  }

  async update(_companyId: number, _chat: ChatRef, messageRef: string, card: Card): Promise<void> {
    await this.call(() => this.client.im.v1.message.patch({ path: { message_id: messageRef }, data: { content: JSON.stringify(toFeishuCard(card)) } }));
  }

  private async call<T extends { code?: number; msg?: string }>(request: () => Promise<T>): Promise<T> {
    try {
      return await call(request);
    } catch (err) {
      if (!(err instanceof StaleTokenError)) throw err;
      this.tokens.clear();
      return call(request);
    }
  }
}

class StaleTokenError extends Error {}

/** Feishu errors worth a retry (throttling, 5xx, network) become TransientSendError; the rest pass through. */
async function call<T extends { code?: number; msg?: string }>(request: () => Promise<T>): Promise<T> {
  let res: T;
  try {
    res = await request();
  } catch (err) {
    const e = err as { response?: { status?: number; data?: { code?: number; msg?: string }; headers?: Record<string, string> }; code?: string; message?: string };
    const status = e.response?.status;
    const code = e.response?.data?.code;
    if (code !== undefined && STALE_TOKEN.has(code)) throw new StaleTokenError(`Feishu token stale (code ${code})`);
    if (status === undefined || status === 429 || status >= 500 || (code !== undefined && THROTTLED.has(code))) {
      const retryAfter = Number(e.response?.headers?.['x-ogw-ratelimit-reset'] ?? Number.NaN);
      throw new TransientSendError(`Feishu ${status ?? e.code ?? 'network'}: ${e.response?.data?.msg ?? e.message ?? ''}`, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
    }
    throw new Error(`Feishu refused (${status}, code ${code}): ${e.response?.data?.msg ?? e.message ?? ''}`);
  }
  if (res.code !== undefined && res.code !== 0) {
    if (STALE_TOKEN.has(res.code)) throw new StaleTokenError(`Feishu token stale (code ${res.code})`);
    if (THROTTLED.has(res.code)) throw new TransientSendError(`Feishu throttled: ${res.msg ?? res.code}`);
    throw new Error(`Feishu refused (code ${res.code}): ${res.msg ?? ''}`);
  }
  return res;
}
