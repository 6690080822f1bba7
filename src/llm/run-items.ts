import { BudgetExceededError } from "./llm-errors.ts";

export interface RunItemsResult<T, R> {
  /** Items that finished, with their results, in input order. */
  done: { item: T; result: R }[];
  /** Items not finished because the budget ran out. */
  skipped: T[];
  /** Set when the budget stopped the run. */
  budget: BudgetExceededError | undefined;
}

/**
 * Runs `work` over all items at once and lets the `LlmClient`'s concurrency limit pace the
 * provider calls. A spent budget stops the run cleanly: the finished items come back, the rest
 * are listed as skipped, and nothing throws. Any other error is thrown once every item has
 * settled, so the results that did finish are in the response cache for the retry.
 */
export async function runItems<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  onProgress?: (done: number, total: number) => void | Promise<void>,
): Promise<RunItemsResult<T, R>> {
  let finished = 0;
  const settled = await Promise.allSettled(
    items.map(async (item) => {
      const result = await work(item);
      finished += 1;
      await onProgress?.(finished, items.length);
      return result;
    }),
  );

  const result: RunItemsResult<T, R> = { done: [], skipped: [], budget: undefined };
  let failure: unknown;
  settled.forEach((outcome, index) => {
    const item = items[index]!;
    if (outcome.status === "fulfilled") {
      result.done.push({ item, result: outcome.value });
    } else if (outcome.reason instanceof BudgetExceededError) {
      result.skipped.push(item);
      result.budget ??= outcome.reason;
    } else {
      failure ??= outcome.reason;
    }
  });
  if (failure !== undefined) throw failure;
  return result;
}
