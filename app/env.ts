import path from 'node:path';
import { z } from 'zod';

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** An existing PostgreSQL; when absent an embedded server runs under DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Seed the demo company on first start (an empty database). */
  SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(20),
  /** An existing Temporal cluster (namespace, TLS, API key via TEMPORAL_NAMESPACE, TEMPORAL_TLS_*, TEMPORAL_API_KEY). */
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'host:port').optional(),
  /** Run the local dev server's Web UI on this port (0 = any free port); headless when unset. */
  TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** Where people reach the product: links in chat cards lead there. Defaults to http://HOST:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The local chat console trusts whoever opens it: `auto` serves it only when
   * no chat platform is configured, `on` always, `off` never.
   */
  CHAT_CONSOLE: z.enum(['auto', 'on', 'off']).default('auto'),
  /** The company the console speaks for (its code); the demo company by default. */
  CHAT_CONSOLE_COMPANY: z.string().min(1).default('DEMO'),
  /**
   * Feishu/Lark self-built app. `webhook` (events to /feishu/events): all four of id, secret,
   * encrypt key and verification token; `long` (长连接, no public URL needed): id and secret.
   */
  FEISHU_CONNECTION: z.enum(['webhook', 'long']).default('webhook'),
  FEISHU_APP_ID: z.string().min(1).optional(),
  FEISHU_APP_SECRET: z.string().min(1).optional(),
  FEISHU_ENCRYPT_KEY: z.string().min(1).optional(),
  FEISHU_VERIFICATION_TOKEN: z.string().min(1).optional(),
  /** https://open.feishu.cn (Feishu) or https://open.larksuite.com (Lark). */
  FEISHU_DOMAIN: z.url().default('https://open.feishu.cn'),
  /** The company (code) whose employees the Feishu app serves. */
  FEISHU_COMPANY: z.string().min(1).default('DEMO'),
  /** DingTalk app (stream mode): client id (AppKey) and secret switch it on. */
  DINGTALK_CLIENT_ID: z.string().min(1).optional(),
  DINGTALK_CLIENT_SECRET: z.string().min(1).optional(),
  /** The robot's code; the AppKey by default. */
  DINGTALK_ROBOT_CODE: z.string().min(1).optional(),
  /** An interactive card template id (互动卡片 with STREAM callbacks); without it, cards are sent as markdown without buttons. */
  DINGTALK_CARD_TEMPLATE_ID: z.string().min(1).optional(),
  DINGTALK_API_BASE: z.url().default('https://api.dingtalk.com'),
  /** `stream` (no public URL) or `http`: robot messages and card callbacks POSTed to /dingtalk/events, signed with the app secret. */
  DINGTALK_CALLBACK: z.enum(['stream', 'http']).default('stream'),
  /** HTTP mode: the route key the card callback URL is registered under (互动卡片回调). */
  DINGTALK_CALLBACK_ROUTE_KEY: z.string().min(1).optional(),
  DINGTALK_COMPANY: z.string().min(1).default('DEMO'),
  /** WeCom self-built app: corp id, app secret, agent id, and the callback's token and EncodingAESKey switch it on. */
  WECOM_CORP_ID: z.string().min(1).optional(),
  WECOM_SECRET: z.string().min(1).optional(),
  WECOM_AGENT_ID: z.coerce.number().int().positive().optional(),
  WECOM_TOKEN: z.string().min(1).optional(),
  WECOM_ENCODING_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, '43 letters and digits').optional(),
  WECOM_API_BASE: z.url().default('https://qyapi.weixin.qq.com'),
  WECOM_COMPANY: z.string().min(1).default('DEMO'),
  /** WeCom smart bot (智能机器人, long connection): answers @-questions in ordinary groups; BotID and Secret switch it on. */
  WECOM_BOT_ID: z.string().min(1).optional(),
  WECOM_BOT_SECRET: z.string().min(1).optional(),
  /** A Wechaty puppet package (e.g. wechaty-puppet-service; its own settings such as WECHATY_PUPPET_SERVICE_TOKEN are read by it). */
  WECHATY_PUPPET: z.string().min(1).optional(),
  WECHATY_COMPANY: z.string().min(1).default('DEMO'),
  /** Signs mini-app sessions; when unset, a random key is kept in DATA_DIR/session-secret (sessions survive restarts, not moves). */
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** How long a mini-app session lasts. */
  SESSION_TTL_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(12),
  /** DingTalk's corp id: the mini-app asks DingTalk for a sign-in code with it (dd.runtime.permission.requestAuthCode). */
  DINGTALK_CORP_ID: z.string().min(1).optional(),
  /** The older DingTalk API host the mini-app sign-in exchanges its code at (topapi/v2/user/getuserinfo). */
  DINGTALK_OAPI_BASE: z.url().default('https://oapi.dingtalk.com'),
  /** The DingTalk H5 app's AgentId: the mini-app's dd.config needs it to use DingTalk's scanner (biz.util.scan). */
  DINGTALK_AGENT_ID: z.string().min(1).optional(),
});

export type Config = Omit<z.infer<typeof configSchema>, 'DATA_DIR'> & { DATA_DIR: string };

const FEISHU_KEYS = ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN'] as const;
const WECOM_KEYS = ['WECOM_CORP_ID', 'WECOM_SECRET', 'WECOM_AGENT_ID', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

/**
 * Reads configuration once at start-up; everything else receives the parsed
 * object. A bad value stops the process with the name of the setting.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  // Half a platform configuration is a mistake, not "off": say which settings are missing.
  const feishuKeys = parsed.data.FEISHU_CONNECTION === 'long' ? FEISHU_KEYS.slice(0, 2) : FEISHU_KEYS;
  const feishu = feishuKeys.filter((k) => parsed.data[k] !== undefined);
  if (feishu.length > 0 && feishu.length < feishuKeys.length) {
    throw new Error(
      `Invalid configuration:\n  Feishu (${parsed.data.FEISHU_CONNECTION}) needs all of ${feishuKeys.join(', ')}; missing ${feishuKeys.filter((k) => !feishu.includes(k)).join(', ')}`,
    );
  }
  const wecom = WECOM_KEYS.filter((k) => parsed.data[k] !== undefined);
  if (wecom.length > 0 && wecom.length < WECOM_KEYS.length) {
    throw new Error(`Invalid configuration:\n  WeCom needs all of ${WECOM_KEYS.join(', ')}; missing ${WECOM_KEYS.filter((k) => !wecom.includes(k)).join(', ')}`);
  }
  if ((parsed.data.WECOM_BOT_ID === undefined) !== (parsed.data.WECOM_BOT_SECRET === undefined)) {
    throw new Error('Invalid configuration:\n  the WeCom smart bot needs both WECOM_BOT_ID and WECOM_BOT_SECRET');
  }
  if ((parsed.data.DINGTALK_CLIENT_ID === undefined) !== (parsed.data.DINGTALK_CLIENT_SECRET === undefined)) {
    throw new Error('Invalid configuration:\n  DingTalk needs both DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET');
  }
  return { ...parsed.data, DATA_DIR: path.resolve(parsed.data.DATA_DIR) };
}
