import { Hono } from 'hono';
import { Background } from '../background.ts';
import { decryptEvent, verifySignature } from './crypto.ts';
import { feishuEventDispatcher, type FeishuEventDeps } from './events.ts';

export interface FeishuWebhookDeps extends FeishuEventDeps {
  encryptKey: string;
  verificationToken: string;
}

/**
 * Feishu's event callback, mounted on Hono: our own checks on the raw body
 * (signature, freshness, decryption, verification token), then the SDK's
 * dispatcher routes by event type (see `feishuEventDispatcher`: answered at
 * once, worked on afterwards).
 */
export function feishuWebhook(deps: FeishuWebhookDeps) {
  const background = new Background('feishu event', deps.log);

  const dispatcher = feishuEventDispatcher(deps, background);

  const app = new Hono().post('/events', async (c) => {
    const raw = await c.req.text();
    const verdict = verifySignature(
      { timestamp: c.req.header('x-lark-request-timestamp'), nonce: c.req.header('x-lark-request-nonce'), signature: c.req.header('x-lark-signature') },
      deps.encryptKey,
      raw,
    );
    if (verdict !== 'ok') return c.json({ error: { code: 'UNAUTHORIZED', message: `Feishu signature ${verdict}`, details: null } }, 401);
    let body: Record<string, unknown>;
    try {
      const outer = JSON.parse(raw) as { encrypt?: string };
      body = JSON.parse(outer.encrypt ? decryptEvent(outer.encrypt, deps.encryptKey) : raw) as Record<string, unknown>;
    } catch {
      return c.json({ error: { code: 'VALIDATION_FAILED', message: 'Feishu event body is not valid (encrypted) JSON', details: null } }, 400);
    }
    const header = body.header as { token?: string } | undefined;
    const token = body.type === 'url_verification' ? body.token : header?.token;
    if (token !== deps.verificationToken) return c.json({ error: { code: 'UNAUTHORIZED', message: 'Feishu verification token mismatch', details: null } }, 401);
    if (body.type === 'url_verification') return c.json({ challenge: body.challenge });
    const answer = await dispatcher.invoke(body, { needCheck: false });
    return c.json(answer ?? {});
  });
  return { app, idle: () => background.idle() };
}
