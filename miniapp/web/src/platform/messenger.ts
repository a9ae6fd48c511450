/**
 * The bridge to the messenger the page runs in: which one it is, a silent
 * sign-in code from it, and its barcode scanner. Each messenger's JS SDK is a
 * script loaded on first use inside that messenger only, so none of it counts
 * against the first screen's bundle.
 */

/** The messengers the API signs in from (its SSO_PLATFORMS). */
export type Messenger = 'dingtalk' | 'feishu' | 'wecom';

/** What `POST /app/api/auth/sso/:platform` takes. */
export interface SignInCode {
  platform: Messenger;
  code: string;
}

const SDK_URL = {
  dingtalk: 'https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js',
  feishu: 'https://lf1-cdn-tos.bytegoofy.com/goofy/lark/op/h5-js-sdk-1.5.23.js',
} as const;

/**
 * The messenger whose web view this is, from its user agent: DingTalk says
 * "DingTalk/x", Feishu "Feishu/x" or "Lark/x" (and "LarkLocale"), WeCom
 * "wxwork/x" next to WeChat's "MicroMessenger" (plain WeChat is not WeCom).
 */
export function detectMessenger(userAgent: string = globalThis.navigator?.userAgent ?? ''): Messenger | null {
  if (/DingTalk/i.test(userAgent)) return 'dingtalk';
  if (/\b(Lark|Feishu)/i.test(userAgent)) return 'feishu';
  if (/wxwork/i.test(userAgent)) return 'wecom';
  return null;
}

/**
 * A one-time code for the server to exchange, asked from the messenger
 * without the user doing anything. `config` is the messenger's entry in
 * `GET /auth/options` platforms. Null when the page is leaving for WeCom's
 * OAuth2 redirect: it comes back with the code on its URL and calls this again.
 */
export async function signInSilently(messenger: Messenger, config: Record<string, string>): Promise<SignInCode | null> {
  switch (messenger) {
    case 'dingtalk':
      return { platform: 'dingtalk', code: await dingtalkCode(need(config, 'corpId')) };
    case 'feishu':
      return { platform: 'feishu', code: await feishuCode(need(config, 'appId')) };
    case 'wecom':
      return wecomCode(need(config, 'corpId'), need(config, 'agentId'));
  }
}

/**
 * The text of a barcode or QR code from the messenger's own scanner; null
 * when the user cancels or this messenger offers no scanner to this page
 * (the caller then uses the camera).
 */
export async function scanCode(messenger: Messenger | null = detectMessenger()): Promise<string | null> {
  if (messenger === 'dingtalk') {
    const dd = await sdk('dingtalk', () => globals().dd);
    return new Promise((resolve, reject) =>
      dd.biz.util.scan({ type: 'all', onSuccess: (r) => resolve(r.text ?? null), onFail: (e) => (isCancel(e) ? resolve(null) : reject(messengerError('DingTalk scan', e))) }),
    );
  }
  if (messenger === 'feishu') {
    const { tt } = await feishuReady();
    return new Promise((resolve, reject) =>
      tt.scanCode({ scanType: ['barCode', 'qrCode'], barCodeInput: true, success: (r) => resolve(r.result ?? null), fail: (e) => (isCancel(e) ? resolve(null) : reject(messengerError('Feishu scan', e))) }),
    );
  }
  // WeCom's wx.scanQRCode needs wx.config/agentConfig signed with a server-side jsapi_ticket, which the API does not offer yet.
  return null;
}

// ---- WeCom: OAuth2 redirect, snsapi_base (silent for members) ----

const WECOM_STATE_KEY = 'stockpilot.wecom.state';

/**
 * WeCom's OAuth2 authorize URL in the documented parameter order;
 * `#wechat_redirect` must end it or the WeCom client refuses the redirect.
 */
export function wecomAuthorizeUrl(o: { corpId: string; agentId: string; redirectUri: string; state: string }): string {
  const q = [
    `appid=${encodeURIComponent(o.corpId)}`,
    `redirect_uri=${encodeURIComponent(o.redirectUri)}`,
    'response_type=code',
    'scope=snsapi_base',
    `state=${encodeURIComponent(o.state)}`,
    `agentid=${encodeURIComponent(o.agentId)}`,
  ];
  return `https://open.weixin.qq.com/connect/oauth2/authorize?${q.join('&')}#wechat_redirect`;
}

/**
 * The code WeCom put on the URL coming back, and the URL without it (so a
 * reload or a shared link does not replay a spent code). Null when the URL
 * carries no code. `stateOk` is false when the state is not the one this tab
 * sent: someone else started that sign-in, and following it would sign the
 * user in as whoever did.
 */
export function readWeComReturn(href: string, expectedState: string | null): { code: string; cleanUrl: string; stateOk: boolean } | null {
  const url = new URL(href);
  const code = url.searchParams.get('code');
  if (!code) return null;
  const stateOk = expectedState !== null && url.searchParams.get('state') === expectedState;
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  return { code, cleanUrl: url.toString(), stateOk };
}

function wecomCode(corpId: string, agentId: string): SignInCode | null {
  const back = readWeComReturn(location.href, sessionStorage.getItem(WECOM_STATE_KEY));
  if (back) {
    sessionStorage.removeItem(WECOM_STATE_KEY);
    history.replaceState(history.state, '', back.cleanUrl);
    if (!back.stateOk) throw new Error('This WeCom sign-in link was not started by this page; open the app again');
    return { platform: 'wecom', code: back.code };
  }
  const state = randomState();
  sessionStorage.setItem(WECOM_STATE_KEY, state);
  // WeCom appends code and state to the query; a fragment in redirect_uri would end up in front of them.
  const here = new URL(location.href);
  here.hash = '';
  location.replace(wecomAuthorizeUrl({ corpId, agentId, redirectUri: here.toString(), state }));
  return null;
}

function randomState(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- DingTalk: dd.runtime.permission.requestAuthCode ----

interface DingTalkJs {
  ready(cb: () => void): void;
  runtime: { permission: { requestAuthCode(o: { corpId: string; onSuccess(r: { code: string }): void; onFail(e: unknown): void }): void } };
  biz: { util: { scan(o: { type: 'all' | 'qrCode' | 'barCode'; onSuccess(r: { text?: string }): void; onFail(e: unknown): void }): void } };
}

async function dingtalkCode(corpId: string): Promise<string> {
  const dd = await sdk('dingtalk', () => globals().dd);
  return new Promise((resolve, reject) =>
    dd.ready(() => dd.runtime.permission.requestAuthCode({ corpId, onSuccess: (r) => resolve(r.code), onFail: (e) => reject(messengerError('DingTalk sign-in', e)) })),
  );
}

// ---- Feishu/Lark: tt.requestAccess (tt.requestAuthCode before Feishu 6.9) ----

interface Callbacks<T> {
  success(r: T): void;
  fail(e: unknown): void;
}

interface FeishuJs {
  h5sdk: { ready(cb: () => void): void; error(cb: (e: unknown) => void): void };
  tt: {
    requestAccess?(o: { appID: string; scopeList: string[] } & Callbacks<{ code: string }>): void;
    requestAuthCode(o: { appId: string } & Callbacks<{ code: string }>): void;
    scanCode(o: { scanType: ('barCode' | 'qrCode')[]; barCodeInput: boolean } & Callbacks<{ result?: string }>): void;
  };
}

async function feishuReady(): Promise<FeishuJs> {
  const js = await sdk('feishu', () => {
    const g = globals();
    return g.h5sdk && g.tt ? ({ h5sdk: g.h5sdk, tt: g.tt } as FeishuJs) : undefined;
  });
  await new Promise<void>((resolve) => js.h5sdk.ready(resolve));
  return js;
}

async function feishuCode(appId: string): Promise<string> {
  const { tt } = await feishuReady();
  return new Promise((resolve, reject) => {
    const callbacks = { success: (r: { code: string }) => resolve(r.code), fail: (e: unknown) => reject(messengerError('Feishu sign-in', e)) };
    if (tt.requestAccess) tt.requestAccess({ appID: appId, scopeList: [], ...callbacks });
    else tt.requestAuthCode({ appId, ...callbacks });
  });
}

// ---- shared ----

interface SdkGlobals {
  dd?: DingTalkJs;
  h5sdk?: FeishuJs['h5sdk'];
  tt?: FeishuJs['tt'];
}

const globals = () => globalThis as unknown as SdkGlobals;

const loading = new Map<string, Promise<void>>();

/** The messenger's SDK script, added once; resolves to the global it defines. */
async function sdk<T>(which: keyof typeof SDK_URL, read: () => T | undefined): Promise<T> {
  const src = SDK_URL[which];
  let loaded = loading.get(src);
  if (!loaded) {
    loaded = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.async = true;
      script.onload = () => resolve();
      script.onerror = () => {
        loading.delete(src);
        reject(new Error(`Could not load the ${which} SDK (${src}); check the network and open the app again`));
      };
      document.head.appendChild(script);
    });
    loading.set(src, loaded);
  }
  await loaded;
  const got = read();
  if (got === undefined) throw new Error(`The ${which} SDK loaded but defined nothing usable`);
  return got;
}

function need(config: Record<string, string>, key: string): string {
  const v = config[key];
  if (!v) throw new Error(`The server's sign-in options lack ${key}`);
  return v;
}

/** Both SDKs report a user's cancel as a failure; the wording differs by client version. */
function isCancel(e: unknown): boolean {
  return /cancel|取消/i.test(JSON.stringify(e ?? ''));
}

function messengerError(what: string, e: unknown): Error {
  const detail = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return new Error(`${what} failed: ${detail}`);
}
