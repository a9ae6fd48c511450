/**
 * Mini-app bench: what a phone downloads and waits for before the home
 * screen is usable. The production build is served by the real server; a
 * signed-in employee opens /app/ in headless Chromium with a phone's screen
 * and 4× CPU throttling, a fresh browser context (cold cache) each time.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { chromium, devices } from 'playwright-core';
import { WarehouseDirectory } from '../../bot/core/lexicon.ts';
import { connectDatabase } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { systemActor } from '../../inventory/actor.ts';
import { createCompany } from '../../inventory/master/companies.ts';
import { createEmployee } from '../../inventory/master/employees.ts';
import { createWarehouse } from '../../inventory/master/warehouses.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import { buildMiniapp } from '../../miniapp/build.ts';
import { miniappServer } from '../../miniapp/server.ts';
import { NO_TEMPORAL } from '../support/miniapp.ts';
import { log } from './log.ts';
import { adminClient, withDatabase } from './server.ts';
import { round, summarize } from './stats.ts';

const DB_NAME = 'stockpilot_bench_miniapp';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = 7;

export interface MiniappBenchResult {
  first_screen_js_gzip_kb: number;
  home_interactive_ms: number;
  details: { runs: number; home_interactive_ms: ReturnType<typeof summarize>; js_files: { url: string; kb: number }[] };
}

export async function runMiniappBench(adminUrl: string): Promise<MiniappBenchResult> {
  const admin = adminClient(adminUrl);
  await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
  await admin.unsafe(`create database ${DB_NAME}`);
  await admin.end();
  const db = connectDatabase(withDatabase(adminUrl, DB_NAME), { max: 5 });
  let server: ServerType | undefined;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    await migrateDatabase(db);
    const companyId = await createCompany(db, { code: 'APP', name: '移动端测试公司' });
    const actor = systemActor(companyId, 'bench');
    await createWarehouse(db, actor, { code: 'SH', name: '上海仓' });
    await createEmployee(db, actor, { code: 'K1', name: '仓管员', roles: ['warehouse_keeper'], warehouses: ['SH'] });
    const dist = await buildMiniapp({ log });
    const app = miniappServer(
      {
        db,
        gateway: NO_TEMPORAL,
        reservations: new ReservationService(db),
        warehouses: new WarehouseDirectory(db),
        sessionSecret: 'bench-session-secret-0123456789abcdef',
        sessionTtlSeconds: 3600,
        devSignIn: { companyId },
        sso: {},
      },
      dist,
    );
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: new Hono().route('/app', app).fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const signIn = await fetch(`${base}/app/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'K1' }) });
    const { token } = (await signIn.json()) as { token: string };

    const { defaultBrowserType: _, ...phone } = devices['iPhone 13'];
    const timings: number[] = [];
    let jsFiles: { url: string; kb: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ ...phone, locale: 'zh-CN' });
      // Signed in already, as a returning user is; the moment the search box can take input is "usable".
      await context.addInitScript((t) => {
        localStorage.setItem('stockpilot.session', t);
        new MutationObserver((_m, observer) => {
          const input = document.querySelector('input[type="search"]');
          if (input && !(input as HTMLInputElement).disabled) {
            (window as unknown as { __usable: number }).__usable = performance.now();
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      }, token);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      const responses: Promise<{ url: string; bytes: number }>[] = [];
      page.on('response', (res) => {
        if (res.request().resourceType() === 'script') responses.push(res.request().sizes().then((s) => ({ url: res.url(), bytes: s.responseBodySize })));
      });
      await page.goto(`${base}/app/`);
      await page.waitForFunction(() => (window as unknown as { __usable?: number }).__usable !== undefined, undefined, { timeout: 30_000 });
      timings.push(await page.evaluate(() => (window as unknown as { __usable: number }).__usable));
      // Scripts fetched up to that moment: the lazy pages and libraries opened later are not part of the first screen.
      jsFiles = (await Promise.all(responses)).map((r) => ({ url: r.url.replace(base, ''), kb: round(r.bytes / 1024, 1) }));
      await context.close();
    }
    const summary = summarize(timings);
    const result = {
      first_screen_js_gzip_kb: round(jsFiles.reduce((s, f) => s + f.kb, 0), 1),
      home_interactive_ms: round(summary.p50_ms, 0),
      details: { runs: RUNS, home_interactive_ms: summary, js_files: jsFiles },
    };
    log(`miniapp: first screen ${result.first_screen_js_gzip_kb} KB of gzipped JS in ${jsFiles.length} files; usable after ${result.home_interactive_ms} ms (p50 of ${RUNS}, 4× CPU throttling)`);
    return result;
  } finally {
    await browser.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await db.close();
  }
}
