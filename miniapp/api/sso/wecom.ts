import { SsoRefusedError } from '../../../inventory/errors.ts';
import { AppToken } from './app-token.ts';
import { jsapiSignature, nonceStr, withoutFragment } from './jsapi-signature.ts';
import { platformCall, SsoUnavailableError } from './platform-call.ts';
import type { JsapiConfig, SsoExchanger } from './types.ts';

export interface WeComSsoOptions {
  /** The company whose employees this WeCom organisation holds. */
  companyId: number;
  corpId: string;
  /** The self-built app's Secret and AgentId. */
  corpSecret: string;
  agentId: number;
  /** https://qyapi.weixin.qq.com, or a loopback cloud in tests. */
  apiBase?: string;
}

interface Answer {
  errcode: number;
  errmsg: string;
}

/** The access token was revoked or expired before we thought: fetch another and ask once more. */
const STALE_TOKEN = new Set([40014, 42001]);

/**
 * WeCom H5 免登: the code the OAuth2 redirect (snsapi_base) put on the page's
 * URL (5 min, single use) → `cgi-bin/auth/getuserinfo` → the member's userid.
 * Someone outside the organisation gets only an openid: they are refused.
 */
export function wecomSso(o: WeComSsoOptions): SsoExchanger {
  const base = o.apiBase ?? 'https://qyapi.weixin.qq.com';
  const token = new AppToken(async () => {
    const url = `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(o.corpId)}&corpsecret=${encodeURIComponent(o.corpSecret)}`;
    const { body } = await platformCall<Answer & { access_token: string; expires_in: number }>('wecom', 'gettoken', url);
    if ((body.errcode ?? 0) !== 0 || !body.access_token) throw new SsoUnavailableError('wecom', `the app's credentials were refused (errcode ${body.errcode}: ${body.errmsg ?? ''})`);
    return { value: body.access_token, expiresInSeconds: body.expires_in ?? 7200 };
  });

  async function userIdForCode(code: string, retried = false): Promise<string> {
    const accessToken = await token.get();
    const { body } = await platformCall<Answer & { userid: string; openid: string }>(
      'wecom',
      'auth/getuserinfo',
      `${base}/cgi-bin/auth/getuserinfo?access_token=${encodeURIComponent(accessToken)}&code=${encodeURIComponent(code)}`,
    );
    const errcode = body.errcode ?? 0;
    if (STALE_TOKEN.has(errcode) && !retried) {
      token.invalidate(accessToken);
      return userIdForCode(code, true);
    }
    if (errcode !== 0) throw new SsoRefusedError('wecom', `${body.errmsg ?? 'refused'} (errcode ${errcode})`);
    if (body.userid) return body.userid;
    if (body.openid) throw new SsoRefusedError('wecom', '不是本企业成员，企业微信只给出了 openid (not a member of this organisation: WeCom gave only an openid)');
    throw new SsoRefusedError('wecom', 'WeCom answered without a userid');
  }

  /**
   * The organisation's ticket for `wx.config` (scanQRCode needs no agentConfig):
   * `GET /cgi-bin/get_jsapi_ticket?access_token=…` → `{errcode, errmsg, ticket, expires_in}`
   * (developer.work.weixin.qq.com/document/path/96909 "获取企业 jsapi_ticket";
   * at most 400 an hour per organisation and 100 per app, hence the cache).
   */
  async function fetchTicket(retried = false): Promise<{ value: string; expiresInSeconds: number }> {
    const accessToken = await token.get();
    const { body } = await platformCall<Answer & { ticket: string; expires_in: number }>(
      'wecom',
      'get_jsapi_ticket',
      `${base}/cgi-bin/get_jsapi_ticket?access_token=${encodeURIComponent(accessToken)}`,
    );
    const errcode = body.errcode ?? 0;
    if (STALE_TOKEN.has(errcode) && !retried) {
      token.invalidate(accessToken);
      return fetchTicket(true);
    }
    if (errcode !== 0 || !body.ticket) throw new SsoUnavailableError('wecom', `get_jsapi_ticket was refused (errcode ${errcode}: ${body.errmsg ?? ''})`);
    return { value: body.ticket, expiresInSeconds: body.expires_in ?? 7200 };
  }
  const ticket = new AppToken(() => fetchTicket());

  /** `wx.config({beta: true, appId: corpId, timestamp, nonceStr, signature, jsApiList})`; timestamp in seconds (96909). */
  async function jsapiConfig(url: string): Promise<JsapiConfig> {
    const timestamp = Math.floor(Date.now() / 1000);
    const nonce = nonceStr();
    const signature = jsapiSignature({ ticket: await ticket.get(), nonceStr: nonce, timestamp, url: withoutFragment(url) });
    return { appId: o.corpId, timestamp, nonceStr: nonce, signature };
  }

  return {
    companyId: o.companyId,
    clientConfig: { corpId: o.corpId, agentId: String(o.agentId) },
    userIdsForCode: async (code) => [await userIdForCode(code)],
    jsapiConfig,
  };
}
