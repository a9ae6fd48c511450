import { SsoRefusedError } from '../../../inventory/errors.ts';
import { AppToken } from './app-token.ts';
import { jsapiSignature, nonceStr, withoutFragment } from './jsapi-signature.ts';
import { jsonPost, platformCall, SsoUnavailableError } from './platform-call.ts';
import type { JsapiConfig, SsoExchanger } from './types.ts';

export interface FeishuSsoOptions {
  /** The company whose employees this Feishu tenant holds. */
  companyId: number;
  /** The app's App ID (cli_…) and App Secret. */
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com, or a loopback cloud in tests. */
  domain?: string;
}

/** RFC 6749 token answer, plus Feishu's numeric `code`. */
interface TokenAnswer {
  code: number;
  access_token: string;
  error: string;
  error_description: string;
  msg: string;
}

interface UserInfoAnswer {
  code: number;
  msg: string;
  data: { open_id?: string; union_id?: string };
}

/**
 * Feishu/Lark H5 免登: the page's `tt.requestAccess({appID, scopeList: []})`
 * code (single use, minutes) → a user access token (`authen/v2/oauth/token`,
 * no app token needed) → `authen/v1/user_info` → open_id (union_id when a
 * tenant gives no open_id; bindings match either).
 */
export function feishuSso(o: FeishuSsoOptions): SsoExchanger {
  const domain = o.domain ?? 'https://open.feishu.cn';

  async function userIdsForCode(code: string): Promise<string[]> {
    const { body: t } = await platformCall<TokenAnswer>(
      'feishu',
      'oauth/token',
      `${domain}/open-apis/authen/v2/oauth/token`,
      jsonPost({ grant_type: 'authorization_code', client_id: o.appId, client_secret: o.appSecret, code }),
    );
    const reason = t.error_description ?? t.msg ?? t.error;
    // RFC 6749's invalid_client: the app's id or secret was refused, which is our configuration, not the user's code.
    if (t.error === 'invalid_client') throw new SsoUnavailableError('feishu', `the app's credentials were refused (code ${t.code}: ${reason ?? ''})`);
    if ((t.code ?? 0) !== 0 || !t.access_token) throw new SsoRefusedError('feishu', `${reason ?? 'refused'} (code ${t.code ?? 'none'})`);

    const { body: u } = await platformCall<UserInfoAnswer>('feishu', 'user_info', `${domain}/open-apis/authen/v1/user_info`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    if (u.code !== 0) throw new SsoRefusedError('feishu', `${u.msg ?? 'refused'} (code ${u.code ?? 'none'})`);
    // An employee may be bound by either id (admins copy whichever the console shows them).
    const ids = [u.data?.open_id, u.data?.union_id].filter((x): x is string => !!x);
    if (ids.length === 0) throw new SsoRefusedError('feishu', 'Feishu answered without an open_id or union_id');
    return ids;
  }

  /**
   * Sign-in needs no app token, but the JSAPI ticket does: `POST
   * /open-apis/auth/v3/tenant_access_token/internal {app_id, app_secret}` →
   * `{code, msg, tenant_access_token, expire}` (open.feishu.cn "自建应用获取 tenant_access_token").
   */
  const tenantToken = new AppToken(async () => {
    const { body } = await platformCall<{ code: number; msg: string; tenant_access_token: string; expire: number }>(
      'feishu',
      'tenant_access_token',
      `${domain}/open-apis/auth/v3/tenant_access_token/internal`,
      jsonPost({ app_id: o.appId, app_secret: o.appSecret }),
    );
    if (body.code !== 0 || !body.tenant_access_token) throw new SsoUnavailableError('feishu', `the app's credentials were refused (code ${body.code}: ${body.msg ?? ''})`);
    return { value: body.tenant_access_token, expiresInSeconds: body.expire ?? 7200 };
  });

  /**
   * `POST /open-apis/jssdk/ticket/get` with `Authorization: Bearer <tenant_access_token>`
   * → `{code, msg, data: {ticket, expire_in}}` (open.feishu.cn "获取 JSAPI 临时调用凭证":
   * calls are scarce, cache it for `expire_in`).
   */
  async function fetchTicket(retried = false): Promise<{ value: string; expiresInSeconds: number }> {
    const accessToken = await tenantToken.get();
    const { body } = await platformCall<{ code: number; msg: string; data: { ticket?: string; expire_in?: number } }>(
      'feishu',
      'jssdk/ticket/get',
      `${domain}/open-apis/jssdk/ticket/get`,
      { method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json; charset=utf-8' } },
    );
    if (body.code !== undefined && STALE_TENANT_TOKEN.has(body.code) && !retried) {
      tenantToken.invalidate(accessToken);
      return fetchTicket(true);
    }
    if (body.code !== 0 || !body.data?.ticket) throw new SsoUnavailableError('feishu', `jssdk/ticket/get was refused (code ${body.code}: ${body.msg ?? ''})`);
    return { value: body.data.ticket, expiresInSeconds: body.data.expire_in ?? 7200 };
  }
  const ticket = new AppToken(() => fetchTicket());

  /**
   * `h5sdk.config({appId, timestamp, nonceStr, signature, jsApiList, onSuccess, onFail})`;
   * Feishu's worked example signs a millisecond timestamp (1510045655000), SHA-1.
   */
  async function jsapiConfig(url: string): Promise<JsapiConfig> {
    const timestamp = Date.now();
    const nonce = nonceStr();
    const signature = jsapiSignature({ ticket: await ticket.get(), nonceStr: nonce, timestamp, url: withoutFragment(url) });
    return { appId: o.appId, timestamp, nonceStr: nonce, signature };
  }

  return { companyId: o.companyId, clientConfig: { appId: o.appId }, userIdsForCode, jsapiConfig };
}

/** Invalid (99991663) or expired (99991677) tenant token: fetch another and ask once more. */
const STALE_TENANT_TOKEN = new Set([99991663, 99991677]);
