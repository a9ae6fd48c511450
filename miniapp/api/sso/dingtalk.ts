import { SsoRefusedError } from '../../../inventory/errors.ts';
import { AppToken } from './app-token.ts';
import { jsonPost, platformCall, SsoUnavailableError } from './platform-call.ts';
import type { SsoExchanger } from './types.ts';

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

  return { companyId: o.companyId, clientConfig: { corpId: o.corpId, clientId: o.clientId }, userIdsForCode: async (code) => [await userIdForCode(code)] };
}
