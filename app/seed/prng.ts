/**
 * A seeded pseudo-random generator (mulberry32). The demo must come out the
 * same on every machine and every run for the same `today`, so Math.random is
 * never used; every random choice in the seed draws from one of these.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(values: readonly T[]): T;
  /** `count` distinct values, chosen with probability proportional to `weight`. */
  sample<T>(values: readonly T[], count: number, weight?: (v: T) => number): T[];
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick<T>(values: readonly T[]): T {
      const v = values[int(0, values.length - 1)];
      if (v === undefined) throw new Error('pick from an empty list');
      return v;
    },
    sample<T>(values: readonly T[], count: number, weight: (v: T) => number = () => 1): T[] {
      const pool = [...values];
      const out: T[] = [];
      while (out.length < count && pool.length > 0) {
        const total = pool.reduce((s, v) => s + weight(v), 0);
        let r = next() * total;
        let i = 0;
        for (; i < pool.length - 1; i++) {
          r -= weight(pool[i] as T);
          if (r < 0) break;
        }
        out.push(...pool.splice(i, 1));
      }
      return out;
    },
  };
}

/** A stable 32-bit seed from a string (FNV-1a), so each part of the demo gets its own stream. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
