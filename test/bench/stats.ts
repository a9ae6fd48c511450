import { readFileSync } from 'node:fs';

export interface LatencySummary {
  count: number;
  mean_ms: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export const round = (value: number, digits = 3): number => {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean_ms: round(sorted.length ? sum / sorted.length : Number.NaN),
    p50_ms: round(percentile(sorted, 50)),
    p90_ms: round(percentile(sorted, 90)),
    p99_ms: round(percentile(sorted, 99)),
    max_ms: round(sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN),
  };
}

/** A growable list of float samples that does not box every number. */
export class Samples {
  private buf = new Float64Array(1024);
  private n = 0;
  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = v;
  }
  get length(): number {
    return this.n;
  }
  values(): Float64Array {
    return this.buf.subarray(0, this.n);
  }
}

/** Linux's clock tick for /proc times (USER_HZ), 100 on every build we run on. */
const USER_HZ = 100;

interface CpuTimes {
  busy: number;
  total: number;
}

function readProcStat(): CpuTimes | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3] ?? 0) + (f[4] ?? 0);
    const total = f.reduce((s, v) => s + v, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

export interface CpuUsage {
  /** Share of all cores busy (whole machine: PostgreSQL, Node, pgbench, everything). */
  machine_busy_pct: number | null;
  /** This Node process (all its threads), in % of ONE core. */
  node_pct_of_one_core: number;
}

/** Measures CPU use between start() and the returned stop(). */
export function cpuMeter(): () => CpuUsage {
  const t0 = performance.now();
  const node0 = process.cpuUsage();
  const m0 = readProcStat();
  return () => {
    const wallUs = (performance.now() - t0) * 1000;
    const node = process.cpuUsage(node0);
    const m1 = readProcStat();
    const machine = m0 && m1 && m1.total > m0.total ? (100 * (m1.busy - m0.busy)) / (m1.total - m0.total) : null;
    return {
      machine_busy_pct: machine === null ? null : round(machine, 1),
      node_pct_of_one_core: round((100 * (node.user + node.system)) / wallUs, 1),
    };
  };
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc cannot tell. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces: count fields after its closing parenthesis (utime, stime are fields 14, 15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return null;
  }
}

/** CPU time the whole machine (all cores, every process) has been busy so far, in ms; null where /proc cannot tell. */
export function machineBusyMs(): number | null {
  const times = readProcStat();
  return times && (times.busy * 1000) / USER_HZ;
}
