/**
 * Quantile function of the standard normal distribution (Acklam's rational approximation,
 * relative error below 1.2e-9 over the open interval (0, 1)).
 */
const CENTRAL_NUMERATOR = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const CENTRAL_DENOMINATOR = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const TAIL_NUMERATOR = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const TAIL_DENOMINATOR = [
  7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416,
];
/** Below this probability (and above 1 minus it) the tail formula applies. */
const TAIL_START = 0.02425;

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (const coefficient of coefficients) value = value * x + coefficient;
  return value;
}

function tailQuantile(probability: number): number {
  const q = Math.sqrt(-2 * Math.log(probability));
  return polynomial(TAIL_NUMERATOR, q) / (polynomial(TAIL_DENOMINATOR, q) * q + 1);
}

/** Returns z such that P(Z ≤ z) = probability for a standard normal Z. */
export function normalQuantile(probability: number): number {
  if (!(probability > 0 && probability < 1)) {
    throw new RangeError(
      `normalQuantile needs a probability strictly between 0 and 1; got ${probability}.`,
    );
  }
  if (probability < TAIL_START) return tailQuantile(probability);
  if (probability > 1 - TAIL_START) return -tailQuantile(1 - probability);

  const q = probability - 0.5;
  const r = q * q;
  return (polynomial(CENTRAL_NUMERATOR, r) * q) / (polynomial(CENTRAL_DENOMINATOR, r) * r + 1);
}

/** Above this |x| / √2 the continued fraction for erfc converges fast; below it the series does. */
const ERFC_FRACTION_START = 2.5;
/** Terms of the erfc continued fraction; 60 keep the relative error below 1e-12 from its start on. */
const ERFC_FRACTION_TERMS = 60;

/**
 * Returns P(Z > x) for a standard normal Z. The relative error stays below 1e-12 far into the
 * upper tail (checked up to P(Z > 12) ≈ 1.8e-33). A CDF approximation with a fixed absolute
 * error cannot offer that, and conditional probabilities given a rare selection divide such
 * tails.
 */
export function normalUpperTail(x: number): number {
  if (Number.isNaN(x)) throw new RangeError("normalUpperTail needs a number; got NaN.");
  if (x < 0) return 1 - normalUpperTail(-x);
  // P(Z > x) = erfc(t) / 2 with t = x / √2.
  const t = x / Math.SQRT2;
  if (t < ERFC_FRACTION_START) {
    // erf(t) = (2/√π) e^(−t²) Σₙ 2ⁿ t^(2n+1) / (1·3·…·(2n+1)): positive terms, no cancellation.
    let term = t;
    let sum = t;
    for (let n = 1; term > sum * Number.EPSILON; n += 1) {
      term *= (2 * t * t) / (2 * n + 1);
      sum += term;
    }
    const erf = (2 / Math.sqrt(Math.PI)) * Math.exp(-t * t) * sum;
    return 0.5 * (1 - erf);
  }
  // erfc(t) = e^(−t²) / (√π (t + (1/2) / (t + (2/2) / (t + (3/2) / (t + …))))), evaluated backwards.
  let fraction = t;
  for (let k = ERFC_FRACTION_TERMS; k >= 1; k -= 1) fraction = t + k / 2 / fraction;
  return (0.5 * Math.exp(-t * t)) / (Math.sqrt(Math.PI) * fraction);
}
