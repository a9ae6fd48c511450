import { serve, type ServerType } from '@hono/node-server';
import { Worker } from '@temporalio/worker';
import type { AddressInfo } from 'node:net';
import { createChat, ForwardingNotifier, type Chat } from '../../app/chat.ts';
import { createApp } from '../../app/http/app.ts';
import { WarehouseDirectory } from '../../bot/core/lexicon.ts';
import { buildMiniapp } from '../../miniapp/build.ts';
import { miniappServer } from '../../miniapp/server.ts';
import type { ConsoleMessage } from '../../bot/console/store.ts';
import type { Database } from '../../db/client.ts';
import type { Wechaty } from 'wechaty';
import type { RequestDeps } from '../../inventory/requests/submit.ts';
import { postMovement } from '../../inventory/post-movement.ts';
import { createActivities } from '../../workflows/activities.ts';
import { FAKE_DINGTALK } from './fake-dingtalk.ts';
import { FAKE_APP } from './fake-feishu.ts';
import { FAKE_WECOM } from './fake-wecom.ts';
import { APPROVAL_WORKFLOWS, approvalCompany, requestDeps } from './approvals.ts';
import { idem, item } from './fixtures.ts';
import { bundleOnce, temporalClient, uniqueTaskQueue } from './temporal.ts';

export interface ChatApp {
  base: string;
  co: Awaited<ReturnType<typeof approvalCompany>>;
  chat: Chat;
  deps: RequestDeps;
  close(): Promise<void>;
}

/**
 * The product as `npm start` wires it, on loopback: HTTP app with the local
 * console, conversation core, approval cards, a real Temporal worker. The
 * company has people (DIR, WM, KEEP, FIN, SALES; KEEP sees only 上海仓), a few
 * items with stock, and an outbound policy decided by the warehouse manager.
 */
export async function startChatApp(
  db: Database,
  opts: {
    feishuDomain?: string;
    dingtalk?: { apiBase: string; gatewayUrl: string; mode?: 'stream' | 'http' };
    wecomApiBase?: string;
    /** The WeCom smart bot against a loopback gateway (people bound by wx_<code>). */
    wecomSmartBot?: { botId: string; secret: string; wsUrl: string };
    /** A Wechaty on a mock puppet, and the contact id of each employee code. */
    wechaty?: { bot: Wechaty; contacts: Record<string, string> };
  } = {},
): Promise<ChatApp> {
  const co = await approvalCompany(db);
  await db.sql`update employees set warehouse_scope = array[(select id from warehouses where company_id = ${co.admin.companyId} and code = 'SH')]
                where company_id = ${co.admin.companyId} and code = 'KEEP'`;
  await db.sql`update employees set department = '仓储部' where company_id = ${co.admin.companyId} and code in ('WM', 'KEEP')`;
  await item(db, co.admin, { code: 'A-1001', name: '螺丝M6', spec: 'M6×20 不锈钢', unit: '个', unitCost: '0.12', safetyStock: '100', barcode: '6901234567001' });
  await item(db, co.admin, { code: 'A-1002', name: '螺丝M8', spec: 'M8×30', unit: '个', unitCost: '0.2' });
  await item(db, co.admin, { code: 'B-2001', name: '六角螺栓', spec: 'M10', unit: '个', unitCost: '0.8' });
  await postMovement(db, co.admin, { type: 'receipt', warehouse: 'SH', lines: [{ item: 'A-1001', qty: 500 }, { item: 'A-1002', qty: 80 }, { item: 'B-2001', qty: 40 }], idempotencyKey: idem() });
  await postMovement(db, co.admin, { type: 'receipt', warehouse: 'SZ', lines: [{ item: 'A-1001', qty: 120 }], idempotencyKey: idem() });
  await co.policy({ requestType: 'outbound', name: '出库审批', steps: [{ name: '仓库主管', mode: 'any', approvers: [{ kind: 'employee', employee: 'WM' }] }] });

  const shared = await temporalClient();
  const taskQueue = uniqueTaskQueue('chat');
  const notifier = new ForwardingNotifier();
  const worker = await Worker.create({
    connection: shared.nativeConnection,
    taskQueue,
    stickyQueueScheduleToStartTimeout: '1s',
    workflowBundle: await bundleOnce(APPROVAL_WORKFLOWS),
    activities: createActivities({ db, notifier }),
  });
  const running = worker.run();
  const deps = requestDeps(db, shared.client, taskQueue);

  let base = 'http://127.0.0.1:0';
  // With a Feishu cloud, people are bound to open_ids (ou_keep, ou_wm …) and the console is off, as `npm start` does it.
  if (opts.feishuDomain) await db.sql`update employees set feishu_open_id = 'ou_' || lower(code) where company_id = ${co.admin.companyId}`;
  if (opts.dingtalk) await db.sql`update employees set dingtalk_user_id = 'staff' || lower(code) where company_id = ${co.admin.companyId}`;
  if (opts.wecomApiBase || opts.wecomSmartBot) await db.sql`update employees set wecom_user_id = 'wx_' || lower(code) where company_id = ${co.admin.companyId}`;
  for (const [code, contact] of Object.entries(opts.wechaty?.contacts ?? {})) {
    await db.sql`update employees set wechaty_id = ${contact} where company_id = ${co.admin.companyId} and code = ${code}`;
  }
  const platform = opts.feishuDomain !== undefined || opts.dingtalk !== undefined || opts.wecomApiBase !== undefined || opts.wecomSmartBot !== undefined || opts.wechaty !== undefined;
  const chat = createChat({
    ...deps,
    publicUrl: 'http://stockpilot.test',
    consoleCompanyId: platform ? null : co.admin.companyId,
    feishu: opts.feishuDomain ? { companyId: co.admin.companyId, ...FAKE_APP, connection: 'webhook', domain: opts.feishuDomain } : null,
    dingtalk: opts.dingtalk
      ? {
          companyId: co.admin.companyId,
          clientId: FAKE_DINGTALK.clientId,
          clientSecret: FAKE_DINGTALK.clientSecret,
          robotCode: FAKE_DINGTALK.clientId,
          cardTemplateId: FAKE_DINGTALK.cardTemplateId,
          apiBase: opts.dingtalk.apiBase,
          mode: opts.dingtalk.mode ?? 'stream',
          callbackRouteKey: 'stockpilot-cards',
          gatewayUrl: opts.dingtalk.gatewayUrl,
        }
      : null,
    wecom: opts.wecomApiBase ? { companyId: co.admin.companyId, ...FAKE_WECOM, apiBase: opts.wecomApiBase } : null,
    wecomSmartBot: opts.wecomSmartBot ? { companyId: co.admin.companyId, ...opts.wecomSmartBot } : null,
    wechaty: opts.wechaty ? { companyId: co.admin.companyId, bot: opts.wechaty.bot } : null,
    log: (m, err) => console.error(m, err),
  });
  notifier.connect(chat.cards);
  await chat.dingtalk?.start();
  await chat.wecomSmartBot?.start();
  // The mini-app as `npm start` serves it (built once by the global setup); its development sign-in only without a platform.
  const miniapp = miniappServer(
    {
      ...deps,
      warehouses: new WarehouseDirectory(db),
      sessionSecret: 'test-session-secret-0123456789abcdef',
      sessionTtlSeconds: 3600,
      devSignIn: platform ? null : { companyId: co.admin.companyId },
      sso: {},
    },
    await buildMiniapp(),
  );
  const app = createApp({ ...deps, version: 'test', mounts: { ...chat.mounts, '/app': miniapp } });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    co,
    chat,
    deps,
    close: async () => {
      // Cards still being drawn query their workflows: finish them while the worker still answers.
      await chat.feishu?.idle();
      await chat.wecom?.idle();
      await chat.dingtalkHttp?.idle();
      await chat.wechaty?.stop();
      await chat.dingtalk?.stop();
      await chat.wecomSmartBot?.stop();
      await chat.cards.idle();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker.shutdown();
      await running;
    },
  };
}

/** Calls the console API as the tests and the page do. */
export function consoleClient(base: string) {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}/console/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  return {
    call,
    say: (chatId: string, userId: string, text: string, eventId?: string) =>
      call<{ messages: ConsoleMessageJson[] }>('POST', '/messages', { chatId, userId, text, ...(eventId ? { eventId } : {}) }),
    tap: (messageId: number, userId: string, value: Record<string, string | number>, eventId?: string) =>
      call<{ messages: ConsoleMessageJson[] }>('POST', '/actions', { messageId, userId, value, ...(eventId ? { eventId } : {}) }),
    since: (chatId: string, after = 0) => call<{ messages: ConsoleMessageJson[]; cursor: number }>('GET', `/chats/${encodeURIComponent(chatId)}/messages?after=${after}`),
  };
}

/** A console message as the JSON API returns it. */
export type ConsoleMessageJson = ConsoleMessage;
