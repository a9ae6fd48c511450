import { SsoRefusedError } from '../../../inventory/errors.ts';
import { jsonPost, platformCall, SsoUnavailableError } from './platform-call.ts';
import type { SsoExchanger } from './types.ts';

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

  return { companyId: o.companyId, clientConfig: { appId: o.appId }, userIdsForCode };
}
