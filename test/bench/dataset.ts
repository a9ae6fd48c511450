import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { connectDatabase } from '../../db/client.ts';
import { MIGRATIONS_FOLDER, migrateDatabase } from '../../db/migrate.ts';
import { BENCH_COMPANY, DATASET_VERSION, type BenchConfig } from './config.ts';
import { log } from './log.ts';
import { adminClient, type BenchServer } from './server.ts';

/**
 * The bench database: BENCH company, `warehouses` warehouses (each with its
 * DEFAULT storage and TRANSIT location, as createWarehouse makes them), `items`
 * items (each with its item_valuations row, as createItem makes it) and an
 * opening history: `rounds` documents per warehouse (receipt, receipt, issue,
 * receipt, issue), each with one ledger row per item. Balances and valuations
 * are exactly the sums of those ledger rows, so checkLedger passes.
 *
 * Generated once per scale and kept (the embedded cluster lives under
 * data/bench-pg/; on an external server the database stays). A database
 * comment marks a completed dataset built on the current migrations (hashed);
 * anything else is dropped and rebuilt.
 */
export interface Dataset {
  database: string;
  url: string;
  companyId: number;
  generated: boolean;
  generation_s: number | null;
}

/** Ledger rows per generated opening document. */
const LINES_PER_DOC = 100;

/** Released (historical) reservations per item. */
const RESERVATION_HISTORY_PER_ITEM = 2;

const ROUND_TYPES = ['receipt', 'receipt', 'issue', 'receipt', 'issue'] as const;

/** Hash of every migration file: a cached dataset built on other migrations is rebuilt, not patched. */
function migrationsHash(dir = MIGRATIONS_FOLDER): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const file = path.join(d, name);
      if (statSync(file).isDirectory()) walk(file);
      else h.update(`${path.relative(dir, file)}\0`).update(readFileSync(file));
    }
  };
  walk(dir);
  return h.digest('hex').slice(0, 12);
}

const marker = (cfg: BenchConfig): string =>
  `stockpilot-bench v${DATASET_VERSION} scale=${cfg.scale} items=${cfg.items} warehouses=${cfg.warehouses} rounds=${cfg.rounds} ` +
  `migrations=${migrationsHash()} complete`;

/** Opening quantity of item `i` (SQL expression) in warehouse `w`, round `r` (1-based): receipts 100..300, issues −1..−60. */
function qtyExpr(i: string, w: number, r: number): string {
  const h = `((${i}::bigint * 7919 + ${w * 104729 + r * 1299709}) % 1000)`;
  return (ROUND_TYPES[(r - 1) % ROUND_TYPES.length] ?? 'receipt') === 'issue' ? `(-(1 + ${h} % 60))` : `(100 + ${h} % 201)`;
}

const roundType = (r: number): string => ROUND_TYPES[(r - 1) % ROUND_TYPES.length] ?? 'receipt';

export async function ensureDataset(server: BenchServer, cfg: BenchConfig, opts: { fresh: boolean }): Promise<Dataset> {
  const database = `stockpilot_bench_${cfg.scale}_v${DATASET_VERSION}`;
  const url = server.urlFor(database);
  const admin = adminClient(server.adminUrl);
  let generated = false;
  let generationS: number | null = null;
  try {
    const [existing] = await admin<{ comment: string | null }[]>`
      select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${database}`;
    const complete = existing !== undefined && existing.comment === marker(cfg);
    if (!complete || opts.fresh) {
      if (existing) log(`dropping ${opts.fresh ? 'the cached' : 'an incomplete or outdated (other migrations)'} dataset database ${database}`);
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`create database ${database}`);
      const t0 = performance.now();
      await generate(server, url, cfg);
      generationS = Math.round((performance.now() - t0) / 100) / 10;
      await admin.unsafe(`comment on database ${database} is '${marker(cfg)}'`);
      generated = true;
      log(`dataset generated in ${generationS}s`);
    } else {
      log(`using the cached dataset in database ${database} (pass --fresh to rebuild)`);
    }
  } finally {
    await admin.end();
  }
  const db = connectDatabase(url, { max: 1 });
  try {
    await migrateDatabase(db);
    const [company] = await db.sql<{ id: number }[]>`select id from companies where code = ${BENCH_COMPANY}`;
    if (!company) throw new Error(`dataset ${database} has no ${BENCH_COMPANY} company`);
    return { database, url, companyId: company.id, generated, generation_s: generationS };
  } finally {
    await db.close();
  }
}

/** Runs tasks with at most `workers` at a time (one connection each). */
async function parallel(tasks: (() => Promise<void>)[], workers: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, tasks.length) }, async () => {
      while (next < tasks.length) {
        const task = tasks[next++];
        if (task) await task();
      }
    }),
  );
}

interface Detached {
  table: string;
  /** CREATE [UNIQUE] INDEX statements (independent of each other). */
  indexes: string[];
  /** ALTER TABLE … ADD CONSTRAINT … USING INDEX (after the indexes exist). */
  attach: string[];
  /** ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY (validated against the loaded rows). */
  foreignKeys: string[];
}

/**
 * Drops a table's secondary indexes, unique constraints and foreign keys (and
 * its primary key unless `keepPrimaryKey`) and returns the exact statements that
 * recreate them (from pg_get_indexdef / pg_get_constraintdef), so a bulk load
 * neither maintains the indexes row by row nor fires a foreign-key check per row.
 */
async function detach(sql: postgres.Sql, table: string, keepPrimaryKey: boolean): Promise<Detached> {
  const constraints = await sql<{ conname: string; contype: string; def: string; indexdef: string | null }[]>`
    select c.conname, c.contype::text as contype, pg_get_constraintdef(c.oid) as def,
           case when c.contype in ('p', 'u') then pg_get_indexdef(c.conindid) end as indexdef
    from pg_constraint c
    where c.conrelid = ${table}::regclass and c.contype in ('p', 'u', 'f')
    order by c.conname`;
  const plain = await sql<{ name: string; def: string }[]>`
    select ci.relname as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class ci on ci.oid = i.indexrelid
    where i.indrelid = ${table}::regclass
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u'))
    order by ci.relname`;
  const out: Detached = { table, indexes: [], attach: [], foreignKeys: [] };
  for (const c of constraints.filter((c) => c.contype === 'f')) {
    await sql.unsafe(`alter table ${table} drop constraint ${c.conname}`);
    out.foreignKeys.push(`alter table ${table} add constraint ${c.conname} ${c.def}`);
  }
  for (const c of constraints.filter((c) => c.contype === 'p' || c.contype === 'u')) {
    if (c.contype === 'p' && keepPrimaryKey) continue;
    if (!c.indexdef) throw new Error(`no index behind ${c.conname}`);
    await sql.unsafe(`alter table ${table} drop constraint ${c.conname}`);
    out.indexes.push(c.indexdef);
    out.attach.push(`alter table ${table} add constraint ${c.conname} ${c.contype === 'p' ? 'primary key' : 'unique'} using index ${c.conname}`);
  }
  for (const i of plain) {
    await sql.unsafe(`drop index ${i.name}`);
    out.indexes.push(i.def);
  }
  return out;
}

async function step(label: string, fn: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  await fn();
  log(`  ${label}: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}

async function generate(server: BenchServer, url: string, cfg: BenchConfig): Promise<void> {
  const { items: N, warehouses: W, rounds: R } = cfg;
  const blocks = Math.ceil(N / LINES_PER_DOC);
  // Documents and their ledger rows carry the same posting time: a fixed instant, R + 5 − r days back.
  const t0 = `'${new Date().toISOString()}'::timestamptz`;
  log(`generating the ${cfg.scale} dataset: ${N} items × ${W} warehouses = ${N * W} balance rows, ${N * W * R} ledger rows`);
  {
    const db = connectDatabase(url, { max: 1 });
    await migrateDatabase(db);
    await db.close();
  }
  const sql = postgres(url, {
    max: 2,
    onnotice: () => {},
    connection: {
      application_name: 'stockpilot-bench-load',
      statement_timeout: 0,
      maintenance_work_mem: '1GB',
      work_mem: '256MB',
      max_parallel_maintenance_workers: 0,
      TimeZone: 'UTC',
    },
  });
  // Fewer checkpoints while loading (embedded cluster only; an external server's settings are not ours to touch).
  const tuneWal = server.kind === 'embedded';
  try {
    if (tuneWal) {
      await sql.unsafe(`alter system set max_wal_size = '16GB'`);
      await sql.unsafe(`alter system set checkpoint_timeout = '30min'`);
      await sql.unsafe('select pg_reload_conf()');
    }

    await step('master data', async () => {
      await sql.begin(async (tx) => {
        await tx.unsafe(`insert into companies (id, code, name, timezone) values (1, '${BENCH_COMPANY}', 'Bench 基准有限公司', 'Asia/Shanghai')`);
        await tx.unsafe(`
          insert into warehouses (id, company_id, code, name, aliases)
          select g, 1, 'W' || lpad(g::text, 2, '0'), '仓库' || g, array['仓' || g]
          from generate_series(1, ${W}) g`);
        // As createWarehouse: a DEFAULT storage location (is_default) and a TRANSIT location per warehouse.
        await tx.unsafe(`
          insert into locations (id, company_id, warehouse_id, code, name, kind, is_default)
          select 2 * g - 1 + k, 1, g, case k when 0 then 'DEFAULT' else 'TRANSIT' end, case k when 0 then '默认库位' else '在途' end,
                 case k when 0 then 'storage' else 'transit' end, k = 0
          from generate_series(1, ${W}) g, generate_series(0, 1) k
          order by g, k`);
        await tx.unsafe(`
          insert into items (id, company_id, code, name, name_initials, spec, unit, unit_precision, barcode, category, unit_cost, safety_stock)
          select g, 1, 'SKU' || lpad(g::text, 6, '0'), '物料 ' || g, 'wl' || g, 'spec-' || (g % 50), '个', 0,
                 '69' || lpad(g::text, 11, '0'), 'cat-' || (g % 40), ((g * 37) % 500 + 1) / 20.0,
                 case when g % 10 = 0 then 50 else 0 end
          from generate_series(1, ${N}) g`);
        // One opening document per (round, warehouse, block of LINES_PER_DOC items), like a real history of documents.
        await tx.unsafe(`
          insert into stock_documents (id, company_id, doc_no, type, reason, status, warehouse_id, idempotency_key, request_hash,
                                       channel, posted_at, created_at)
          select ((r - 1) * ${W} + (w - 1)) * ${blocks} + k + 1, 1,
                 'OPEN-' || r || '-W' || lpad(w::text, 2, '0') || '-' || lpad(k::text, 5, '0'),
                 (array[${ROUND_TYPES.map((t) => `'${t}'`).join(',')}])[(r - 1) % ${ROUND_TYPES.length} + 1], 'opening', 'posted', w,
                 'bench-opening-' || r || '-' || w || '-' || k, 'bench-opening', 'bench',
                 ${t0} - make_interval(days => ${R + 5} - r), ${t0} - make_interval(days => ${R + 5} - r)
          from generate_series(1, ${R}) r, generate_series(1, ${W}) w, generate_series(0, ${blocks - 1}) k
          order by 1`);
      });
    });

    const ledger = await detach(sql, 'stock_ledger', false);
    const balances = await detach(sql, 'stock_balances', true); // reservation_lines references its primary key

    const chunks: (() => Promise<void>)[] = [];
    for (let r = 1; r <= R; r++) {
      for (let w = 1; w <= W; w++) {
        const docBase = ((r - 1) * W + (w - 1)) * blocks;
        const base = ((r - 1) * W + (w - 1)) * N;
        chunks.push(async () => {
          await sql.unsafe(`
            insert into stock_ledger (id, company_id, document_id, seq, line_no, doc_type, item_id, warehouse_id, location_id, batch_id,
                                      qty_delta, unit_cost, value_delta, created_by, posted_at)
            select ${base} + i.id, 1, ${docBase} + (i.id - 1) / ${LINES_PER_DOC} + 1, (i.id - 1) % ${LINES_PER_DOC} + 1,
                   (i.id - 1) % ${LINES_PER_DOC} + 1, '${roundType(r)}', i.id, ${w}, ${2 * w - 1}, null,
                   q.q, i.unit_cost, q.q * i.unit_cost, null, ${t0} - make_interval(days => ${R + 5 - r})
            from items i
            cross join lateral (select ${qtyExpr('i.id', w, r)}::numeric as q) q
            where i.id <= ${N}
            order by i.id`);
        });
      }
    }
    await step(`stock_ledger: ${N * W * R} rows in ${chunks.length} chunks`, () => parallel(chunks, 2));

    const balanceChunks: (() => Promise<void>)[] = [];
    for (let w = 1; w <= W; w++) {
      const onHand = Array.from({ length: R }, (_, k) => qtyExpr('i.id', w, k + 1)).join(' + ');
      balanceChunks.push(async () => {
        await sql.unsafe(`
          insert into stock_balances (id, company_id, item_id, warehouse_id, location_id, batch_id, on_hand, reserved, allow_negative, updated_at)
          select ${(w - 1) * N} + i.id, 1, i.id, ${w}, ${2 * w - 1}, null, ${onHand}, 0, false, now()
          from items i where i.id <= ${N} order by i.id`);
      });
    }
    await step(`stock_balances: ${N * W} rows`, () => parallel(balanceChunks, 2));

    await step('item_valuations (sum of the ledger per item)', async () => {
      await sql.unsafe(`
        insert into item_valuations (item_id, company_id, qty, value, posted_unit_cost, updated_at)
        select i.id, 1, l.qty, l.value, i.unit_cost, now()
        from items i
        join (select item_id, sum(qty_delta) as qty, sum(value_delta) as value from stock_ledger group by item_id) l on l.item_id = i.id`);
    });

    // A history of released reservations, so reservations and reservation_lines are not empty tables
    // (whose statistics would steer the planner differently from a live system). Released lines hold nothing.
    await step(`reservations history: ${RESERVATION_HISTORY_PER_ITEM * N} released`, async () => {
      const H = RESERVATION_HISTORY_PER_ITEM * N;
      await sql.unsafe(`
        insert into reservations (id, company_id, order_ref, channel, status, idempotency_key, request_hash, created_at, updated_at)
        select g, 1, 'SO-H' || g, 'bench', 'released', 'bench-history-' || g, 'bench-history',
               now() - make_interval(days => 3, secs => g % 86400), now() - make_interval(days => 2, secs => g % 86400)
        from generate_series(1, ${H}) g`);
      await sql.unsafe(`
        insert into reservation_lines (id, company_id, reservation_id, line_no, item_id, warehouse_id, balance_id, qty)
        select g, 1, g, 1, (g - 1) % ${N} + 1, (g - 1) % ${W} + 1, ((g - 1) % ${W}) * ${N} + (g - 1) % ${N} + 1, 1 + g % 5
        from generate_series(1, ${H}) g`);
    });

    await step('sequences', async () => {
      for (const t of ['companies', 'warehouses', 'locations', 'items', 'stock_documents', 'stock_ledger', 'stock_balances', 'reservations', 'reservation_lines']) {
        await sql.unsafe(`select setval(pg_get_serial_sequence('${t}', 'id'), (select max(id) from ${t}))`);
      }
    });

    await step(`indexes (${[...ledger.indexes, ...balances.indexes].length})`, () =>
      parallel([...ledger.indexes, ...balances.indexes].map((s) => async () => void (await sql.unsafe(s))), 2),
    );
    await step('unique constraints', async () => {
      for (const s of [...ledger.attach, ...balances.attach]) await sql.unsafe(s);
    });
    // Foreign keys of one table lock each other out: one worker per table.
    await step(`foreign keys (${ledger.foreignKeys.length + balances.foreignKeys.length}, validated)`, () =>
      parallel(
        [ledger, balances].map((d) => async () => {
          for (const s of d.foreignKeys) await sql.unsafe(s);
        }),
        2,
      ),
    );
    await step('vacuum analyze', async () => {
      await parallel(
        ['stock_ledger', 'stock_balances'].map((t) => async () => void (await sql.unsafe(`vacuum (analyze) ${t}`))),
        2,
      );
      await sql.unsafe('vacuum (analyze)');
    });
    if (tuneWal) await step('checkpoint', () => sql.unsafe('checkpoint'));
  } finally {
    if (tuneWal) {
      await sql.unsafe('alter system reset max_wal_size');
      await sql.unsafe('alter system reset checkpoint_timeout');
      await sql.unsafe('select pg_reload_conf()');
    }
    await sql.end({ timeout: 5 });
  }
}
