import type { Database } from '../db/client.ts';
import type { RequestDeps } from '../inventory/requests/submit.ts';
import type { Notification, Notifier } from '../workflows/notifier.ts';
import type { ChatAdapter } from '../bot/adapter.ts';
import { AlertService } from '../bot/alerts.ts';
import { ApprovalCards } from '../bot/approval-cards.ts';
import { publishDueDigests } from '../bot/digests.ts';
import type { ReportPublisher } from '../workflows/reports/activities.ts';
import { ConsoleAdapter } from '../bot/console/adapter.ts';
import { consoleRoutes } from '../bot/console/routes.ts';
import { ConsoleStore } from '../bot/console/store.ts';
import { Conversation } from '../bot/core/conversation.ts';
import { WarehouseDirectory } from '../bot/core/lexicon.ts';
import { linksFor } from '../bot/core/links.ts';
import { DeliveryService } from '../bot/delivery.ts';
import { DingTalkAdapter } from '../bot/dingtalk/adapter.ts';
import { DingTalkApi } from '../bot/dingtalk/openapi.ts';
import { dingtalkHttpCallbacks } from '../bot/dingtalk/http.ts';
import { DingTalkStream } from '../bot/dingtalk/stream.ts';
import { FeishuAdapter } from '../bot/feishu/adapter.ts';
import { WeComAdapter } from '../bot/wecom/adapter.ts';
import { WeComApi } from '../bot/wecom/api.ts';
import { WeComSmartBot } from '../bot/wecom/smart-bot.ts';
import { wecomWebhook } from '../bot/wecom/webhook.ts';
import { WechatyAdapter } from '../bot/wechaty/adapter.ts';
import type { Wechaty } from 'wechaty';
import { FeishuLongConnection } from '../bot/feishu/long-connection.ts';
import { FeishuTokenCache } from '../bot/feishu/token-cache.ts';
import { feishuWebhook } from '../bot/feishu/webhook.ts';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Hono } from 'hono';

/**
 * The approval workflow's worker needs a notifier before the chat side (which
 * needs the workflow gateway) exists: this one forwards once connected, and
 * what arrives earlier waits in the notifications outbox for the sweep.
 */
export class ForwardingNotifier implements Notifier {
  private target: Notifier | null = null;
  connect(target: Notifier): void {
    this.target = target;
  }
  async send(n: Notification): Promise<void> {
    await this.target?.send(n);
  }
  async changed(companyId: number, requestId: number): Promise<void> {
    await this.target?.changed?.(companyId, requestId);
  }
}

export interface FeishuOptions {
  companyId: number;
  appId: string;
  appSecret: string;
  /** Events by webhook (needs the encrypt key and verification token) or over the long connection. */
  connection: 'webhook' | 'long';
  encryptKey: string | null;
  verificationToken: string | null;
  /** The OpenAPI's base URL: Feishu, Lark, or a loopback cloud in tests. */
  domain: string;
}

export interface DingTalkOptions {
  companyId: number;
  clientId: string;
  clientSecret: string;
  robotCode: string;
  /** An interactive card template (互动卡片, STREAM callbacks): cards keep their buttons; without one, markdown. */
  cardTemplateId: string | null;
  apiBase: string;
  /** Robot messages and card taps over the stream (no public URL), or POSTed to /dingtalk/events. */
  mode: 'stream' | 'http';
  /** HTTP mode: the route key the card callback URL is registered under. */
  callbackRouteKey?: string | null;
  /** Only to point the stream at a loopback gateway; DingTalk's own by default. */
  gatewayUrl?: string;
}

export interface WeComOptions {
  companyId: number;
  corpId: string;
  corpSecret: string;
  agentId: number;
  /** The callback's Token and EncodingAESKey. */
  token: string;
  encodingAESKey: string;
  apiBase: string;
}

export interface WeComSmartBotOptions {
  companyId: number;
  /** The smart bot's BotID and Secret (企业微信 智能机器人, API mode with a long connection). */
  botId: string;
  secret: string;
  /** Only to point the SDK at a loopback gateway. */
  wsUrl?: string;
}

const WECOM_API_BASE = 'https://qyapi.weixin.qq.com';

export interface WechatyOptions {
  companyId: number;
  /** A built (not yet started) Wechaty: its puppet is the team's choice. */
  bot: Wechaty;
}

export interface ChatOptions extends RequestDeps {
  db: Database;
  /** Base URL people reach the product at: mini-app links in cards point there. */
  publicUrl: string;
  /** The company the local console plays the messenger for; null = no console. */
  consoleCompanyId: number | null;
  feishu?: FeishuOptions | null;
  dingtalk?: DingTalkOptions | null;
  wecom?: WeComOptions | null;
  wecomSmartBot?: WeComSmartBotOptions | null;
  wechaty?: WechatyOptions | null;
  log?: (message: string, err?: unknown) => void;
}

/** Everything chat: the conversation core, the adapters, approval cards and the local console. */
export function createChat(opts: ChatOptions) {
  const { db, gateway, reservations, log } = opts;
  const warehouses = new WarehouseDirectory(db);
  const links = linksFor(opts.publicUrl);
  const conversation = new Conversation({ db, gateway, reservations, links, warehouses, ...(log ? { log } : {}) });
  const delivery = new DeliveryService(db);
  const adapters: ChatAdapter[] = [];

  let consoleParts: { store: ConsoleStore; adapter: ConsoleAdapter; routes: ReturnType<typeof consoleRoutes> } | null = null;
  if (opts.consoleCompanyId !== null) {
    const store = new ConsoleStore();
    const adapter = new ConsoleAdapter(store);
    adapters.push(adapter);
    consoleParts = { store, adapter, routes: consoleRoutes({ db, companyId: opts.consoleCompanyId, conversation, store, adapter }) };
  }

  let feishu: ReturnType<typeof feishuWebhook> | null = null;
  let feishuLong: FeishuLongConnection | null = null;
  if (opts.feishu) {
    const f = opts.feishu;
    const tokens = new FeishuTokenCache();
    const client = new lark.Client({ appId: f.appId, appSecret: f.appSecret, domain: f.domain, appType: lark.AppType.SelfBuild, loggerLevel: lark.LoggerLevel.warn, cache: tokens });
    const adapter = new FeishuAdapter(client, tokens);
    adapters.push(adapter);
    const eventDeps = { db, companyId: f.companyId, conversation, adapter, delivery, ...(log ? { log } : {}) };
    if (f.connection === 'long') {
      feishuLong = new FeishuLongConnection({ ...eventDeps, appId: f.appId, appSecret: f.appSecret, domain: f.domain });
    } else {
      if (!f.encryptKey || !f.verificationToken) throw new Error('Feishu webhook needs the encrypt key and the verification token');
      feishu = feishuWebhook({ ...eventDeps, encryptKey: f.encryptKey, verificationToken: f.verificationToken });
    }
  }

  let dingtalk: DingTalkStream | null = null;
  let dingtalkHttp: ReturnType<typeof dingtalkHttpCallbacks> | null = null;
  if (opts.dingtalk) {
    const d = opts.dingtalk;
    const api = new DingTalkApi({ appKey: d.clientId, appSecret: d.clientSecret, robotCode: d.robotCode, apiBase: d.apiBase });
    const adapter = new DingTalkAdapter(api, d.cardTemplateId, d.mode === 'http' ? (d.callbackRouteKey ?? null) : null);
    adapters.push(adapter);
    if (d.mode === 'http') {
      dingtalkHttp = dingtalkHttpCallbacks({ db, companyId: d.companyId, conversation, adapter, delivery, appSecret: d.clientSecret, ...(log ? { log } : {}) });
    } else dingtalk = new DingTalkStream({
      db,
      companyId: d.companyId,
      conversation,
      adapter,
      delivery,
      clientId: d.clientId,
      clientSecret: d.clientSecret,
      ...(d.gatewayUrl ? { gatewayUrl: d.gatewayUrl } : {}),
      ...(log ? { log } : {}),
    });
  }

  let wecom: ReturnType<typeof wecomWebhook> | null = null;
  let wecomSmartBot: WeComSmartBot | null = null;
  if (opts.wecom || opts.wecomSmartBot) {
    const w = opts.wecom;
    const adapter = new WeComAdapter(w ? new WeComApi({ corpId: w.corpId, corpSecret: w.corpSecret, agentId: w.agentId, apiBase: w.apiBase }) : null, w?.apiBase ?? WECOM_API_BASE);
    adapters.push(adapter);
    if (w) wecom = wecomWebhook({ db, companyId: w.companyId, conversation, adapter, delivery, corpId: w.corpId, token: w.token, encodingAESKey: w.encodingAESKey, ...(log ? { log } : {}) });
    const b = opts.wecomSmartBot;
    if (b) {
      wecomSmartBot = new WeComSmartBot({ db, companyId: b.companyId, conversation, adapter, delivery, botId: b.botId, secret: b.secret, ...(b.wsUrl ? { wsUrl: b.wsUrl } : {}), ...(log ? { log } : {}) });
      adapter.attachSmartBot(wecomSmartBot);
    }
  }

  let wechaty: WechatyAdapter | null = null;
  if (opts.wechaty) {
    wechaty = new WechatyAdapter(opts.wechaty.bot, { db, companyId: opts.wechaty.companyId, conversation, delivery, ...(log ? { log } : {}) });
    adapters.push(wechaty);
  }

  const cards = new ApprovalCards({ db, gateway, reservations, links, warehouses, delivery, adapters: () => adapters, ...(log ? { log } : {}) });
  const alerts = new AlertService({ db, delivery, adapters: () => adapters, links, ...(log ? { log } : {}) });
  const reports: ReportPublisher = {
    publishDueDigests: (companyId) => publishDueDigests({ db, delivery, adapters: () => adapters, links }, companyId),
    scanAlerts: (companyId, progress) => alerts.scan(companyId, progress),
    checkIntegrity: (companyId) => alerts.checkIntegrity(companyId),
    reviewSafetyStock: (companyId) => alerts.reviewSafetyStock(companyId),
  };
  const mounts: Record<string, Hono> = {
    ...(consoleParts ? { '/console': consoleParts.routes as unknown as Hono } : {}),
    ...(feishu ? { '/feishu': feishu.app as unknown as Hono } : {}),
    ...(wecom ? { '/wecom': wecom.app as unknown as Hono } : {}),
    ...(dingtalkHttp ? { '/dingtalk': dingtalkHttp.app as unknown as Hono } : {}),
  };
  return { conversation, delivery, cards, alerts, reports, adapters, console: consoleParts, feishu, feishuLong, dingtalk, dingtalkHttp, wecom, wecomSmartBot, wechaty, mounts };
}

export type Chat = ReturnType<typeof createChat>;
