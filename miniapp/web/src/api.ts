import { hc } from 'hono/client';
import type { MiniApi } from '../../api/app.ts';

const TOKEN_KEY = 'stockpilot.session';

/** The session token lives in this tab's storage: messenger web views keep it across page loads, not across devices. */
export const session = {
  get: () => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

let language = 'zh-CN';
export const setApiLanguage = (lang: string) => {
  language = lang;
};

/** Called when the server says the session is gone: the app shows sign-in again. */
let onSignedOut: () => void = () => {};
export const whenSignedOut = (f: () => void) => {
  onSignedOut = f;
};

export const api = hc<MiniApi>(`${location.origin}/app/api`, {
  headers: (): Record<string, string> => {
    const token = session.get();
    return { 'accept-language': language, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  },
});

/** The server's error: a code to branch on, a message in the user's language, and every problem with its place. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues: { path: string; message: string }[],
    readonly status: number,
  ) {
    super(message);
  }
}

/** Awaits a client call: its JSON on success, an ApiError otherwise. */
export async function ok<T>(call: Promise<{ ok: boolean; status: number; json(): Promise<T> }>): Promise<Exclude<T, { error: unknown }>> {
  const res = await call;
  if (res.ok) return (await res.json()) as Exclude<T, { error: unknown }>;
  let body: { error?: { code?: string; message?: string; details?: { issues?: { path: string; message: string }[] } } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: a proxy's page; the status says enough
  }
  const e = body.error ?? {};
  if (res.status === 401) {
    session.clear();
    onSignedOut();
  }
  throw new ApiError(e.code ?? `HTTP_${res.status}`, e.message ?? `HTTP ${res.status}`, e.details?.issues ?? [], res.status);
}

/** A click id for decisions: a retried tap answers the first result instead of deciding twice. */
export const clickId = () => `app-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Downloads a file the API makes (templates, exports): fetched with the
 * session like any call, then handed to the browser as a file.
 */
export async function download(path: string, fallbackName: string): Promise<void> {
  const token = session.get();
  const res = await fetch(`${location.origin}/app/api${path}`, { headers: { 'accept-language': language, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (!res.ok) await ok(Promise.resolve(res));
  const name = /filename\*=UTF-8''([^;]+)/i.exec(res.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name ? decodeURIComponent(name) : fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
