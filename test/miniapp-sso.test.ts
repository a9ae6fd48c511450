import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/client.ts';
import { createEmployee } from '../inventory/master/employees.ts';
import { buildSsoExchangers, type SsoOptions, type SsoPlatform } from '../miniapp/api/sso/index.ts';
import { freshDatabase } from './support/db.ts';
import { DINGTALK_AUTH_CODE_TTL_MS, FAKE_DINGTALK, FakeDingTalkCloud } from './support/fake-dingtalk.ts';
import { FAKE_APP, FEISHU_AUTH_CODE_TTL_MS, FakeFeishuCloud } from './support/fake-feishu.ts';
import { FAKE_WECOM, FakeWeComCloud, WECOM_AUTH_CODE_TTL_MS } from './support/fake-wecom.ts';
import { companyWithWarehouses } from './support/fixtures.ts';
import { miniappHarness } from './support/miniapp.ts';

let db: Database;
let companyId: number;
const dingtalk = new FakeDingTalkCloud();
const feishu = new FakeFeishuCloud();
const wecom = new FakeWeComCloud();

/** Every messenger configured against its loopback cloud, as main.ts would from the environment. */
function allPlatforms(over: SsoOptions = {}): SsoOptions {
  return {
    dingtalk: { companyId, corpId: 'dingfakecorp', clientId: FAKE_DINGTALK.clientId, clientSecret: FAKE_DINGTALK.clientSecret, oapiBase: dingtalk.url },
    feishu: { companyId, appId: FAKE_APP.appId, appSecret: FAKE_APP.appSecret, domain: feishu.url },
    wecom: { companyId, corpId: FAKE_WECOM.corpId, corpSecret: FAKE_WECOM.corpSecret, agentId: FAKE_WECOM.agentId, apiBase: wecom.url },
    ...over,
  };
}

const harness = (over: SsoOptions = {}, sessionTtlSeconds = 3600) => miniappHarness(db, { sso: buildSsoExchangers(allPlatforms(over)), sessionTtlSeconds });

/** A loopback URL nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

// biome-ignore lint: tests read any JSON shape
const read = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });

beforeAll(async () => {
  db = await freshDatabase();
  await Promise.all([dingtalk.start(), feishu.start(), wecom.start()]);
  const admin = await companyWithWarehouses(db);
  companyId = admin.companyId;
  for (const e of [
    { code: 'KEEP', name: '仓管员', roles: ['warehouse_keeper'], warehouses: ['SH'], dingtalkUserId: 'staffkeep', feishuOpenId: 'ou_keep', wecomUserId: 'keep' },
    { code: 'LEFT', name: '离职员工', roles: ['sales'], dingtalkUserId: 'staffleft', feishuOpenId: 'ou_left', wecomUserId: 'left' },
  ]) {
    await createEmployee(db, admin, e);
  }
});

afterAll(async () => {
  await Promise.all([dingtalk.stop(), feishu.stop(), wecom.stop()]);
});

/** How each messenger hands a page its code, and what it says when it refuses one. */
const clouds: {
  platform: SsoPlatform;
  issue: (platformUser: string, issuedAt?: number) => string;
  keep: string;
  left: string;
  ttlMs: number;
  refusal: RegExp;
  expiredRefusal: RegExp;
  /** Revokes the app token early, where the flow uses one. */
  revokeAppToken: (() => void) | null;
}[] = [
  {
    platform: 'dingtalk',
    issue: (u, issuedAt) => dingtalk.issueAuthCode(u, { issuedAt }),
    keep: 'staffkeep',
    left: 'staffleft',
    ttlMs: DINGTALK_AUTH_CODE_TTL_MS,
    refusal: /不存在的临时授权码 \(errcode 40078\)/,
    expiredRefusal: /不存在的临时授权码/,
    revokeAppToken: () => dingtalk.expireToken(),
  },
  {
    platform: 'feishu',
    issue: (u, issuedAt) => feishu.issueAuthCode(u, { issuedAt }),
    keep: 'ou_keep',
    left: 'ou_left',
    ttlMs: FEISHU_AUTH_CODE_TTL_MS,
    refusal: /authorization code is not found or has been used \(code 20003\)/,
    expiredRefusal: /authorization code has expired \(code 20004\)/,
    revokeAppToken: null,
  },
  {
    platform: 'wecom',
    issue: (u, issuedAt) => wecom.issueAuthCode(u, { issuedAt }),
    keep: 'keep',
    left: 'left',
    ttlMs: WECOM_AUTH_CODE_TTL_MS,
    refusal: /invalid code \(errcode 40029\)/,
    expiredRefusal: /invalid code/,
    revokeAppToken: () => wecom.expireToken(),
  },
];

describe.each(clouds)('silent sign-in from $platform', (cloud) => {
  const signIn = async (h: ReturnType<typeof harness>, code: string, lang = 'en') =>
    read(await h.request(`/auth/sso/${cloud.platform}`, { method: 'POST', json: { code }, headers: { 'accept-language': lang } }));

  it('signs a bound employee in, and /me then answers who they are', async () => {
    const h = harness();
    const signed = await signIn(h, cloud.issue(cloud.keep));
    expect(signed.status).toBe(200);
    expect(Date.parse(signed.body.expiresAt)).toBeGreaterThan(Date.now() + 3500_000);

    const me = await read(await h.request('/me', { token: signed.body.token }));
    expect(me).toMatchObject({ status: 200, body: { code: 'KEEP', name: '仓管员', roles: ['warehouse_keeper'], seesCost: false, warehouses: [{ code: 'SH' }] } });
  });

  it('refuses a code used a second time, in the platform’s own words', async () => {
    const h = harness();
    const code = cloud.issue(cloud.keep);
    expect((await signIn(h, code)).status).toBe(200);
    const again = await signIn(h, code);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('SSO_REFUSED');
    expect(again.body.error.message).toMatch(cloud.refusal);
    expect(again.body.error.details).toMatchObject({ platform: cloud.platform });
    expect(again.body.token).toBeUndefined();
  });

  it('refuses a code the platform never issued (in Chinese by default)', async () => {
    const res = await signIn(harness(), 'made-up-code', 'zh-CN');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SSO_REFUSED');
    expect(res.body.error.message).toContain(`${cloud.platform} 登录失败`);
    expect(res.body.error.message).toMatch(cloud.refusal);
  });

  it('refuses a code older than the platform lets it live, and takes one just inside it', async () => {
    const h = harness();
    const expired = await signIn(h, cloud.issue(cloud.keep, Date.now() - cloud.ttlMs - 1000));
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(cloud.expiredRefusal);
    const fresh = await signIn(h, cloud.issue(cloud.keep, Date.now() - cloud.ttlMs + 30_000));
    expect(fresh.status).toBe(200);
  });

  it('tells a platform user nobody bound to an employee to ask an administrator', async () => {
    const stranger = cloud.platform === 'feishu' ? 'ou_stranger' : 'stranger';
    const res = await signIn(harness(), cloud.issue(stranger));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('NOT_BOUND');
    expect(res.body.error.message).toContain(stranger);
    expect(res.body.error.message).toContain('ask an administrator');
  });

  it('lets a deactivated employee in no more: their open session and a new sign-in are both refused', async () => {
    const h = harness();
    const signed = await signIn(h, cloud.issue(cloud.left));
    expect(signed.status).toBe(200);
    expect((await h.request('/me', { token: signed.body.token })).status).toBe(200);

    await db.sql`update employees set active = false where company_id = ${companyId} and code = 'LEFT'`;
    try {
      const me = await read(await h.request('/me', { token: signed.body.token }));
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('UNAUTHORIZED');
      const again = await signIn(h, cloud.issue(cloud.left));
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe('NOT_BOUND');
    } finally {
      await db.sql`update employees set active = true where company_id = ${companyId} and code = 'LEFT'`;
    }
  });
});

describe.each(clouds.filter((c) => c.revokeAppToken !== null))('the $platform app token', (cloud) => {
  it('is fetched again when the platform revokes it early, and people keep signing in', async () => {
    const h = harness();
    const signIn = () => h.request(`/auth/sso/${cloud.platform}`, { method: 'POST', json: { code: cloud.issue(cloud.keep) } });
    expect((await signIn()).status).toBe(200);
    cloud.revokeAppToken?.();
    expect((await signIn()).status).toBe(200);
  });
});

describe('which messengers are offered', () => {
  it('gives the page the public ids each configured messenger needs, and never a secret', async () => {
    const options = await read(await harness().request('/auth/options'));
    expect(options).toMatchObject({
      status: 200,
      body: {
        devSignIn: false,
        platforms: {
          dingtalk: { corpId: 'dingfakecorp', clientId: FAKE_DINGTALK.clientId },
          feishu: { appId: FAKE_APP.appId },
          wecom: { corpId: FAKE_WECOM.corpId, agentId: String(FAKE_WECOM.agentId) },
        },
      },
    });
    const text = JSON.stringify(options.body);
    for (const secret of [FAKE_DINGTALK.clientSecret, FAKE_APP.appSecret, FAKE_WECOM.corpSecret]) expect(text).not.toContain(secret);
  });

  it('answers 400 for a messenger that is not configured, naming those that are', async () => {
    const h = harness({ feishu: null, wecom: null });
    const res = await read(await h.request('/auth/sso/wecom', { method: 'POST', json: { code: wecom.issueAuthCode('keep') }, headers: { 'accept-language': 'en' } }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details.issues[0].message).toBe('wecom is not configured; configured: dingtalk');
    const unknown = await h.request('/auth/sso/slack', { method: 'POST', json: { code: 'x' } });
    expect(unknown.status).toBe(400);
  });
});

describe('Feishu bindings by union_id', () => {
  it('signs in an employee bound by union_id only: the open_id Feishu gives first matches no one', async () => {
    await db.sql`update employees set feishu_union_id = 'on_union_only' where company_id = ${companyId} and code = 'KEEP'`;
    try {
      const h = harness();
      const code = feishu.issueAuthCode('ou_not_bound_anywhere', { unionId: 'on_union_only' });
      const res = await read(await h.request('/auth/sso/feishu', { method: 'POST', json: { code } }));
      expect(res.status).toBe(200);
      const me = await read(await h.request('/me', { token: res.body.token }));
      expect(me.body.code).toBe('KEEP');
    } finally {
      await db.sql`update employees set feishu_union_id = null where company_id = ${companyId} and code = 'KEEP'`;
    }
  });
});

describe('WeCom outsiders', () => {
  it('refuses someone outside the organisation, who gets only an openid', async () => {
    const code = wecom.issueAuthCode({ openid: 'oAbCdEfGh-outsider' });
    const res = await read(await harness().request('/auth/sso/wecom', { method: 'POST', json: { code }, headers: { 'accept-language': 'en' } }));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SSO_REFUSED');
    expect(res.body.error.message).toContain('not a member of this organisation');
  });
});

describe('sessions', () => {
  it('refuses a session past its time with SESSION_EXPIRED, so the page signs in again', async () => {
    const h = harness({}, -60);
    const signed = await read(await h.request('/auth/sso/dingtalk', { method: 'POST', json: { code: dingtalk.issueAuthCode('staffkeep') } }));
    expect(signed.status).toBe(200);
    const me = await read(await h.request('/me', { token: signed.body.token, headers: { 'accept-language': 'en' } }));
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('SESSION_EXPIRED');
    expect(me.body.error.message).toContain('open the app again');
  });
});

describe('when the platform cannot be asked', () => {
  it('fails with a logged 500 that names the platform and leaks no secret when the cloud is unreachable', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const h = harness({ wecom: { companyId, corpId: FAKE_WECOM.corpId, corpSecret: FAKE_WECOM.corpSecret, agentId: FAKE_WECOM.agentId, apiBase: await closedPort() } });
      const res = await read(await h.request('/auth/sso/wecom', { method: 'POST', json: { code: 'any' } }));
      expect(res.status).toBe(500);
      expect(res.body.error.code).toBe('INTERNAL');
      const logged = errors.mock.calls.flat().map(String).join('\n');
      expect(logged).toMatch(/WeCom sign-in is unavailable: gettoken: fetch failed \(ECONNREFUSED\)/);
      expect(logged).not.toContain(FAKE_WECOM.corpSecret);
    } finally {
      errors.mockRestore();
    }
  });

  it('treats a wrong app secret as our misconfiguration (logged 500), not as the user’s refused code', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const wrong = 'wrong-secret-do-not-log';
    try {
      const h = harness({
        dingtalk: { companyId, corpId: 'dingfakecorp', clientId: FAKE_DINGTALK.clientId, clientSecret: wrong, oapiBase: dingtalk.url },
        feishu: { companyId, appId: FAKE_APP.appId, appSecret: wrong, domain: feishu.url },
      });
      for (const [platform, code, said] of [
        ['dingtalk', dingtalk.issueAuthCode('staffkeep'), /DingTalk sign-in is unavailable: the app's credentials were refused \(errcode 40089/],
        ['feishu', feishu.issueAuthCode('ou_keep'), /Feishu sign-in is unavailable: the app's credentials were refused \(code 20002/],
      ] as const) {
        const res = await h.request(`/auth/sso/${platform}`, { method: 'POST', json: { code } });
        expect(res.status).toBe(500);
        expect(errors.mock.calls.flat().map(String).join('\n')).toMatch(said);
      }
      expect(errors.mock.calls.flat().map(String).join('\n')).not.toContain(wrong);
    } finally {
      errors.mockRestore();
    }
  });
});
