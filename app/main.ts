import { serve } from '@hono/node-server';
import { expireReservations } from '../inventory/reservations/expire.ts';
import { ReservationService } from '../inventory/reservations/reserve.ts';
import { createApiToken, revokeApiTokens } from './auth/tokens.ts';
import { openDatabase } from './database.ts';
import { loadConfig } from './env.ts';
import { createApp } from './http/app.ts';
import { seedDemo } from './seed/seed-demo.ts';
import { buildSsoExchangers } from '../miniapp/api/sso/index.ts';
import { startMiniapp } from './miniapp.ts';
import { startReports } from './reports.ts';
import { startApprovals } from './temporal.ts';
import { pruneInbox } from '../bot/inbox.ts';
import { createChat, ForwardingNotifier } from './chat.ts';
import { VERSION } from './version.ts';

const DEV_TOKEN_NAME = 'dev (npm start)';

/** `npm start`: the whole product on this machine, embedded defaults where nothing is configured. */
async function main(): Promise<void> {
  const config = loadConfig();
  /** Any messenger at all: then nothing that trusts whoever opens it (console, development sign-in) is on by default. */
  const platformConfigured = Boolean(config.FEISHU_APP_ID || config.DINGTALK_CLIENT_ID || config.WECOM_CORP_ID || config.WECOM_BOT_ID || config.WECHATY_PUPPET);
  const log = (m: string) => console.log(`[stockpilot] ${m}`);
  const opened = await openDatabase(config, { log });
  const { db } = opened;

  let companyId: number | null = null;
  if (config.SEED_DEMO) {
    log('seeding demo data on first run …');
    const seeded = await seedDemo(db);
    companyId = seeded.companyId;
    log(seeded.seeded ? 'demo company DEMO seeded' : 'demo company DEMO already present');
  }

  const reservations = new ReservationService(db);
  const notifier = new ForwardingNotifier();
  const approvals = await startApprovals(config, db, notifier, log);
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
  const chat = createChat({
    db,
    gateway: approvals.gateway,
    reservations,
    publicUrl,
    consoleCompanyId: await consoleCompany(),
    feishu: await feishuOptions(),
    dingtalk: await dingtalkOptions(),
    wecom: await wecomOptions(),
    wecomSmartBot: await wecomSmartBotOptions(),
    wechaty: await wechatyOptions(),
    log: (m, err) => console.error(`[stockpilot] ${m}`, err ?? ''),
  });
  notifier.connect(chat.cards);
  if (chat.wechaty) {
    await chat.wechaty.start();
    log(`wechaty started with ${config.WECHATY_PUPPET}`);
  }
  if (chat.wecomSmartBot) {
    await chat.wecomSmartBot.start();
    log('wecom smart bot connected');
  }
  if (chat.feishuLong) {
    await chat.feishuLong.start();
    log('feishu long connection open');
  }
  if (chat.dingtalk) {
    await chat.dingtalk.start();
    log(`dingtalk stream ${chat.dingtalk.connected ? 'connected' : 'connecting (the SDK retries every second)'}`);
  }
  chat.cards.startSweeper();
  chat.alerts.start();
  const reports = await startReports(approvals, db, chat.reports, log);
  log(`report schedules: ${reports.schedules.join(', ')}`);
  const miniapp = await startMiniapp({
    config,
    db,
    gateway: approvals.gateway,
    reservations,
    sso: await ssoExchangers(),
    // Picking any employee is for a machine with no messenger, like the console.
    devCompanyId: platformConfigured ? null : await companyByCode(config.CHAT_CONSOLE_COMPANY),
    log,
  });
  const app = createApp({ db, reservations, gateway: approvals.gateway, version: VERSION, mounts: { ...chat.mounts, '/app': miniapp.server } });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${info.port}`;
    log(`listening on ${base}`);
    log(`  health   ${base}/healthz`);
    log(`  OpenAPI  ${base}/api/v1/openapi.json`);
    log(`  app      ${base}/app/   (mobile mini-app${miniapp.devSignIn ? '; development sign-in: pick any demo employee' : ''})`);
    if (chat.console) log(`  console  ${base}/console   (local chat console: it trusts whoever opens it; CHAT_CONSOLE=off disables it)`);
    if (chat.feishu) log(`  feishu   ${base}/feishu/events   (set as the app's event and card callback URL)`);
    if (chat.wecom) log(`  wecom    ${base}/wecom/events   (set as the app's message callback URL)`);
    if (chat.dingtalkHttp) log(`  dingtalk ${base}/dingtalk/events   (set as the robot's message and card callback URL)`);
    log(`  database ${opened.embedded ? `embedded PostgreSQL (${config.DATA_DIR}/pg)` : 'DATABASE_URL'}`);
    log(`  temporal ${config.TEMPORAL_ADDRESS ?? `local dev server ${approvals.address}`}${approvals.uiUrl ? ` (UI ${approvals.uiUrl})` : ''}`);
    void printDevToken(base);
  });

  async function companyByCode(code: string): Promise<number | null> {
    const [c] = await db.sql<{ id: number }[]>`select id from companies where code = ${code}`;
    return c?.id ?? null;
  }

  /** `auto`: the console trusts whoever opens it, so it is off as soon as a real platform is configured. */
  async function consoleCompany(): Promise<number | null> {
    if (config.CHAT_CONSOLE === 'off' || (config.CHAT_CONSOLE === 'auto' && platformConfigured)) return null;
    const [c] = await db.sql<{ id: number }[]>`select id from companies where code = ${config.CHAT_CONSOLE_COMPANY}`;
    if (!c) log(`chat console off: no company ${config.CHAT_CONSOLE_COMPANY} (CHAT_CONSOLE_COMPANY)`);
    return c?.id ?? null;
  }

  async function feishuOptions() {
    if (!config.FEISHU_APP_ID || !config.FEISHU_APP_SECRET) return null;
    const id = await companyByCode(config.FEISHU_COMPANY);
    if (id === null) throw new Error(`Invalid configuration:\n  FEISHU_COMPANY: no company ${config.FEISHU_COMPANY}`);
    return {
      companyId: id,
      appId: config.FEISHU_APP_ID,
      appSecret: config.FEISHU_APP_SECRET,
      connection: config.FEISHU_CONNECTION,
      encryptKey: config.FEISHU_ENCRYPT_KEY ?? null,
      verificationToken: config.FEISHU_VERIFICATION_TOKEN ?? null,
      domain: config.FEISHU_DOMAIN,
    };
  }

  async function dingtalkOptions() {
    if (!config.DINGTALK_CLIENT_ID || !config.DINGTALK_CLIENT_SECRET) return null;
    const id = await companyByCode(config.DINGTALK_COMPANY);
    if (id === null) throw new Error(`Invalid configuration:\n  DINGTALK_COMPANY: no company ${config.DINGTALK_COMPANY}`);
    return {
      companyId: id,
      clientId: config.DINGTALK_CLIENT_ID,
      clientSecret: config.DINGTALK_CLIENT_SECRET,
      robotCode: config.DINGTALK_ROBOT_CODE ?? config.DINGTALK_CLIENT_ID,
      cardTemplateId: config.DINGTALK_CARD_TEMPLATE_ID ?? null,
      apiBase: config.DINGTALK_API_BASE,
      mode: config.DINGTALK_CALLBACK,
      callbackRouteKey: config.DINGTALK_CALLBACK_ROUTE_KEY ?? null,
    };
  }

  async function wecomOptions() {
    const c = config;
    if (!c.WECOM_CORP_ID || !c.WECOM_SECRET || !c.WECOM_AGENT_ID || !c.WECOM_TOKEN || !c.WECOM_ENCODING_AES_KEY) return null;
    const id = await companyByCode(c.WECOM_COMPANY);
    if (id === null) throw new Error(`Invalid configuration:\n  WECOM_COMPANY: no company ${c.WECOM_COMPANY}`);
    return { companyId: id, corpId: c.WECOM_CORP_ID, corpSecret: c.WECOM_SECRET, agentId: c.WECOM_AGENT_ID, token: c.WECOM_TOKEN, encodingAESKey: c.WECOM_ENCODING_AES_KEY, apiBase: c.WECOM_API_BASE };
  }

  async function wecomSmartBotOptions() {
    if (!config.WECOM_BOT_ID || !config.WECOM_BOT_SECRET) return null;
    const id = await companyByCode(config.WECOM_COMPANY);
    if (id === null) throw new Error(`Invalid configuration:\n  WECOM_COMPANY: no company ${config.WECOM_COMPANY}`);
    return { companyId: id, botId: config.WECOM_BOT_ID, secret: config.WECOM_BOT_SECRET };
  }

  /** The mini-app signs in silently in each messenger whose app is configured (DingTalk also needs its corp id). */
  async function ssoExchangers() {
    const [dingtalk, feishu, wecom] = [await dingtalkOptions(), await feishuOptions(), await wecomOptions()];
    if (dingtalk && !config.DINGTALK_CORP_ID) log('mini-app: DingTalk sign-in is off until DINGTALK_CORP_ID is set');
    if (dingtalk && config.DINGTALK_CORP_ID && !config.DINGTALK_AGENT_ID) log('mini-app: inside DingTalk, scanning uses the camera until DINGTALK_AGENT_ID is set');
    return buildSsoExchangers({
      dingtalk:
        dingtalk && config.DINGTALK_CORP_ID
          ? { ...dingtalk, corpId: config.DINGTALK_CORP_ID, oapiBase: config.DINGTALK_OAPI_BASE, agentId: config.DINGTALK_AGENT_ID ?? null }
          : null,
      feishu: feishu ? { companyId: feishu.companyId, appId: feishu.appId, appSecret: feishu.appSecret, domain: feishu.domain } : null,
      wecom,
    });
  }

  async function wechatyOptions() {
    if (!config.WECHATY_PUPPET) return null;
    const id = await companyByCode(config.WECHATY_COMPANY);
    if (id === null) throw new Error(`Invalid configuration:\n  WECHATY_COMPANY: no company ${config.WECHATY_COMPANY}`);
    const { WechatyBuilder } = await import('wechaty');
    return { companyId: id, bot: WechatyBuilder.build({ name: 'stockpilot', puppet: config.WECHATY_PUPPET as never }) };
  }

  async function printDevToken(base: string): Promise<void> {
    if (companyId === null) return;
    // A fresh development token each start; the previous one stops working.
    await revokeApiTokens(db, { companyId, name: DEV_TOKEN_NAME });
    const { token } = await createApiToken(db, { companyId, name: DEV_TOKEN_NAME, scopes: ['admin'] });
    log(`  dev API token (company DEMO, all scopes): ${token}`);
    log(`  try: curl -H 'Authorization: Bearer ${token}' ${base}/api/v1/stock/A-1001`);
  }

  // Expired reservations give their stock back within a minute; old chat event ids are forgotten.
  const sweeper = setInterval(() => {
    expireReservations(db).catch((err: unknown) => console.error('reservation expiry failed', err));
    pruneInbox(db).catch((err: unknown) => console.error('chat inbox pruning failed', err));
  }, 30_000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down`);
    clearInterval(sweeper);
    chat.cards.stop();
    await chat.alerts.stop();
    await reports.stop();
    await chat.feishuLong?.stop();
    await chat.wecomSmartBot?.stop();
    await chat.dingtalk?.stop();
    await chat.wechaty?.stop();
    server.close();
    await approvals.stop();
    await opened.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
