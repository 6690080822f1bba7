import { describe, expect, it } from "vitest";
import { benjaminiHochberg } from "../../src/domain/statistics/benjamini-hochberg.ts";
import { normalQuantile, normalUpperTail } from "../../src/domain/statistics/normal.ts";
import {
  countExtremePermutations,
  divergenceFromCounts,
  type PermutationDesign,
  permutationPValue,
} from "../../src/domain/statistics/permutation.ts";
import { SeededRandom, shufflePrefixInPlace } from "../../src/domain/statistics/random.ts";

describe("SeededRandom", () => {
  it("repeats a sequence per seed", () => {
    const first = new SeededRandom(42);
    const second = new SeededRandom(42);
    const other = new SeededRandom("42-other");
    const a = Array.from({ length: 5 }, () => first.nextUint32());
    const b = Array.from({ length: 5 }, () => second.nextUint32());
    const c = Array.from({ length: 5 }, () => other.nextUint32());
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("draws bounded integers uniformly", () => {
    const random = new SeededRandom("uniform");
    const buckets = new Array<number>(10).fill(0);
    const draws = 100_000;
    for (let index = 0; index < draws; index += 1) buckets[random.nextBelow(10)]! += 1;
    // Chi-square with 9 degrees of freedom: the 99.9th percentile is 27.9.
    const expected = draws / 10;
    const chiSquare = buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(27.9);
  });

  it("handles bounds above 2^21", () => {
    const random = new SeededRandom(3);
    const bound = 3_000_000_000;
    for (let index = 0; index < 1000; index += 1) {
      const value = random.nextBelow(bound);
      expect(Number.isInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(bound);
    }
  });

  it("rejects invalid bounds", () => {
    const random = new SeededRandom(1);
    expect(() => random.nextBelow(0)).toThrow(/bound/);
    expect(() => random.nextBelow(2.5)).toThrow(/bound/);
  });
});

describe("shufflePrefixInPlace", () => {
  it("keeps the multiset of values", () => {
    const values = Int32Array.from({ length: 50 }, (_, index) => index);
    shufflePrefixInPlace(values, 50, new SeededRandom(9));
    expect([...values].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, index) => index),
    );
  });

  it("draws prefixes uniformly", () => {
    // Each of 6 values should land in a prefix of 2 with probability 1/3.
    const values = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const hits = new Array<number>(6).fill(0);
    const random = new SeededRandom("prefix");
    const rounds = 60_000;
    for (let round = 0; round < rounds; round += 1) {
      shufflePrefixInPlace(values, 2, random);
      hits[values[0]!]! += 1;
      hits[values[1]!]! += 1;
    }
    for (const count of hits) expect(Math.abs(count / rounds - 1 / 3)).toBeLessThan(0.01);
  });
});

describe("benjaminiHochberg", () => {
  it("matches hand-computed q-values", () => {
    // Sorted: 0.005, 0.01, 0.03, 0.04 → m·p/rank: 0.02, 0.02, 0.04, 0.04.
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    expect(q[0]).toBeCloseTo(0.02, 12);
    expect(q[1]).toBeCloseTo(0.04, 12);
    expect(q[2]).toBeCloseTo(0.04, 12);
    expect(q[3]).toBeCloseTo(0.02, 12);
  });

  it("takes the running minimum", () => {
    // m·p/rank: 0.03·3/1 = 0.09, 0.031·3/2 = 0.0465, 0.032·3/3 = 0.032 → all 0.032.
    expect(benjaminiHochberg([0.03, 0.031, 0.032])).toEqual([0.032, 0.032, 0.032]);
  });

  it("caps at one and accepts no tests", () => {
    expect(benjaminiHochberg([0.9, 0.8])).toEqual([0.9, 0.9]);
    expect(benjaminiHochberg([1, 1])).toEqual([1, 1]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it("rejects p-values outside [0, 1]", () => {
    expect(() => benjaminiHochberg([0.5, 1.2])).toThrow(/1.2/);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(/NaN/);
  });
});

describe("normalQuantile", () => {
  it("matches tabulated quantiles", () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });

  it("rejects probabilities at the ends", () => {
    expect(() => normalQuantile(0)).toThrow(/strictly between/);
    expect(() => normalQuantile(1)).toThrow(/strictly between/);
  });
});

describe("normalUpperTail", () => {
  /** Relative error of a computed tail probability against a tabulated one. */
  const relativeError = (x: number, expected: number) =>
    Math.abs(normalUpperTail(x) - expected) / expected;

  it("matches tabulated tails", () => {
    expect(normalUpperTail(0)).toBe(0.5);
    expect(relativeError(1.959963984540054, 0.025)).toBeLessThan(1e-12);
    expect(relativeError(3, 1.3498980316300946e-3)).toBeLessThan(1e-12);
    expect(relativeError(-1, 0.8413447460685429)).toBeLessThan(1e-12);
  });

  it("keeps precision far out", () => {
    expect(relativeError(5, 2.866515718791939e-7)).toBeLessThan(1e-12);
    expect(relativeError(8, 6.220960574271784e-16)).toBeLessThan(1e-12);
    expect(relativeError(12, 1.776482112077679e-33)).toBeLessThan(1e-12);
  });

  it("is continuous where methods switch", () => {
    // The series gives way to the continued fraction at x = 2.5·√2.
    const switchPoint = 2.5 * Math.SQRT2;
    const below = normalUpperTail(switchPoint - 1e-9);
    const above = normalUpperTail(switchPoint + 1e-9);
    expect(Math.abs(below - above) / below).toBeLessThan(1e-7);
  });

  it("inverts normalQuantile", () => {
    for (const probability of [0.001, 0.01, 0.2, 0.5])
      expect(normalUpperTail(normalQuantile(1 - probability))).toBeCloseTo(probability, 8);
  });
});

describe("permutation test", () => {
  it("computes divergence from counts", () => {
    // Counted group: 10 with (8 SAT), 10 without (4 SAT) → effect 0.4.
    // Other group: 10 with (5 SAT), 10 without (5 SAT) → effect 0.
    expect(divergenceFromCounts(10, 8, 20, 12, 20, 13, 40, 22)).toBeCloseTo(0.4, 12);
    expect(divergenceFromCounts(0, 0, 20, 12, 20, 13, 40, 22)).toBeNaN();
  });

  it("uses (extreme + 1) / (permutations + 1)", () => {
    expect(permutationPValue(0, 999)).toBe(0.001);
    expect(permutationPValue(49, 999)).toBe(0.05);
  });

  it("matches the exact permutation p-value", () => {
    // Twelve turns, six per group, one aspect: group A is satisfied with it, group B not.
    // Enumerating all C(12,6) = 924 labellings gives the exact p-value; 40,000 random
    // shuffles must land close to it.
    const satisfied = [1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0];
    const aspect = [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0];
    const turnCount = satisfied.length;
    const groupSize = 6;
    const totalWith = aspect.reduce((sum, value) => sum + value, 0);
    const totalWithSatisfied = aspect.reduce(
      (sum, value, turn) => sum + (value & satisfied[turn]!),
      0,
    );
    const totalSatisfied = satisfied.reduce((sum, value) => sum + value, 0);

    const divergenceOf = (members: readonly number[]): number => {
      let withTurns = 0;
      let withSatisfied = 0;
      let sat = 0;
      for (const turn of members) {
        withTurns += aspect[turn]!;
        withSatisfied += aspect[turn]! & satisfied[turn]!;
        sat += satisfied[turn]!;
      }
      return divergenceFromCounts(
        withTurns,
        withSatisfied,
        members.length,
        sat,
        totalWith,
        totalWithSatisfied,
        turnCount,
        totalSatisfied,
      );
    };
    const observed = Math.abs(divergenceOf([0, 1, 2, 3, 4, 5]));
    expect(observed).toBeCloseTo(1, 12);

    let extreme = 0;
    let total = 0;
    const choose = (start: number, members: number[]): void => {
      if (members.length === groupSize) {
        total += 1;
        const value = divergenceOf(members);
        if (Number.isNaN(value) || Math.abs(value) >= observed - 1e-12) extreme += 1;
        return;
      }
      for (let turn = start; turn < turnCount; turn += 1) choose(turn + 1, [...members, turn]);
    };
    choose(0, []);
    const exact = extreme / total;
    expect(total).toBe(924);
    expect(exact).toBeGreaterThan(0.01);
    expect(exact).toBeLessThan(0.5);

    // Patterns: (satisfied, aspect) → 0: (0,0), 1: (0,1), 2: (1,0), 3: (1,1).
    const patternOfTurn = Int32Array.from(satisfied, (sat, turn) => sat * 2 + aspect[turn]!);
    const design: PermutationDesign = {
      patternOfTurn,
      patternSatisfied: Uint8Array.from([0, 0, 1, 1]),
      patternAspectStart: Int32Array.from([0, 0, 1, 1, 2]),
      patternAspects: Int32Array.from([0, 0]),
      testedCount: 1,
      countedGroupSize: groupSize,
      totals: {
        turns: turnCount,
        satisfied: totalSatisfied,
        withTurns: Int32Array.from([totalWith]),
        withSatisfied: Int32Array.from([totalWithSatisfied]),
      },
      observed: Float64Array.from([observed]),
    };
    const permutations = 40_000;
    const counted = countExtremePermutations(design, permutations, new SeededRandom("exact"))[0]!;
    expect(Math.abs(counted / permutations - exact)).toBeLessThan(0.01);
  });
});
