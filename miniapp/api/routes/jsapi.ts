import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod';
import { ValidationError } from '../../../inventory/errors.ts';
import { parseInput } from '../../../inventory/validate.ts';
import type { MiniDeps, MiniEnv } from '../context.ts';
import { SSO_PLATFORMS, type SsoPlatform } from '../sso/types.ts';

const querySchema = z.object({ url: z.url().max(2048).describe('The page that will call the config (its #fragment is ignored)') });

/**
 * Signed JS API configs (`dd.config`, `h5sdk.config`, `wx.config`) for the
 * messenger's scanner. Behind the session: the page asks only once signed in,
 * and every call may spend a scarce platform ticket fetch.
 */
export function jsapiRoutes(deps: MiniDeps) {
  return new Hono<MiniEnv>().get(
    '/:platform',
    validator('query', (value) => parseInput(querySchema, value)),
    async (c) => {
      const platform = c.req.param('platform');
      const exchanger = (SSO_PLATFORMS as readonly string[]).includes(platform) ? deps.sso[platform as SsoPlatform] : undefined;
      // Another company's messenger app is not this employee's to use.
      if (!exchanger || exchanger.companyId !== c.get('user').companyId) {
        const configured = Object.keys(deps.sso).join(', ') || 'none';
        throw new ValidationError([{ path: 'platform', message: `${platform} is not configured; configured: ${configured}`, zh: `未配置 ${platform}；已配置：${configured}` }]);
      }
      if (!exchanger.jsapiConfig) {
        throw new ValidationError([{ path: 'platform', message: `${platform} cannot sign JS API configs: its app id for the page is not configured (DingTalk: DINGTALK_AGENT_ID)`, zh: `${platform} 无法签发 JS API 配置：缺少应用标识（钉钉：DINGTALK_AGENT_ID）` }]);
      }
      const { url } = c.req.valid('query');
      const allowed = ownOrigins(c.req.url, (name) => c.req.header(name));
      if (!allowed.includes(new URL(url).origin)) {
        // A signature for someone else's page would let it use the messenger's APIs as this app.
        throw new ValidationError([{ path: 'url', message: `must be a page of this app; allowed origins: ${allowed.join(', ')}`, zh: `只能为本应用的页面签名；允许的来源：${allowed.join('、')}` }]);
      }
      return c.json(await exchanger.jsapiConfig(url));
    },
  );
}

/**
 * The origins this API is reached at: its own URL, and what a reverse proxy
 * says the browser used (X-Forwarded-Proto/-Host, first hop), so the page's
 * origin matches behind TLS termination without any new configuration.
 */
export function ownOrigins(requestUrl: string, header: (name: string) => string | undefined): string[] {
  const own = new URL(requestUrl);
  const first = (v: string | undefined) => v?.split(',')[0]?.trim() || undefined;
  const protos = [first(header('x-forwarded-proto'))?.toLowerCase(), own.protocol.replace(/:$/, '')].filter((p): p is string => p === 'http' || p === 'https');
  const hosts = [first(header('x-forwarded-host')), header('host'), own.host].filter((h): h is string => !!h);
  const origins = new Set<string>();
  for (const p of protos) {
    for (const h of hosts) {
      try {
        origins.add(new URL(`${p}://${h}`).origin);
      } catch {
        // a malformed forwarded host names no origin
      }
    }
  }
  return [...origins];
}
