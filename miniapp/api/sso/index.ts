import { dingtalkSso, type DingTalkSsoOptions } from './dingtalk.ts';
import { feishuSso, type FeishuSsoOptions } from './feishu.ts';
import type { SsoExchangers } from './types.ts';
import { wecomSso, type WeComSsoOptions } from './wecom.ts';

export type { DingTalkSsoOptions } from './dingtalk.ts';
export type { FeishuSsoOptions } from './feishu.ts';
export type { WeComSsoOptions } from './wecom.ts';
export { SsoUnavailableError } from './platform-call.ts';
export { SSO_PLATFORMS, type SsoExchanger, type SsoExchangers, type SsoPlatform } from './types.ts';

/** Each messenger whose options are given; a missing one is simply not offered to the page. */
export interface SsoOptions {
  dingtalk?: DingTalkSsoOptions | null;
  feishu?: FeishuSsoOptions | null;
  wecom?: WeComSsoOptions | null;
}

/** The code exchangers for the messengers that are configured (the composition root maps env to options). */
export function buildSsoExchangers(o: SsoOptions): SsoExchangers {
  const sso: SsoExchangers = {};
  if (o.dingtalk) sso.dingtalk = dingtalkSso(o.dingtalk);
  if (o.feishu) sso.feishu = feishuSso(o.feishu);
  if (o.wecom) sso.wecom = wecomSso(o.wecom);
  return sso;
}
