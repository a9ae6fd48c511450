export type Scale = 'quick' | 'medium' | 'full';

/** Bump when the generated dataset changes shape: cached datasets of another version are rebuilt. */
export const DATASET_VERSION = 3;

export interface BenchConfig {
  scale: Scale;
  /** Dataset: items × warehouses balance rows, `rounds` opening ledger rows per balance row. */
  items: number;
  warehouses: number;
  rounds: number;
  zipfS: number;
  pgbench: { scale: number; simpleSeconds: number; hotSeconds: number; clients: number };
  postings: { clients: number; poolMax: number; warmupSeconds: number; seconds: number; loadedSeconds: number };
  queries: { warmup: number; calls: number };
  reservations: { seconds: number; warmupSeconds: number; runOutMaxSeconds: number };
  /** Approvals: requests in flight at once, and the steady click rate of the paced round. */
  approvals: { inFlight: number; pacedClicksPerSecond: number };
  /** Chat: questions asked one after the other, then `askers` at once for `seconds`. */
  chat: { warmup: number; calls: number; askers: number; seconds: number };
}

export const CONFIGS: Record<Scale, BenchConfig> = {
  quick: {
    scale: 'quick',
    items: 5_000,
    warehouses: 5,
    rounds: 5,
    zipfS: 1.0,
    pgbench: { scale: 1, simpleSeconds: 8, hotSeconds: 6, clients: 32 },
    postings: { clients: 32, poolMax: 32, warmupSeconds: 2, seconds: 10, loadedSeconds: 8 },
    queries: { warmup: 200, calls: 1_500 },
    reservations: { seconds: 6, warmupSeconds: 1, runOutMaxSeconds: 20 },
    approvals: { inFlight: 30, pacedClicksPerSecond: 10 },
    chat: { warmup: 50, calls: 500, askers: 50, seconds: 5 },
  },
  /** About 1M ledger rows: the digest's second target is set here. */
  medium: {
    scale: 'medium',
    items: 40_000,
    warehouses: 5,
    rounds: 5,
    zipfS: 1.0,
    pgbench: { scale: 5, simpleSeconds: 15, hotSeconds: 10, clients: 32 },
    postings: { clients: 32, poolMax: 32, warmupSeconds: 3, seconds: 20, loadedSeconds: 15 },
    queries: { warmup: 300, calls: 2_000 },
    reservations: { seconds: 10, warmupSeconds: 1, runOutMaxSeconds: 30 },
    approvals: { inFlight: 50, pacedClicksPerSecond: 20 },
    chat: { warmup: 100, calls: 1_000, askers: 50, seconds: 8 },
  },
  full: {
    scale: 'full',
    items: 100_000,
    warehouses: 20,
    rounds: 5,
    zipfS: 1.0,
    pgbench: { scale: 10, simpleSeconds: 30, hotSeconds: 20, clients: 32 },
    postings: { clients: 32, poolMax: 32, warmupSeconds: 5, seconds: 60, loadedSeconds: 40 },
    queries: { warmup: 500, calls: 5_000 },
    reservations: { seconds: 30, warmupSeconds: 2, runOutMaxSeconds: 60 },
    approvals: { inFlight: 100, pacedClicksPerSecond: 20 },
    chat: { warmup: 200, calls: 2_000, askers: 50, seconds: 15 },
  },
};

/** Item number (1-based) → item code of the generated dataset. */
export const itemCode = (n: number): string => `SKU${String(n).padStart(6, '0')}`;
/** Warehouse number (1-based) → warehouse code. */
export const warehouseCode = (n: number): string => `W${String(n).padStart(2, '0')}`;

export const BENCH_COMPANY = 'BENCH';
