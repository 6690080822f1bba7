/**
 * Estimates corrected for selection (the winner's curse). When only the estimates whose
 * |z| clears a cutoff c are reported, the reported ones are biased away from zero, most of
 * all those just above the cutoff. Conditioning on the selection event removes that bias:
 * for Z ~ N(μ, 1) observed only when |Z| ≥ c, the conditional median-unbiased estimate of μ
 * is the μ for which the observed z is the median of Z given |Z| ≥ c. An observed z well
 * above c is left almost unchanged; one barely above c is pulled towards zero.
 *
 * Genome-wide association studies correct their reported effects the same way, usually with
 * the conditional likelihood maximum instead of the median. The median pulls harder right at
 * the cutoff and less from about c + 0.5 up, so clear effects keep nearly their full size.
 * An introduction:
 * https://cloufield.github.io/GWASTutorial/15_winners_curse
 */
import { normalUpperTail } from "./normal.ts";

/** Bisection steps; 64 halvings narrow any bracket used here far below double precision. */
const BISECTION_STEPS = 64;
/** Width above the mean where P(Z > mean + width) is negligible (below 1e-23). */
const UPPER_SEARCH_WIDTH = 10;

/** P(Z ≥ z | |Z| ≥ cutoff) for Z ~ N(mean, 1), with z ≥ cutoff ≥ 0. */
function upperTailGivenSelected(z: number, mean: number, cutoff: number): number {
  const selected = normalUpperTail(cutoff - mean) + normalUpperTail(cutoff + mean);
  return normalUpperTail(z - mean) / selected;
}

function checkArguments(name: string, value: number, cutoff: number): void {
  if (!(Number.isFinite(value) && Number.isFinite(cutoff) && cutoff >= 0)) {
    throw new RangeError(
      `${name} needs a finite value and a finite cutoff of at least 0; got ${value} and ${cutoff}.`,
    );
  }
}

/**
 * Returns the selection-adjusted estimate of μ ≥ 0 from an observed |z| that passed the
 * cutoff |z| ≥ `cutoff`: the μ at which P(Z ≥ observed | |Z| ≥ cutoff) = 1/2. Returns 0 when
 * the observation does not exceed the cutoff (then no positive μ makes it the median).
 */
export function selectionAdjustedZ(observed: number, cutoff: number): number {
  checkArguments("selectionAdjustedZ", observed, cutoff);
  const size = Math.abs(observed);
  if (size <= cutoff) return 0;
  // The conditional tail probability rises with μ: below 1/2 at μ = 0 (because size > cutoff)
  // and at least 1/2 at μ = size, so the root lies in [0, size].
  let low = 0;
  let high = size;
  for (let step = 0; step < BISECTION_STEPS; step += 1) {
    const middle = (low + high) / 2;
    if (upperTailGivenSelected(size, middle, cutoff) < 0.5) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

/**
 * Returns the median of Z ~ N(mean, 1) given |Z| ≥ `cutoff`, for mean ≥ 0: the observed |z| at
 * which `selectionAdjustedZ` returns exactly `mean`. It is at least `cutoff`.
 */
export function selectedMedianZ(mean: number, cutoff: number): number {
  checkArguments("selectedMedianZ", mean, cutoff);
  if (mean < 0) throw new RangeError(`selectedMedianZ needs a mean of at least 0; got ${mean}.`);
  // For mean ≥ 0 at least half of the selected mass lies at or above the cutoff.
  let low = cutoff;
  let high = Math.max(cutoff, mean) + UPPER_SEARCH_WIDTH;
  for (let step = 0; step < BISECTION_STEPS; step += 1) {
    const middle = (low + high) / 2;
    if (upperTailGivenSelected(middle, mean, cutoff) > 0.5) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
