/** The messengers the mini-app signs in from. */
export const SSO_PLATFORMS = ['dingtalk', 'feishu', 'wecom'] as const;
export type SsoPlatform = (typeof SSO_PLATFORMS)[number];

/**
 * Turns the one-time code the messenger's JS API gave the page into the
 * platform's user id, by asking the platform's server API. Throws
 * `SsoRefusedError` when the platform refuses the code.
 */
export interface SsoExchanger {
  /** The company whose employees this platform app serves. */
  companyId: number;
  /** What the page needs to ask for a code (public ids only, never a secret). */
  clientConfig: Record<string, string>;
  /** The platform's ids for the person, the one bindings most often use first (Feishu: open_id, then union_id). */
  userIdsForCode(code: string): Promise<string[]>;
  /**
   * The signed config that lets the page at `url` (no #fragment) use the
   * messenger's authorised JS APIs such as its scanner: the fields of
   * `dd.config` / `h5sdk.config` / `wx.config` except `jsApiList`, which the
   * page adds. Absent when the app lacks what signing needs (DingTalk: its
   * AgentId). Public values only; the ticket never leaves the server.
   */
  jsapiConfig?(url: string): Promise<JsapiConfig>;
}

export type JsapiConfig = Record<string, string | number>;

export type SsoExchangers = Partial<Record<SsoPlatform, SsoExchanger>>;
