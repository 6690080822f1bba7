/**
 * Significance on the rubric's 1–5 scale from the size of a divergence between two groups'
 * aspect effects, in SAT-rate percentage points.
 *
 * The table reads the selection-adjusted divergence (`adjustedDivergencePoints` in the
 * result), not the raw one. The raw divergence of an aspect that passed the significance test
 * overstates its true size (the winner's curse): it was selected because chance pushed it
 * up, and most strongly so for noisy aspects that barely passed. The adjusted divergence is
 * the conditional median-unbiased estimate given that selection (see divergence-estimate.ts),
 * and it is 0 for an aspect that is not significant, which the data do not show to diverge.
 *
 * | |adjusted divergence| | significance | reading                               |
 * | --------------------- | ------------ | ------------------------------------- |
 * | under 5               | 1            | no difference worth acting on         |
 * | 5 to under 10         | 2            | minor difference                      |
 * | 10 to under 20        | 3            | moderate difference                   |
 * | 20 to under 30        | 4            | remarkable difference                 |
 * | 30 or more            | 5            | stark difference                      |
 *
 * Why these bands: a divergence of d points means the aspect moves one group's satisfaction
 * d points more than the other's. Under 5 points is below what an intent with a few thousand
 * rated turns can resolve, so it reads as "no difference". For an aspect found in a quarter
 * of the replies, the divergence's standard error is about 10 points at 600 rated turns and
 * 5 at 2000. From 20 points the aspect changes whether one turn in five pleases one
 * group relative to the other, which a rubric should act on; with the default threshold
 * ℓ = 3 only such aspects are kept, matching the 1–5 anchors the LLM method uses
 * (4 = remarkable, 5 = stark).
 */
export const SIGNIFICANCE_BANDS: readonly { fromPoints: number; significance: number }[] = [
  { fromPoints: 0, significance: 1 },
  { fromPoints: 5, significance: 2 },
  { fromPoints: 10, significance: 3 },
  { fromPoints: 20, significance: 4 },
  { fromPoints: 30, significance: 5 },
];

/**
 * Maps |divergence| in percentage points to significance 1–5 by `SIGNIFICANCE_BANDS`. Extraction
 * passes the selection-adjusted divergence.
 */
export function significanceOf(divergencePoints: number): number {
  const size = Math.abs(divergencePoints);
  let significance = 1;
  for (const band of SIGNIFICANCE_BANDS)
    if (size >= band.fromPoints) significance = band.significance;
  return significance;
}

/**
 * Tells whether a significance passes the threshold ℓ. "Above" is strict, as in the GPA
 * rubric-extraction algorithm (an aspect is retained when its score r satisfies r > ℓ), so
 * with ℓ = 3 aspects of significance 4 and 5 are kept.
 */
export function passesThreshold(significance: number, threshold: number): boolean {
  return significance > threshold;
}

/** Smallest |divergence| in points whose significance passes `threshold`; Infinity if none does. */
export function keptFromPoints(threshold: number): number {
  for (const band of SIGNIFICANCE_BANDS)
    if (passesThreshold(band.significance, threshold)) return band.fromPoints;
  return Number.POSITIVE_INFINITY;
}
