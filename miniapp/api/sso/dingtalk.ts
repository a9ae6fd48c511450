import { SsoRefusedError } from '../../../inventory/errors.ts';
import { AppToken } from './app-token.ts';
import { jsapiSignature, nonceStr, withoutFragment } from './jsapi-signature.ts';
import { jsonPost, platformCall, SsoUnavailableError } from './platform-call.ts';
import type { JsapiConfig, SsoExchanger } from './types.ts';

export interface DingTalkSsoOptions {
  /** The company whose employees this DingTalk organisation holds. */
  companyId: number;
  /** The organisation's CorpId: the page needs it to ask for a code. */
  corpId: string;
  /** The app's Client ID (AppKey) and Client Secret (AppSecret). */
  clientId: string;
  clientSecret: string;
  /** https://oapi.dingtalk.com, or a loopback cloud in tests. */
  oapiBase?: string;
  /** The H5 app's AgentId: `dd.config` needs it. Without it the page gets no signed config (and DingTalk's scanner may refuse). */
  agentId?: string | null;
}

interface OapiAnswer {
  errcode: number;
  errmsg: string;
}

/** The access token was revoked or expired before we thought: fetch another and ask once more. */
const STALE_TOKEN = new Set([40014, 42001]);

/**
 * DingTalk H5 免登: the page's `dd.runtime.permission.requestAuthCode({corpId})`
 * code (5 min, single use) → `topapi/v2/user/getuserinfo` → the staff userid.
 */
export function dingtalkSso(o: DingTalkSsoOptions): SsoExchanger {
  const base = o.oapiBase ?? 'https://oapi.dingtalk.com';
  const token = new AppToken(async () => {
    const url = `${base}/gettoken?appkey=${encodeURIComponent(o.clientId)}&appsecret=${encodeURIComponent(o.clientSecret)}`;
    const { body } = await platformCall<OapiAnswer & { access_token: string; expires_in: number }>('dingtalk', 'gettoken', url);
    if (body.errcode !== 0 || !body.access_token) throw new SsoUnavailableError('dingtalk', `the app's credentials were refused (errcode ${body.errcode}: ${body.errmsg ?? ''})`);
    return { value: body.access_token, expiresInSeconds: body.expires_in ?? 7200 };
  });

  async function userIdForCode(code: string, retried = false): Promise<string> {
    const accessToken = await token.get();
    const { body } = await platformCall<OapiAnswer & { result: { userid?: string } }>(
      'dingtalk',
      'user/getuserinfo',
      `${base}/topapi/v2/user/getuserinfo?access_token=${encodeURIComponent(accessToken)}`,
      jsonPost({ code }),
    );
    if (body.errcode !== undefined && STALE_TOKEN.has(body.errcode) && !retried) {
      token.invalidate(accessToken);
      return userIdForCode(code, true);
    }
    if (body.errcode !== 0) throw new SsoRefusedError('dingtalk', `${body.errmsg ?? 'refused'} (errcode ${body.errcode})`);
    const userid = body.result?.userid;
    if (!userid) throw new SsoRefusedError('dingtalk', 'DingTalk answered without a userid');
    return userid;
  }

  /**
   * `GET /get_jsapi_ticket?access_token=…` → `{errcode, errmsg, ticket, expires_in}`
   * (open.dingtalk.com "获取jsapi_ticket"). One ticket per AppKey; asking again
   * before it expires returns the same one, renewed, so one cache per app is enough.
   */
  async function fetchTicket(retried = false): Promise<{ value: string; expiresInSeconds: number }> {
    const accessToken = await token.get();
    const { body } = await platformCall<OapiAnswer & { ticket: string; expires_in: number }>(
      'dingtalk',
      'get_jsapi_ticket',
      `${base}/get_jsapi_ticket?access_token=${encodeURIComponent(accessToken)}`,
    );
    if (body.errcode !== undefined && STALE_TOKEN.has(body.errcode) && !retried) {
      token.invalidate(accessToken);
      return fetchTicket(true);
    }
    if (body.errcode !== 0 || !body.ticket) throw new SsoUnavailableError('dingtalk', `get_jsapi_ticket was refused (errcode ${body.errcode}: ${body.errmsg ?? ''})`);
    return { value: body.ticket, expiresInSeconds: body.expires_in ?? 7200 };
  }
  const ticket = new AppToken(() => fetchTicket());

  /**
   * `dd.config({agentId, corpId, timeStamp, nonceStr, signature, jsApiList})`
   * (open.dingtalk.com "JSAPI鉴权"): timeStamp in seconds, and the doc's
   * `sign()` digests with SHA-256 over the URL with its query decoded.
   */
  async function jsapiConfig(agentId: string, url: string): Promise<JsapiConfig> {
    const timeStamp = String(Math.floor(Date.now() / 1000));
    const nonce = nonceStr();
    const signature = jsapiSignature({ ticket: await ticket.get(), nonceStr: nonce, timestamp: timeStamp, url: dingtalkSigningUrl(url) }, 'sha256');
    return { agentId, corpId: o.corpId, timeStamp, nonceStr: nonce, signature };
  }

  const agentId = o.agentId;
  return {
    companyId: o.companyId,
    clientConfig: { corpId: o.corpId, clientId: o.clientId },
    userIdsForCode: async (code) => [await userIdForCode(code)],
    ...(agentId ? { jsapiConfig: (url: string) => jsapiConfig(agentId, url) } : {}),
  };
}

/**
 * The URL as DingTalk's `sign()` sample hashes it (its `decodeUrl`): the query
 * percent-decoded once (Java URLDecoder: "+" is a space), because the iOS
 * client reports the page URL encoded and Android raw. No fragment.
 */
export function dingtalkSigningUrl(url: string): string {
  const page = withoutFragment(url);
  const q = page.indexOf('?');
  if (q < 0) return page;
  const query = page.slice(q + 1);
  try {
    return `${page.slice(0, q + 1)}${decodeURIComponent(query.replaceAll('+', ' '))}`;
  } catch {
    // A stray "%" DingTalk's Java sample would choke on: sign what the page has.
    return page;
  }
}
