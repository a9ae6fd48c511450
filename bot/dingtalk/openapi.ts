import { TransientSendError } from '../adapter.ts';

export interface DingTalkApp {
  /** AppKey (= clientId of the stream connection) and AppSecret. */
  appKey: string;
  appSecret: string;
  /** The robot's code (usually the AppKey). */
  robotCode: string;
  /** https://api.dingtalk.com, or a loopback cloud in tests. */
  apiBase: string;
}

/** Refresh the token this long before DingTalk says it expires. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** Rate-limit answers DingTalk gives (HTTP 403/429 with these codes). */
const THROTTLED = /send\.too\.fast|too\.many|Throttling|QpsLimit/i;

/**
 * The few DingTalk OpenAPI calls the adapter needs, with the access token
 * cached and refreshed (one fetch at a time however many sends wait for it).
 */
export class DingTalkApi {
  private token: { value: string; until: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(readonly app: DingTalkApp) {}

  async call<T>(method: 'POST' | 'PUT', path: string, body: unknown, retried = false): Promise<T> {
    const token = await this.accessToken();
    const res = await fetch(`${this.app.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-acs-dingtalk-access-token': token },
      body: JSON.stringify(body),
    }).catch((err: unknown) => {
      throw new TransientSendError(`DingTalk unreachable: ${err instanceof Error ? err.message : String(err)}`);
    });
    const text = await res.text();
    if (res.ok) return (text ? JSON.parse(text) : {}) as T;
    if (res.status === 401 && !retried) {
      // The token expired or was revoked before its time: fetch a new one and try once more.
      if (this.token?.value === token) this.token = null;
      return this.call<T>(method, path, body, true);
    }
    if (res.status === 429 || res.status >= 500 || THROTTLED.test(text)) throw new TransientSendError(`DingTalk ${res.status}: ${text.slice(0, 200)}`);
    throw new Error(`DingTalk refused ${path} (${res.status}): ${text.slice(0, 300)}`);
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    this.fetching ??= (async () => {
      try {
        const res = await fetch(`${this.app.apiBase}/v1.0/oauth2/accessToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ appKey: this.app.appKey, appSecret: this.app.appSecret }),
        });
        const body = (await res.json()) as { accessToken?: string; expireIn?: number; message?: string };
        if (!res.ok || !body.accessToken) {
          const problem = `DingTalk access token refused (${res.status}): ${body.message ?? ''}`;
          throw res.status >= 500 ? new TransientSendError(problem) : new Error(problem);
        }
        this.token = { value: body.accessToken, until: Date.now() + (body.expireIn ?? 7200) * 1000 - TOKEN_MARGIN_MS };
        return body.accessToken;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}
