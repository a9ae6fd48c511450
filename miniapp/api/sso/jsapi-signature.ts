import { createHash, randomInt } from 'node:crypto';

/**
 * The text all three messengers sign to authorise a page's JS API calls,
 * fields in this order, values raw (not URL-encoded):
 * `jsapi_ticket=…&noncestr=…&timestamp=…&url=…`.
 * Sources: WeCom "JS-SDK 签名算法" (developer.work.weixin.qq.com/document/path/96909,
 * whose worked example is checked in test/miniapp-jsapi.test.ts); Feishu
 * "鉴权调用 JSAPI" / "示例代码介绍" (open.feishu.cn, verifyStr); DingTalk
 * "JSAPI鉴权" step 4 (open.dingtalk.com, `sign(ticket, nonceStr, timeStamp, url)`).
 */
export function jsapiPlainText(p: { ticket: string; nonceStr: string; timestamp: string | number; url: string }): string {
  return `jsapi_ticket=${p.ticket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${p.url}`;
}

/**
 * Hex digest of the plain text. WeCom and Feishu document SHA-1; DingTalk's
 * current JSAPI鉴权 sample digests with SHA-256 (older DingTalk docs said SHA-1).
 */
export function jsapiSignature(p: Parameters<typeof jsapiPlainText>[0], algorithm: 'sha1' | 'sha256' = 'sha1'): string {
  return createHash(algorithm).update(jsapiPlainText(p), 'utf8').digest('hex');
}

/** Every platform signs the page address without "#" and what follows it. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh nonceStr per config: letters and digits only, so no platform has anything to escape. */
export function nonceStr(length = 16): string {
  let s = '';
  for (let i = 0; i < length; i++) s += NONCE_CHARS[randomInt(NONCE_CHARS.length)];
  return s;
}
