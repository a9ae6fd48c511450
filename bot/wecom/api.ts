import { TransientSendError } from '../adapter.ts';

export interface WeComApp {
  corpId: string;
  /** The self-built app's Secret and AgentId. */
  corpSecret: string;
  agentId: number;
  /** https://qyapi.weixin.qq.com, or a loopback cloud in tests. */
  apiBase: string;
}

/** errcodes worth a retry: system busy, frequency limits. */
export const TRANSIENT = new Set([-1, 45009, 45011, 45033]);
/** The token is invalid or expired: fetch a new one and try again once. */
const STALE_TOKEN = new Set([40014, 42001]);
const TOKEN_MARGIN_MS = 5 * 60_000;

/** One POST to WeCom: unreachable, 429 and 5xx are worth a retry; the answer's errcode is the caller's to read. */
export async function postJson<T extends { errcode?: number; errmsg?: string }>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch((err: unknown) => {
    throw new TransientSendError(`WeCom unreachable: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (res.status >= 500 || res.status === 429) throw new TransientSendError(`WeCom ${res.status}`);
  return (await res.json()) as T;
}

/** WeCom's server API with the access token cached (7200 s) and refreshed once when WeCom says it went stale. */
export class WeComApi {
  private token: { value: string; until: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(readonly app: WeComApp) {}

  async post<T extends { errcode?: number; errmsg?: string }>(path: string, body: unknown, retried = false): Promise<T> {
    const token = await this.accessToken();
    const data = await postJson<T>(`${this.app.apiBase}${path}?access_token=${encodeURIComponent(token)}`, body);
    const code = data.errcode ?? 0;
    if (code === 0) return data;
    if (STALE_TOKEN.has(code) && !retried) {
      this.token = null;
      return this.post<T>(path, body, true);
    }
    if (TRANSIENT.has(code)) throw new TransientSendError(`WeCom errcode ${code}: ${data.errmsg ?? ''}`);
    throw new Error(`WeCom refused ${path} (errcode ${code}): ${data.errmsg ?? ''}`);
  }

  private async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.until) return this.token.value;
    this.fetching ??= (async () => {
      try {
        const url = `${this.app.apiBase}/cgi-bin/gettoken?corpid=${encodeURIComponent(this.app.corpId)}&corpsecret=${encodeURIComponent(this.app.corpSecret)}`;
        const data = (await (await fetch(url)).json()) as { errcode?: number; errmsg?: string; access_token?: string; expires_in?: number };
        if (!data.access_token) throw new Error(`WeCom access token refused (errcode ${data.errcode}): ${data.errmsg ?? ''}`);
        this.token = { value: data.access_token, until: Date.now() + (data.expires_in ?? 7200) * 1000 - TOKEN_MARGIN_MS };
        return data.access_token;
      } finally {
        this.fetching = null;
      }
    })();
    return this.fetching;
  }
}
