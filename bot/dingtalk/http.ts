import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { Background } from '../background.ts';
import { onCardCallback, onRobotMessage, type CardCallback, type DingTalkEventDeps, type RobotMessage } from './events.ts';

/** DingTalk signs HTTP callbacks with a millisecond timestamp; older than an hour is refused. */
const MAX_AGE_MS = 60 * 60_000;

/** `sign` = base64(HMAC-SHA256(appSecret, timestamp + "\n" + appSecret)); it does not cover the body. */
export function callbackSign(timestamp: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
}

export function verifyCallback(headers: { timestamp?: string | undefined; sign?: string | undefined }, appSecret: string, now = Date.now()): 'ok' | 'missing' | 'stale' | 'mismatch' {
  const { timestamp, sign } = headers;
  if (!timestamp || !sign) return 'missing';
  const at = Number(timestamp);
  if (!Number.isFinite(at) || Math.abs(now - at) > MAX_AGE_MS) return 'stale';
  const expected = Buffer.from(callbackSign(timestamp, appSecret));
  const given = Buffer.from(sign);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'mismatch';
}

/**
 * DingTalk's HTTP mode, for apps that do not use the stream: robot messages
 * and interactive-card callbacks POSTed to /dingtalk/events. The signature
 * covers only the timestamp, so the body is trusted no further than the
 * conversation core's own checks, and events are acted on once by their ids
 * (a card callback has none: the tap is keyed by card, user, payload and the
 * signed timestamp — a second tap is a second event, which the core answers
 * without deciding twice).
 * Answered at once, worked on afterwards.
 */
export function dingtalkHttpCallbacks(deps: DingTalkEventDeps & { appSecret: string }) {
  const background = new Background('dingtalk http callback', deps.log);
  const app = new Hono().post('/events', async (c) => {
    const verdict = verifyCallback({ timestamp: c.req.header('timestamp'), sign: c.req.header('sign') }, deps.appSecret);
    if (verdict !== 'ok') return c.json({ error: { code: 'UNAUTHORIZED', message: `DingTalk signature ${verdict}`, details: null } }, 401);
    const raw = await c.req.text();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return c.json({ error: { code: 'VALIDATION_FAILED', message: 'DingTalk callback body is not JSON', details: null } }, 400);
    }
    if (typeof body.outTrackId === 'string' && typeof body.userId === 'string' && typeof body.content === 'string') {
      const tap = body as unknown as CardCallback;
      const id = `http:${createHash('sha256').update(`${tap.outTrackId}\n${tap.userId}\n${tap.content}\n${c.req.header('timestamp')}`).digest('hex').slice(0, 40)}`;
      background.run(() => onCardCallback(deps, id, tap));
      return c.json({});
    }
    if (typeof body.msgId === 'string' && typeof body.msgtype === 'string') {
      background.run(() => onRobotMessage(deps, body as unknown as RobotMessage));
      return c.json({});
    }
    return c.json({ error: { code: 'VALIDATION_FAILED', message: 'Neither a robot message (msgId, msgtype) nor a card callback (outTrackId, userId, content)', details: null } }, 400);
  });
  return { app, idle: () => background.idle() };
}
