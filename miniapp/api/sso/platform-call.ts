import type { SsoPlatform } from './types.ts';

/** How long a sign-in waits for the messenger's server API before giving up. */
const TIMEOUT_MS = 10_000;

const NAMES: Record<SsoPlatform, string> = { dingtalk: 'DingTalk', feishu: 'Feishu', wecom: 'WeCom' };

/**
 * The messenger's server API could not be asked (network, timeout, 5xx, not
 * JSON), or refused our own app credentials. Either way the user's code may be
 * fine and the fault is ours or the platform's: it becomes a logged 500, not a
 * refused sign-in. Messages never carry secrets or access tokens.
 */
export class SsoUnavailableError extends Error {
  constructor(
    readonly platform: SsoPlatform,
    problem: string,
  ) {
    super(`${NAMES[platform]} sign-in is unavailable: ${problem}`);
    this.name = 'SsoUnavailableError';
  }
}

/**
 * One JSON call to a messenger's server API. `what` names the call in errors
 * instead of the URL, because URLs here carry access tokens. Any HTTP status
 * below 500 comes back with its body: the platforms put their refusals there.
 */
export async function platformCall<T>(platform: SsoPlatform, what: string, url: string, init: RequestInit = {}): Promise<{ status: number; body: Partial<T> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    const cause = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : causeOf(err);
    throw new SsoUnavailableError(platform, `${what}: ${cause}`);
  }
  if (res.status >= 500) throw new SsoUnavailableError(platform, `${what}: HTTP ${res.status}`);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as Partial<T> };
  } catch {
    throw new SsoUnavailableError(platform, `${what}: HTTP ${res.status} without a JSON body`);
  }
}

/** undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND …) is in `cause`. */
function causeOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ((err.cause as Error & { code?: string }).code ?? err.cause.message) : undefined;
  return cause ? `${err.message} (${cause})` : err.message;
}

export const jsonPost = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});
