import { normalQuantile } from "../statistics/normal.ts";

/**
 * Smallest |divergence| in percentage points that a test at two-sided level `level` detects
 * with probability `power`, by the normal approximation: (z₁₋level/2 + z_power) × SE, where
 * SE = √(p̄(1 − p̄) × Σ 1/nᵢ) over the four cells (each group with and without the aspect)
 * and p̄ is the intent's overall SAT rate (the null hypothesis's rate).
 *
 * This approximates the permutation test's power; it ignores the discreteness of small
 * cells. Returns Infinity when every turn has the same judgment, because then no divergence
 * can occur.
 */
export function detectableDivergencePoints(
  cellTurns: readonly number[],
  pooledSatRate: number,
  level: number,
  power: number,
): number {
  const variance = pooledSatRate * (1 - pooledSatRate);
  if (variance === 0) return Number.POSITIVE_INFINITY;
  let inverseSum = 0;
  for (const turns of cellTurns) inverseSum += 1 / turns;
  const standardError = Math.sqrt(variance * inverseSum);
  return 100 * (normalQuantile(1 - level / 2) + normalQuantile(power)) * standardError;
}
