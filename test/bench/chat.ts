import { createChat } from '../../app/chat.ts';
import type { Database } from '../../db/client.ts';
import type { WorkflowGateway } from '../../workflows/gateway.ts';
import { ReservationService } from '../../inventory/reservations/reserve.ts';
import type { BenchConfig } from './config.ts';
import { itemCode, warehouseCode } from './config.ts';
import { log } from './log.ts';
import { round, Samples, summarize, type LatencySummary } from './stats.ts';
import { randInt, rng } from './zipf.ts';

export interface ChatBenchResult {
  chat_reply_p50_ms: number;
  chat_reply_p99_ms: number;
  chat_replies_per_s: number;
  details: {
    sequential: LatencySummary;
    concurrent: LatencySummary & { askers: number; seconds: number; node_cpu_ms_per_reply: number };
    phrasings: Record<string, LatencySummary>;
    /** The most-moved item (when the ledger suite has posted before): its days of supply sum every issue row of the last 30 days. */
    most_moved_item: (LatencySummary & { item: string; ledger_rows: number }) | null;
  };
}

/** Stock questions only: the bench never reaches the workflow side. */
const NO_WORKFLOWS: WorkflowGateway = new Proxy({} as WorkflowGateway, {
  get: () => () => Promise.reject(new Error('the chat bench asks stock questions only')),
});

/**
 * The ways people ask, over the generated catalogue (items `物料 N`, code
 * SKU…, barcode 69…, warehouses 仓库N / W0N): codes, barcodes, pinyin
 * initials, warehouse-scoped and English questions.
 */
const PHRASINGS: Record<string, (n: number, w: number) => string> = {
  code_zh: (n) => `${itemCode(n)}还有多少`,
  code_polite: (n) => `查一下${itemCode(n)}的库存`,
  code_in_warehouse: (n, w) => `${itemCode(n)} ${warehouseCode(w)} 库存`,
  english: (n) => `stock of ${itemCode(n)}`,
  english_in_warehouse: (n, w) => `how many ${itemCode(n)} in ${warehouseCode(w)}`,
  barcode: (n) => `69${String(n).padStart(11, '0')}`,
  bare_code: (n) => itemCode(n),
  name: (n) => `物料 ${n}还有多少`,
  initials: (n) => `wl${n}`,
};

/**
 * Chat replies through the core and the local console adapter, in process,
 * against the benchmark dataset: sequential latency, then `askers`
 * concurrent askers for throughput.
 */
export async function runChatBench(db: Database, companyId: number, cfg: BenchConfig): Promise<ChatBenchResult> {
  // A person to ask as: sees every warehouse, no cost role.
  await db.sql`
    insert into employees (company_id, code, name, roles)
    values (${companyId}, 'ASKER', '提问人', '{warehouse_keeper}')
    on conflict (company_id, code) do nothing`;
  const chat = createChat({ db, gateway: NO_WORKFLOWS, reservations: new ReservationService(db), publicUrl: 'http://bench', consoleCompanyId: companyId });
  const routes = chat.console?.routes;
  if (!routes) throw new Error('console not mounted');

  let seq = 0;
  const ask = async (text: string): Promise<number> => {
    const t = performance.now();
    const res = await routes.request('/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatId: 'dm:ASKER', userId: 'ASKER', text, eventId: `bench-${Date.now()}-${++seq}` }),
    });
    const body = (await res.json()) as { messages?: { card?: { title: string } }[] };
    const ms = performance.now() - t;
    if (res.status !== 200 || !body.messages?.[0]?.card) throw new Error(`chat reply to "${text}" failed: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return ms;
  };
  await routes.request('/api/chats');

  const kinds = Object.keys(PHRASINGS);
  const question = (r: () => number) => {
    const kind = kinds[randInt(r, 0, kinds.length - 1)] ?? 'code_zh';
    return { kind, text: (PHRASINGS[kind] ?? PHRASINGS.code_zh!)(randInt(r, 1, cfg.items), randInt(r, 1, cfg.warehouses)) };
  };

  const r = rng(31);
  for (let i = 0; i < cfg.chat.warmup; i++) await ask(question(r).text);

  log(`chat: ${cfg.chat.calls} questions one after the other`);
  const byKind: Record<string, Samples> = {};
  const all = new Samples();
  for (let i = 0; i < cfg.chat.calls; i++) {
    const q = question(r);
    const ms = await ask(q.text);
    all.push(ms);
    (byKind[q.kind] ??= new Samples()).push(ms);
  }
  const sequential = summarize(all.values());

  // The questions above are uniform over the catalogue; people ask most about what moves most.
  const [moved] = await db.sql<{ code: string; n: number }[]>`
    select i.code, count(*)::int as n from stock_ledger l join items i on i.id = l.item_id
    where l.id > (select max(id) - 200000 from stock_ledger) and l.doc_type = 'issue'
    group by i.code order by n desc limit 1`;
  let mostMoved: ChatBenchResult['details']['most_moved_item'] = null;
  if (moved) {
    const [{ rows } = { rows: 0 }] = await db.sql<{ rows: number }[]>`
      select count(*)::int as rows from stock_ledger where item_id = (select id from items where company_id = ${companyId} and code = ${moved.code})`;
    const hot = new Samples();
    for (let i = 0; i < 50; i++) hot.push(await ask(`${moved.code}还有多少`));
    mostMoved = { ...summarize(hot.values()), item: moved.code, ledger_rows: rows };
    log(`chat: the most-moved item ${moved.code} (${rows} ledger rows): p50 ${mostMoved.p50_ms} / p99 ${mostMoved.p99_ms} ms`);
  }

  log(`chat: ${cfg.chat.askers} askers at once for ${cfg.chat.seconds}s`);
  const concurrent = new Samples();
  const until = performance.now() + cfg.chat.seconds * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: cfg.chat.askers }, async (_, a) => {
      const ra = rng(100 + a);
      while (performance.now() < until) concurrent.push(await ask(question(ra).text));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const loaded = summarize(concurrent.values());
  /** This process's CPU per reply: the core, the adapter and the database driver; the rest of the machine is PostgreSQL. */
  const nodeCpuMsPerReply = round((cpu.user + cpu.system) / 1000 / Math.max(loaded.count, 1), 3);
  log(`chat: sequential p50 ${sequential.p50_ms} / p99 ${sequential.p99_ms} ms; ${round(loaded.count / seconds, 0)} replies/s with ${cfg.chat.askers} askers (${nodeCpuMsPerReply} ms of Node CPU each)`);
  return {
    chat_reply_p50_ms: sequential.p50_ms,
    chat_reply_p99_ms: sequential.p99_ms,
    chat_replies_per_s: round(loaded.count / seconds, 1),
    details: {
      sequential,
      concurrent: { ...loaded, askers: cfg.chat.askers, seconds: round(seconds, 1), node_cpu_ms_per_reply: nodeCpuMsPerReply },
      phrasings: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, summarize(v.values())])),
      most_moved_item: mostMoved,
    },
  };
}
