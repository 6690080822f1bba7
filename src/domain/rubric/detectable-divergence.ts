import { normalQuantile } from "../statistics/normal.ts";
import { selectedMedianZ } from "../statistics/selection-adjusted.ts";

/**
 * Smallest true |divergence| in percentage points that the keep rule keeps with probability
 * `power`, by the normal approximation, for an aspect whose divergence has standard error
 * `nullStandardError` (points, under no divergence).
 *
 * The keep rule has two parts: the test selects the aspect at two-sided level `level`
 * (|z| ≥ c = z₁₋level/2), and the selection-adjusted divergence reaches `keptFromPoints`.
 * The adjusted divergence rises with |z|, so both hold exactly when |z| ≥ z*, where z* is
 * the median of a selected |z| whose true mean is keptFromPoints / SE. A true divergence D
 * is then kept with probability `power` when D / SE ≥ z* + z_power.
 *
 * This approximates the permutation test and treats the per-test level as fixed; it ignores
 * the discreteness of small cells. Returns Infinity when no divergence can be kept: every
 * turn has the same judgment (SE = 0), or no significance passes the threshold.
 */
export function detectableDivergencePoints(
  nullStandardError: number,
  level: number,
  power: number,
  keptFromPoints: number,
): number {
  if (nullStandardError === 0 || keptFromPoints === Number.POSITIVE_INFINITY) {
    return Number.POSITIVE_INFINITY;
  }
  const cutoff = normalQuantile(1 - level / 2);
  const keptFromZ = selectedMedianZ(keptFromPoints / nullStandardError, cutoff);
  return (keptFromZ + normalQuantile(power)) * nullStandardError;
}
