/**
 * Precision of an aspect's divergence in SAT-rate percentage points, from its four cells (each
 * group with and without the aspect). The module computes the standard errors, the resolution
 * check that decides whether the aspect is tested, and the selection-adjusted divergence that
 * the significance table reads.
 */
import { normalQuantile } from "../statistics/normal.ts";
import { selectionAdjustedZ } from "../statistics/selection-adjusted.ts";
import type { SideEffect } from "./statistical-extraction.types.ts";

function cellsOf(sides: readonly [SideEffect, SideEffect]) {
  return sides.flatMap((side) => [side.withAspect, side.withoutAspect]);
}

/**
 * Standard error of the observed divergence in points; null when a cell is empty. Each cell's
 * binomial variance is computed with one SAT and one DSAT turn added (the Agresti–Caffo
 * adjustment), so that a small cell at 0% or 100% SAT does not claim zero variance.
 */
export function observedStandardErrorPoints(
  sides: readonly [SideEffect, SideEffect],
): number | null {
  let variance = 0;
  for (const cell of cellsOf(sides)) {
    if (cell.turns === 0) return null;
    const rate = (cell.satisfied + 1) / (cell.turns + 2);
    variance += (rate * (1 - rate)) / (cell.turns + 2);
  }
  return 100 * Math.sqrt(variance);
}

/**
 * Standard error of the divergence in points when no group diverges: every cell shares the
 * intent's overall SAT rate. It depends on the cell sizes and that rate only, not on how the
 * aspect relates to satisfaction, so filtering on it (like the minimum support) picks aspects
 * without looking at the outcome under test. Null when a cell is empty.
 */
export function nullStandardErrorPoints(
  sides: readonly [SideEffect, SideEffect],
  pooledSatRate: number,
): number | null {
  let inverseSum = 0;
  for (const cell of cellsOf(sides)) {
    if (cell.turns === 0) return null;
    inverseSum += 1 / cell.turns;
  }
  return 100 * Math.sqrt(pooledSatRate * (1 - pooledSatRate) * inverseSum);
}

/**
 * Returns the smallest divergence in points that a two-sided test at level `alpha`
 * distinguishes from zero at least half the time, given the divergence's standard error under
 * no divergence.
 */
export function resolvablePoints(nullStandardError: number, alpha: number): number {
  return normalQuantile(1 - alpha / 2) * nullStandardError;
}

/**
 * Selection-adjusted divergence in points: the divergence whose sampling distribution, given
 * that the test selected it (|z| ≥ `cutoffZ`), has the observed divergence as its median.
 * Keeps the observed sign. See `selectionAdjustedZ`.
 */
export function selectionAdjustedPoints(
  divergencePoints: number,
  standardErrorPoints: number,
  cutoffZ: number,
): number {
  const size = selectionAdjustedZ(Math.abs(divergencePoints) / standardErrorPoints, cutoffZ);
  return Math.sign(divergencePoints) * size * standardErrorPoints;
}
