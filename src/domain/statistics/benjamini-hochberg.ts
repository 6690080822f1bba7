/**
 * Benjamini–Hochberg adjusted p-values (q-values) for a family of tests. Rejecting every test
 * with q < α keeps the expected share of false discoveries among the rejections at most α
 * when the tests are independent or positively dependent.
 *
 * Returns the q-values in the order of `pValues`. Each is min over j ≥ rank of
 * (m · p_(j) / j), capped at 1, where p_(j) is the j-th smallest of the m p-values.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const count = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`A p-value must lie in [0, 1]; got ${p}.`);
    }
  }

  const order = pValues
    .map((_, index) => index)
    .sort((left, right) => pValues[left]! - pValues[right]!);
  const qValues = new Array<number>(count);
  let runningMinimum = 1;
  for (let rank = count; rank >= 1; rank -= 1) {
    const index = order[rank - 1]!;
    runningMinimum = Math.min(runningMinimum, (pValues[index]! * count) / rank);
    qValues[index] = runningMinimum;
  }
  return qValues;
}
