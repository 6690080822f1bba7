/**
 * Permutation test of the divergence between two groups' aspect effects on satisfaction.
 *
 * The effect of an aspect in a group is its SAT rate with the aspect minus without it. The
 * divergence is effect(counted group) − effect(other group). Under the null hypothesis the
 * group labels are exchangeable, so the test shuffles them and counts how often the shuffled
 * |divergence| reaches the observed one.
 *
 * Speed: turns are collapsed into patterns (satisfied flag plus the set of tested aspects),
 * so a permutation costs one partial Fisher–Yates pass over the smaller group (drawing its
 * members), one pass over the patterns, and one step per tested aspect. Only the counted
 * group's cells are tallied; the other group's follow from the fixed totals.
 */
import type { SeededRandom } from "./random.ts";

/** Fixed counts over both groups together, for one tested aspect or for all turns. */
export interface PermutationTotals {
  turns: number;
  satisfied: number;
  /** Per tested aspect: turns with the aspect. */
  withTurns: Int32Array;
  /** Per tested aspect: satisfied turns with the aspect. */
  withSatisfied: Int32Array;
}

/** The data one permutation test needs, built once per intent. */
export interface PermutationDesign {
  /** Pattern id of every turn; the test reorders this array in place. */
  patternOfTurn: Int32Array;
  /** Per pattern: 1 when its turns are satisfied. */
  patternSatisfied: Uint8Array;
  /** Per pattern p: its tested aspects are patternAspects[patternAspectStart[p] … patternAspectStart[p+1]). */
  patternAspectStart: Int32Array;
  patternAspects: Int32Array;
  testedCount: number;
  /** Size of the group whose cells are tallied: the smaller one, for speed. */
  countedGroupSize: number;
  totals: PermutationTotals;
  /** Observed |divergence| per tested aspect, computed with `divergenceFromCounts`. */
  observed: Float64Array;
}

/**
 * Returns effect(counted group) − effect(other group) as a fraction (not points), or NaN when
 * any of the four cells is empty. `counted*` are the counted group's counts; `total*` cover
 * both groups.
 */
export function divergenceFromCounts(
  countedWithTurns: number,
  countedWithSatisfied: number,
  countedTurns: number,
  countedSatisfied: number,
  totalWithTurns: number,
  totalWithSatisfied: number,
  totalTurns: number,
  totalSatisfied: number,
): number {
  const countedWithoutTurns = countedTurns - countedWithTurns;
  const otherWithTurns = totalWithTurns - countedWithTurns;
  const otherWithoutTurns = totalTurns - countedTurns - otherWithTurns;
  if (
    countedWithTurns === 0 ||
    countedWithoutTurns === 0 ||
    otherWithTurns === 0 ||
    otherWithoutTurns === 0
  ) {
    return Number.NaN;
  }

  const countedEffect =
    countedWithSatisfied / countedWithTurns -
    (countedSatisfied - countedWithSatisfied) / countedWithoutTurns;
  const otherWithSatisfied = totalWithSatisfied - countedWithSatisfied;
  const otherWithoutSatisfied = totalSatisfied - countedSatisfied - otherWithSatisfied;
  const otherEffect =
    otherWithSatisfied / otherWithTurns - otherWithoutSatisfied / otherWithoutTurns;
  return countedEffect - otherEffect;
}

/**
 * Two-sided permutation p-value, (extreme + 1) / (permutations + 1): counting the observed
 * labelling as one of the permutations keeps the test valid and the p-value above zero.
 */
export function permutationPValue(extremeCount: number, permutations: number): number {
  return (extremeCount + 1) / (permutations + 1);
}

/** Permuted values within this distance of the observed one count as ties, hence extreme. */
const TIE_TOLERANCE = 1e-12;

/**
 * Runs `permutations` label shuffles and returns, per tested aspect, how many shuffles gave a
 * |divergence| at least as large as the observed one. A shuffle that empties a cell counts
 * as extreme, which can only raise the p-value.
 */
export function countExtremePermutations(
  design: PermutationDesign,
  permutations: number,
  random: SeededRandom,
): Int32Array {
  const {
    patternOfTurn: pool,
    patternSatisfied,
    patternAspectStart,
    patternAspects,
    testedCount,
    totals,
  } = design;
  const turnCount = pool.length;
  const drawn = design.countedGroupSize;
  const patternCount = patternSatisfied.length;

  const patternDraws = new Int32Array(patternCount);
  const withTurns = new Int32Array(testedCount);
  const withSatisfied = new Int32Array(testedCount);
  const extreme = new Int32Array(testedCount);
  const thresholds = design.observed.map((value) => value - TIE_TOLERANCE);

  for (let permutation = 0; permutation < permutations; permutation += 1) {
    // Partial Fisher–Yates: the first `drawn` slots become a uniform random subset, the
    // counted group of this shuffle. The pool's order carries over between shuffles.
    for (let index = 0; index < drawn; index += 1) {
      const pick = index + random.nextBelow(turnCount - index);
      const pattern = pool[pick]!;
      pool[pick] = pool[index]!;
      pool[index] = pattern;
      patternDraws[pattern]! += 1;
    }

    withTurns.fill(0);
    withSatisfied.fill(0);
    let satisfied = 0;
    for (let pattern = 0; pattern < patternCount; pattern += 1) {
      const draws = patternDraws[pattern]!;
      if (draws === 0) continue;
      patternDraws[pattern] = 0;
      const isSatisfied = patternSatisfied[pattern] === 1;
      if (isSatisfied) satisfied += draws;
      const end = patternAspectStart[pattern + 1]!;
      for (let slot = patternAspectStart[pattern]!; slot < end; slot += 1) {
        const aspect = patternAspects[slot]!;
        withTurns[aspect]! += draws;
        if (isSatisfied) withSatisfied[aspect]! += draws;
      }
    }

    for (let aspect = 0; aspect < testedCount; aspect += 1) {
      const divergence = divergenceFromCounts(
        withTurns[aspect]!,
        withSatisfied[aspect]!,
        drawn,
        satisfied,
        totals.withTurns[aspect]!,
        totals.withSatisfied[aspect]!,
        totals.turns,
        totals.satisfied,
      );
      // NaN fails this comparison, so an emptied cell counts as extreme.
      if (!(Math.abs(divergence) < thresholds[aspect]!)) extreme[aspect]! += 1;
    }
  }
  return extreme;
}
