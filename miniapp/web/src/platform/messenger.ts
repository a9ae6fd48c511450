/**
 * The bridge to the messenger the page runs in: which one it is, a silent
 * sign-in code from it, and its barcode scanner (authorised with a config the
 * API signs). Each messenger's JS SDK is a script loaded on first use inside
 * that messenger only, so none of it counts against the first screen's bundle.
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
  // WeCom's scanner is wx.scanQRCode from jweixin, authorised by wx.config.
  wecom: 'https://res.wx.qq.com/open/js/jweixin-1.2.0.js',
} as const;

/** Where api.ts keeps the session token (not imported: api.ts builds its client from `location` on load). */
const SESSION_KEY = 'stockpilot.session';

/**
 * The address this page was opened at, before the WeCom sign-in return
 * rewrote it: WeChat-family clients on iOS check a signature against the
 * address a page loaded with, not one changed later by history.replaceState.
 */
const LANDING_HREF = typeof location === 'undefined' ? '' : location.href;

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
 * (the caller then uses the camera). The scanner needs the page authorised
 * first with a config the API signs; that happens once per page address.
 */
export async function scanCode(messenger: Messenger | null = detectMessenger()): Promise<string | null> {
  if (messenger === null) return null;
  try {
    await authorised(messenger);
  } catch (err) {
    // Scanning must still work: the camera takes over, and the reason is there for whoever debugs the app's console setup.
    console.warn(err);
    return null;
  }
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
  const wx = await sdk('wecom', () => globals().wx);
  return new Promise((resolve, reject) => {
    const failed = (e: unknown) => (isCancel(e) ? resolve(null) : reject(messengerError('WeCom scan', e)));
    wx.scanQRCode({ desc: 'scanQRCode desc', needResult: 1, scanType: ['qrCode', 'barCode'], success: (r) => resolve(r.resultStr ? barcodeText(r.resultStr) : null), cancel: () => resolve(null), fail: failed, error: failed });
  });
}

// ---- JS API authorisation: a config signed by the API for this page ----

/** What each messenger's config must list: the scanner only. */
const JS_API_LIST = { dingtalk: ['biz.util.scan'], feishu: ['scanCode'], wecom: ['scanQRCode'] } as const;

type SignedConfig = Record<string, string | number>;

/** The page address a signature covers: every messenger signs it without the #fragment (our routes live there). */
export function pageUrlForSigning(href: string): string {
  const hash = href.indexOf('#');
  return hash < 0 ? href : href.slice(0, hash);
}

/**
 * Which address to have signed: the one the page loaded with for WeCom on
 * iOS (see LANDING_HREF), the current one otherwise. With hash routing the two
 * differ only after the WeCom sign-in return cleaned code and state off the URL.
 */
export function signingHref(messenger: Messenger, userAgent: string, currentHref: string, landingHref: string): string {
  return messenger === 'wecom' && landingHref && /iPhone|iPad|iPod/i.test(userAgent) ? pageUrlForSigning(landingHref) : pageUrlForSigning(currentHref);
}

/** `GET /app/api/auth/jsapi/:platform?url=…`, relative to the page's origin. */
export function jsapiConfigPath(messenger: Messenger, pageUrl: string): string {
  return `/app/api/auth/jsapi/${messenger}?url=${encodeURIComponent(pageUrlForSigning(pageUrl))}`;
}

/**
 * WeCom answers a barcode as "<symbology>,<digits>" (e.g. "EAN_13,6901234567890",
 * as WeChat's jweixin does; a QR code comes back as its text): the item code is after the comma.
 */
export function barcodeText(resultStr: string): string {
  const m = /^(?:EAN_13|EAN_8|UPC_A|UPC_E|CODE_39|CODE_93|CODE_128|CODABAR|ITF|ITF_14|RSS_14|RSS_EXPANDED|DATA_MATRIX|PDF_417|QR_CODE),(.*)$/s.exec(resultStr);
  return m ? (m[1] ?? '') : resultStr;
}

const authorising = new Map<string, Promise<void>>();

/** Authorises this page once per messenger and address; a failure is forgotten so the next scan tries again. */
function authorised(messenger: Messenger): Promise<void> {
  const url = signingHref(messenger, globalThis.navigator?.userAgent ?? '', location.href, LANDING_HREF);
  const key = `${messenger} ${url}`;
  let done = authorising.get(key);
  if (!done) {
    done = signedConfig(messenger, url).then((config) => applyConfig(messenger, config));
    done.catch(() => authorising.delete(key));
    authorising.set(key, done);
  }
  return done;
}

async function signedConfig(messenger: Messenger, url: string): Promise<SignedConfig> {
  const token = localStorage.getItem(SESSION_KEY);
  const res = await fetch(`${location.origin}${jsapiConfigPath(messenger, url)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let body: SignedConfig & { error?: { message?: string } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: a proxy's page; the status says enough
  }
  if (!res.ok) throw new Error(`The server would not sign the ${messenger} scanner config: ${body.error?.message ?? `HTTP ${res.status}`}`);
  return body;
}

async function applyConfig(messenger: Messenger, config: SignedConfig): Promise<void> {
  switch (messenger) {
    case 'dingtalk': {
      const dd = await sdk('dingtalk', () => globals().dd);
      // DingTalk: dd.config, then APIs inside dd.ready; dd.error reports a refused signature.
      return new Promise((resolve, reject) => {
        dd.config({ ...config, jsApiList: [...JS_API_LIST.dingtalk] });
        dd.error((e) => reject(messengerError('DingTalk JS API authorisation', e)));
        dd.ready(() => resolve());
      });
    }
    case 'feishu': {
      const { h5sdk } = await feishuReady();
      return new Promise((resolve, reject) =>
        h5sdk.config({ ...config, jsApiList: [...JS_API_LIST.feishu], onSuccess: () => resolve(), onFail: (e) => reject(messengerError('Feishu JS API authorisation', e)) }),
      );
    }
    case 'wecom': {
      const wx = await sdk('wecom', () => globals().wx);
      // beta: true is what WeCom's own JS APIs (wx.invoke) need; scanQRCode works either way.
      return new Promise((resolve, reject) => {
        wx.config({ beta: true, debug: false, ...config, jsApiList: [...JS_API_LIST.wecom] });
        wx.error((e) => reject(messengerError('WeCom JS API authorisation', e)));
        wx.ready(() => resolve());
      });
    }
  }
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
  config(o: Record<string, unknown>): void;
  error(cb: (e: unknown) => void): void;
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
  h5sdk: {
    ready(cb: () => void): void;
    error(cb: (e: unknown) => void): void;
    config(o: Record<string, unknown> & { onSuccess(r: unknown): void; onFail(e: unknown): void }): void;
  };
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

// ---- WeCom: jweixin (wx.config, wx.scanQRCode) ----

interface WeComJs {
  config(o: Record<string, unknown>): void;
  ready(cb: () => void): void;
  error(cb: (e: unknown) => void): void;
  scanQRCode(o: {
    desc: string;
    needResult: 0 | 1;
    scanType: ('qrCode' | 'barCode')[];
    success(r: { resultStr?: string }): void;
    cancel(): void;
    fail(e: unknown): void;
    error(e: unknown): void;
  }): void;
}

interface SdkGlobals {
  dd?: DingTalkJs;
  h5sdk?: FeishuJs['h5sdk'];
  tt?: FeishuJs['tt'];
  wx?: WeComJs;
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

/** The SDKs report a user's cancel as a failure; the wording differs by client version. */
function isCancel(e: unknown): boolean {
  return /cancel|取消/i.test(JSON.stringify(e ?? ''));
}

function messengerError(what: string, e: unknown): Error {
  const detail = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  return new Error(`${what} failed: ${detail}`);
}
