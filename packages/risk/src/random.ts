/**
 * A small seeded pseudo-random generator (sfc32 seeded through splitmix32), so that fold
 * assignment and synthetic data are reproducible by seed on every platform.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(mean?: number, sd?: number): number;
  /** Gamma(shape, scale) draw (Marsaglia-Tsang). */
  gamma(shape: number, scale?: number): number;
  /** Beta(a, b) draw. */
  beta(a: number, b: number): number;
  /** Poisson(lambda) draw. */
  poisson(lambda: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a generator whose whole sequence is fixed by `seed` (any 32-bit integer). */
export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint();
  let spareNormal: number | undefined;

  const random: Random = {
    next: () => nextUint() / 4294967296,
    int: (min, max) => min + Math.floor(random.next() * (max - min + 1)),
    normal: (mean = 0, sd = 1) => {
      if (spareNormal !== undefined) {
        const z = spareNormal;
        spareNormal = undefined;
        return mean + sd * z;
      }
      let u = 0;
      while (u === 0) u = random.next();
      const v = random.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    gamma: (shape, scale = 1) => {
      if (shape < 1) {
        const u = random.next() || Number.MIN_VALUE;
        return random.gamma(shape + 1, scale) * u ** (1 / shape);
      }
      const d3 = shape - 1 / 3;
      const c3 = 1 / Math.sqrt(9 * d3);
      for (;;) {
        const x = random.normal();
        const v = (1 + c3 * x) ** 3;
        if (v <= 0) continue;
        const u = random.next();
        if (Math.log(u || Number.MIN_VALUE) < 0.5 * x * x + d3 - d3 * v + d3 * Math.log(v))
          return d3 * v * scale;
      }
    },
    beta: (a, b) => {
      const x = random.gamma(a);
      const y = random.gamma(b);
      return x / (x + y);
    },
    poisson: (lambda) => {
      if (lambda <= 0) return 0;
      if (lambda > 30) return Math.max(0, Math.round(random.normal(lambda, Math.sqrt(lambda))));
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = 1;
      do {
        k++;
        p *= random.next();
      } while (p > limit);
      return k - 1;
    },
    bernoulli: (p) => random.next() < p,
  };
  return random;
}
