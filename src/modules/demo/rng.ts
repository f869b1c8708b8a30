/**
 * A small seeded pseudo-random generator for demo data. Math.random() cannot be seeded, and the demo
 * must produce byte-identical files on every run and machine so that checksums and tests stay stable.
 */
export type Rng = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** A float in [min, max) rounded to `decimals` places. */
  float(min: number, max: number, decimals?: number): number;
  pick<T>(items: readonly T[]): T;
  /** `count` distinct items, in a stable order. */
  sample<T>(items: readonly T[], count: number): T[];
  chance(probability: number): boolean;
};

/** mulberry32: 32-bit state, fast, good enough statistical quality for fake data (not for secrets). */
export function createRng(seed: number): Rng {
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
    float(min, max, decimals = 2) {
      const factor = 10 ** decimals;
      return Math.round((min + next() * (max - min)) * factor) / factor;
    },
    pick(items) {
      if (items.length === 0) throw new Error('pick() needs a non-empty array');
      return items[int(0, items.length - 1)];
    },
    sample(items, count) {
      const copy = [...items];
      // Partial Fisher–Yates: only the first `count` places are shuffled.
      const n = Math.min(count, copy.length);
      for (let i = 0; i < n; i++) {
        const j = int(i, copy.length - 1);
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, n);
    },
    chance(probability) {
      return next() < probability;
    },
  };
}

/** FNV-1a over the UTF-16 code units: a stable 32-bit seed from any text (e.g. "table:42"). */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function rngFor(text: string): Rng {
  return createRng(seedFromString(text));
}

/** Picks one item with probability proportional to `weight(item)`. */
export function weightedPick<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let threshold = rng.next() * total;
  for (const item of items) {
    threshold -= weight(item);
    if (threshold < 0) return item;
  }
  return items[items.length - 1];
}
