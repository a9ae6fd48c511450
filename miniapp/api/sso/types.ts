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
}

export type SsoExchangers = Partial<Record<SsoPlatform, SsoExchanger>>;
