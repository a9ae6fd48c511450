/** mulberry32: a small, fast, seedable PRNG (the bench must be repeatable, Math.random is not). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randInt = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/**
 * Zipf(s) over 1..n: rank k is drawn with probability ∝ 1/k^s. Ranks are
 * mapped through a fixed random permutation, so the popular items are spread
 * over the table (not all at its start), and are the same items every run.
 */
export class Zipf {
  private readonly cdf: Float64Array;
  private readonly perm: Int32Array;

  constructor(
    readonly n: number,
    readonly s = 1.0,
    permutationSeed = 42,
  ) {
    this.cdf = new Float64Array(n);
    let sum = 0;
    for (let k = 1; k <= n; k++) {
      sum += 1 / k ** s;
      this.cdf[k - 1] = sum;
    }
    for (let i = 0; i < n; i++) this.cdf[i] = (this.cdf[i] ?? 0) / sum;
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) this.perm[i] = i + 1;
    const r = rng(permutationSeed);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      const t = this.perm[i] ?? 0;
      this.perm[i] = this.perm[j] ?? 0;
      this.perm[j] = t;
    }
  }

  /** Probability of the most popular item. */
  get topShare(): number {
    return this.cdf[0] ?? 0;
  }

  /** A 1-based item number. */
  sample(r: () => number): number {
    const u = r();
    let lo = 0;
    let hi = this.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cdf[mid] ?? 1) < u) lo = mid + 1;
      else hi = mid;
    }
    return this.perm[lo] ?? 1;
  }
}
