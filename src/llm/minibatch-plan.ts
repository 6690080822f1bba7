/** Pairing of the two groups' minibatches in the LLM rubric method. */
export type Pairing = "all" | "zip";

export interface MinibatchPlanOptions {
  /** Explanations per minibatch (m) before any growth. */
  minibatchSize: number;
  pairing: Pairing;
  /**
   * Largest number of minibatch pairs one comparison may take. Pairs run one after another,
   * so this bounds the comparison's wall time. When the plan would exceed it, the minibatch
   * size grows until it fits. The GPA paper suggests this for large datasets: minibatch sizes
   * grow with the data, or fewer pairs are compared. Unlimited when absent.
   */
  maxPairs?: number | undefined;
}

export interface MinibatchPlan {
  /** The minibatch size used: `minibatchSize`, or larger to respect `maxPairs`. */
  minibatchSize: number;
  pairing: Pairing;
  /** Pairs for sides of the sizes the plan was made for. */
  pairs: number;
}

/**
 * Chooses the minibatch size for sides of `sizeA` and `sizeB` explanations. Pass upper bounds
 * when the real counts are not known yet, as the labelling pipeline does with the number of
 * ratable turns. The plan then depends only on data known before the reviews, so a streamed
 * run and a later run over the stored explanations cut the same minibatches.
 */
export function planMinibatches(
  sizeA: number,
  sizeB: number,
  options: MinibatchPlanOptions,
): MinibatchPlan {
  const { minibatchSize, pairing, maxPairs } = options;
  if (!Number.isInteger(minibatchSize) || minibatchSize < 1)
    throw new RangeError(
      `minibatchSize must be a whole number of at least 1, got ${minibatchSize}.`,
    );
  if (maxPairs !== undefined && (!Number.isInteger(maxPairs) || maxPairs < 1))
    throw new RangeError(`maxPairs must be a whole number of at least 1, got ${maxPairs}.`);
  const pairsFor = (size: number) =>
    pairCount(Math.ceil(sizeA / size), Math.ceil(sizeB / size), pairing);
  let size = minibatchSize;
  if (maxPairs !== undefined) {
    // Pair counts only fall as the size grows, so a binary search finds the smallest fit.
    let high = Math.max(size, sizeA, sizeB, 1);
    while (size < high) {
      const middle = Math.floor((size + high) / 2);
      if (pairsFor(middle) <= maxPairs) high = middle;
      else size = middle + 1;
    }
  }
  return { minibatchSize: size, pairing, pairs: pairsFor(size) };
}

/** Number of pairs `pairBatches` lists for these batch counts. */
export function pairCount(countA: number, countB: number, pairing: Pairing): number {
  if (countA === 0 || countB === 0) return 0;
  return pairing === "all" ? countA * countB : Math.max(countA, countB);
}

/** Splits items into consecutive batches of `size`; the last may be smaller. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    batches.push(items.slice(start, start + size));
  return batches;
}

/**
 * Lists the minibatch pairs to compare, in order; none when either group has no explanations.
 * `all` goes batch by batch through group A, each against every batch of group B. `zip` pairs
 * batch k of each group and cycles the shorter list.
 */
export function pairBatches(countA: number, countB: number, pairing: Pairing): [number, number][] {
  const pairs: [number, number][] = [];
  for (let k = 0; k < pairCount(countA, countB, pairing); k += 1)
    pairs.push(pairAt(k, countA, countB, pairing));
  return pairs;
}

/** Returns the batch indexes of pair `k` in the order `pairBatches` lists. */
export function pairAt(
  k: number,
  countA: number,
  countB: number,
  pairing: Pairing,
): [number, number] {
  return pairing === "all" ? [Math.floor(k / countB), k % countB] : [k % countA, k % countB];
}
