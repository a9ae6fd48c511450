import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { dingtalkSigningUrl } from '../miniapp/api/sso/dingtalk.ts';
import { buildSsoExchangers, type SsoOptions, type SsoPlatform } from '../miniapp/api/sso/index.ts';
import { jsapiSignature } from '../miniapp/api/sso/jsapi-signature.ts';
import { freshDatabase } from './support/db.ts';
import { FAKE_DINGTALK, FakeDingTalkCloud } from './support/fake-dingtalk.ts';
import { FAKE_APP, FakeFeishuCloud } from './support/fake-feishu.ts';
import { FAKE_WECOM, FakeWeComCloud } from './support/fake-wecom.ts';
import { companyWithWarehouses } from './support/fixtures.ts';
import { miniappHarness } from './support/miniapp.ts';

let db: Database;
let companyId: number;
const dingtalk = new FakeDingTalkCloud();
const feishu = new FakeFeishuCloud();
const wecom = new FakeWeComCloud();
const AGENT_ID = '3019283746';

function allPlatforms(over: SsoOptions = {}): SsoOptions {
  return {
    dingtalk: { companyId, corpId: 'dingfakecorp', clientId: FAKE_DINGTALK.clientId, clientSecret: FAKE_DINGTALK.clientSecret, agentId: AGENT_ID, oapiBase: dingtalk.url },
    feishu: { companyId, appId: FAKE_APP.appId, appSecret: FAKE_APP.appSecret, domain: feishu.url },
    wecom: { companyId, corpId: FAKE_WECOM.corpId, corpSecret: FAKE_WECOM.corpSecret, agentId: FAKE_WECOM.agentId, apiBase: wecom.url },
    ...over,
  };
}

/** One harness is one set of exchangers, so one ticket cache per messenger app. */
const harness = (over: SsoOptions = {}) => miniappHarness(db, { sso: buildSsoExchangers(allPlatforms(over)) });

// biome-ignore lint: tests read any JSON shape
const read = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });

/** The harness serves the API at http://localhost; a real page is the SPA under /app/, routed by its hash. */
const PAGE = 'http://localhost/app/?q=%E4%BB%93%E5%BA%93+A&tab=mine#/requests/new';
const PAGE_WITHOUT_HASH = 'http://localhost/app/?q=%E4%BB%93%E5%BA%93+A&tab=mine';

beforeAll(async () => {
  db = await freshDatabase();
  await Promise.all([dingtalk.start(), feishu.start(), wecom.start()]);
  const admin = await companyWithWarehouses(db);
  companyId = admin.companyId;
  await createEmployee(db, admin, { code: 'KEEP', name: '仓管员', roles: ['warehouse_keeper'], warehouses: ['SH'] });
});

afterAll(async () => {
  await Promise.all([dingtalk.stop(), feishu.stop(), wecom.stop()]);
});

const sha = (alg: 'sha1' | 'sha256', text: string) => createHash(alg).update(text, 'utf8').digest('hex');

/**
 * What each messenger checks, written out from its documentation rather than
 * from our code: the signed text, the digest, the config's field names.
 */
const clouds: {
  platform: SsoPlatform;
  ticket: () => string;
  ticketRequests: () => number;
  /** The string the platform hashes for `config` signed for PAGE. */
  expectedSignature: (config: Record<string, string | number>, ticket: string) => string;
  publicFields: Record<string, string | number>;
  timestampField: string;
  /** Milliseconds per unit of the config's timestamp. */
  timestampUnitMs: number;
}[] = [
  {
    platform: 'dingtalk',
    ticket: () => dingtalk.jsapiTicket,
    ticketRequests: () => dingtalk.ticketRequests,
    // open.dingtalk.com JSAPI鉴权: sha256("jsapi_ticket=…&noncestr=…&timestamp=…&url=" + decodeUrl(url)), the query decoded once.
    expectedSignature: (c, t) => sha('sha256', `jsapi_ticket=${t}&noncestr=${c.nonceStr}&timestamp=${c.timeStamp}&url=http://localhost/app/?q=仓库 A&tab=mine`),
    publicFields: { agentId: AGENT_ID, corpId: 'dingfakecorp' },
    timestampField: 'timeStamp',
    timestampUnitMs: 1000,
  },
  {
    platform: 'feishu',
    ticket: () => feishu.jsapiTicket,
    ticketRequests: () => feishu.ticketRequests,
    // open.feishu.cn 鉴权: sha1 of verifyStr, raw values, millisecond timestamp.
    expectedSignature: (c, t) => sha('sha1', `jsapi_ticket=${t}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${PAGE_WITHOUT_HASH}`),
    publicFields: { appId: FAKE_APP.appId },
    timestampField: 'timestamp',
    timestampUnitMs: 1,
  },
  {
    platform: 'wecom',
    ticket: () => wecom.jsapiTicket,
    ticketRequests: () => wecom.ticketRequests,
    // developer.work.weixin.qq.com/document/path/96909: sha1, this field order, no URL encoding, seconds.
    expectedSignature: (c, t) => sha('sha1', `jsapi_ticket=${t}&noncestr=${c.nonceStr}&timestamp=${c.timestamp}&url=${PAGE_WITHOUT_HASH}`),
    publicFields: { appId: FAKE_WECOM.corpId },
    timestampField: 'timestamp',
    timestampUnitMs: 1000,
  },
];

describe.each(clouds)('the $platform JS API config', (cloud) => {
  const ask = async (fetchAs: (path: string, init?: RequestInit) => Response | Promise<Response>, page = PAGE) =>
    fetchAs(`/auth/jsapi/${cloud.platform}?url=${encodeURIComponent(page)}`, { headers: { 'accept-language': 'en' } });

  it('is signed for the page with the app’s ticket, and carries no secret', async () => {
    const h = harness();
    const res = await read(await ask(await h.as(companyId, 'KEEP')));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(cloud.publicFields);
    expect(res.body.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(res.body.signature).toBe(cloud.expectedSignature(res.body, cloud.ticket()));
    expect(Math.abs(Number(res.body[cloud.timestampField]) * cloud.timestampUnitMs - Date.now())).toBeLessThan(60_000);
    const text = JSON.stringify(res.body);
    for (const secret of [cloud.ticket(), FAKE_DINGTALK.clientSecret, FAKE_APP.appSecret, FAKE_WECOM.corpSecret]) expect(text).not.toContain(secret);
  });

  it('fetches one ticket for every page asking within its life, however many ask at once', async () => {
    const h = harness();
    const as = await h.as(companyId, 'KEEP');
    const before = cloud.ticketRequests();
    const first = await Promise.all([ask(as), ask(as), ask(as)]);
    const later = await read(await ask(as, 'http://localhost/app/'));
    expect(first.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(later.status).toBe(200);
    expect(cloud.ticketRequests() - before).toBe(1);
  });

  it('refuses to sign a page on another origin, naming the origins it signs for', async () => {
    const res = await read(await ask(await harness().as(companyId, 'KEEP'), 'https://evil.example/app/'));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues[0]).toMatchObject({ path: 'url' });
    expect(res.body.error.details.issues[0].message).toContain('allowed origins: http://localhost');
  });

  it('answers 401 without a session', async () => {
    const res = await read(await harness().request(`/auth/jsapi/${cloud.platform}?url=${encodeURIComponent(PAGE)}`));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });
});

describe('the page’s origin behind a reverse proxy', () => {
  it('signs for the origin the browser used, as X-Forwarded-Proto and -Host report it', async () => {
    const as = await harness().as(companyId, 'KEEP');
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'stock.example.com' };
    const ok = await as(`/auth/jsapi/wecom?url=${encodeURIComponent('https://stock.example.com/app/#/')}`, { headers });
    expect(ok.status).toBe(200);
    const other = await read(await as(`/auth/jsapi/wecom?url=${encodeURIComponent('https://evil.example/app/')}`, { headers }));
    expect(other.status).toBe(400);
    expect(other.body.error.details.issues[0].message).toContain('https://stock.example.com');
  });
});

describe('a messenger that cannot sign', () => {
  it('answers 400 for a messenger that is not configured, naming those that are', async () => {
    const as = await harness({ feishu: null, wecom: null }).as(companyId, 'KEEP');
    const res = await read(await as(`/auth/jsapi/wecom?url=${encodeURIComponent(PAGE)}`, { headers: { 'accept-language': 'en' } }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].message).toBe('wecom is not configured; configured: dingtalk');
    expect((await as(`/auth/jsapi/slack?url=${encodeURIComponent(PAGE)}`)).status).toBe(400);
  });

  it('answers 400 for DingTalk without its AgentId, saying which setting is missing', async () => {
    const base = allPlatforms().dingtalk;
    const as = await harness({ dingtalk: base ? { ...base, agentId: null } : null }).as(companyId, 'KEEP');
    const res = await read(await as(`/auth/jsapi/dingtalk?url=${encodeURIComponent(PAGE)}`));
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues[0].message).toContain('DINGTALK_AGENT_ID');
  });
});

describe('the signed text', () => {
  it('matches WeCom’s worked example (document 96909)', () => {
    const signature = jsapiSignature({
      ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      nonceStr: 'Wm3WZYTPz0wzccnW',
      timestamp: 1414587457,
      url: 'http://mp.weixin.qq.com?params=value',
    });
    expect(signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  it.each([
    ['https://stock.example.com/app/', 'https://stock.example.com/app/'],
    ['https://stock.example.com/app/?q=%E4%BB%93%E5%BA%93+A&tab=mine#/x', 'https://stock.example.com/app/?q=仓库 A&tab=mine'],
    ['https://stock.example.com/app/?bad=%E4%BB', 'https://stock.example.com/app/?bad=%E4%BB'],
  ])('DingTalk signs %s as %s (its decodeUrl: the query decoded once, no fragment)', (url, signed) => {
    expect(dingtalkSigningUrl(url)).toBe(signed);
  });
});
