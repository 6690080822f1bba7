/**
 * Seeded pseudo-random numbers for reproducible statistics: the same seed gives the same
 * sequence on every platform, so a permutation p-value can be recomputed exactly.
 */

/** A seed: an integer (its low 32 bits are used) or any string. */
export type Seed = number | string;

const TWO_POW_32 = 4294967296;
/** Above this bound, a 32-bit draw times the bound no longer fits a double exactly. */
const MAX_EXACT_BOUND = 2 ** 21;

/** Hashes a string to 32 bits (FNV-1a over UTF-16 code units, then an avalanche step). */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash >>> 0;
}

/** Advances SplitMix32 one step; used only to spread a 32-bit seed over the generator's state. */
function splitMix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let z = state.value;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Small fast counter generator (SFC32, by Chris Doty-Humphrey): 128 bits of state, passes
 * PractRand to large sizes, and needs only 32-bit integer operations, which JavaScript
 * engines run fast.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private counter: number;

  constructor(seed: Seed) {
    const base = typeof seed === "string" ? hashString(seed) : hashString(String(seed >>> 0));
    const mixer = { value: base };
    this.a = splitMix32(mixer);
    this.b = splitMix32(mixer);
    this.c = splitMix32(mixer);
    this.counter = 1;
    // The first outputs of SFC32 still echo the seed; discarding a few is customary.
    for (let index = 0; index < 12; index += 1) this.nextUint32();
  }

  /** Returns a uniform integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.counter) | 0;
    this.counter = (this.counter + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Returns a uniform float in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }

  /**
   * Returns a uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-shift
   * with rejection for bounds up to 2^21, rejection sampling above).
   */
  nextBelow(bound: number): number {
    if (!(Number.isInteger(bound) && bound > 0 && bound <= TWO_POW_32)) {
      throw new RangeError(`nextBelow needs an integer bound in [1, 2^32]; got ${bound}.`);
    }
    if (bound <= MAX_EXACT_BOUND) {
      let product = this.nextUint32() * bound;
      let low = product % TWO_POW_32;
      if (low < bound) {
        const threshold = (TWO_POW_32 - bound) % bound;
        while (low < threshold) {
          product = this.nextUint32() * bound;
          low = product % TWO_POW_32;
        }
      }
      return Math.floor(product / TWO_POW_32);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return draw % bound;
  }
}

/**
 * Shuffles `values` in place (Fisher–Yates). Only the first `count` positions are drawn:
 * they end up holding a uniformly random `count`-subset of the values in random order,
 * whatever order the array had before, so repeated calls need no reset.
 */
export function shufflePrefixInPlace<T>(
  values: { length: number; [index: number]: T },
  count: number,
  random: SeededRandom,
): void {
  const length = values.length;
  const end = Math.min(count, length - 1);
  for (let index = 0; index < end; index += 1) {
    const pick = index + random.nextBelow(length - index);
    const swapped = values[index]!;
    values[index] = values[pick]!;
    values[pick] = swapped;
  }
}
