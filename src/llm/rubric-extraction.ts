import type { ExplanationItem } from "../prompts/index.ts";
import { chunk, type Pairing, pairBatches, planMinibatches } from "./minibatch-plan.ts";
import { abortReason } from "./retry-policy.ts";
import { type Generator, type LlmRubricResult, RubricChain } from "./rubric-chain.ts";

/** Default minibatch size m of the LLM rubric method. */
export const DEFAULT_MINIBATCH_SIZE = 10;
/** Default threshold ℓ of the LLM rubric method. */
export const DEFAULT_RUBRIC_THRESHOLD = 3;

export interface LlmRubricInput {
  intent: { domain: string; task: string };
  /** The two groups compared; for "one group against the rest", the second is the rest. */
  groups: readonly [string, string];
  /** Each group's preference explanations for this intent, by group name. */
  explanations: Readonly<Record<string, readonly ExplanationItem[]>>;
}

export interface LlmRubricOptions {
  /**
   * Explanations per minibatch (m). The GPA paper gives no value for m. With 10, a pair's
   * prompt stays near 2,000 tokens for explanations of about 80 tokens. @default 10
   */
  minibatchSize?: number;
  /**
   * Threshold ℓ: aspects with a significance strictly above it form the rubric. 3 follows the
   * threshold ablation of the GPA paper, where 3 and 4 worked best. @default 3
   */
  threshold?: number;
  /**
   * `all` compares every minibatch of group A with every one of group B, as Algorithm 2 of the
   * GPA paper does, so the number of pairs is quadratic in the batches. `zip` pairs batch k of
   * each group and cycles the shorter list, so it is linear and suits large intents.
   * @default "all"
   */
  pairing?: Pairing;
  /** Caps the pairs by growing the minibatch size; see `planMinibatches`. Unlimited when absent. */
  maxPairs?: number | undefined;
  /**
   * Side sizes to plan the minibatches for, when they differ from the explanation counts (upper
   * bounds known earlier, such as ratable turns). @default the explanation counts
   */
  planFor?: { a: number; b: number } | undefined;
  signal?: AbortSignal;
  /** Called after each pair, e.g. to report job progress. */
  onProgress?(done: number, total: number): void | Promise<void>;
}

/**
 * Extracts a rubric for one intent and pair of groups with the LLM method. This is step 2 of
 * Algorithm 2 in "Group Preference Alignment: Customized LLM Response Generation from In-Situ
 * Conversations" (Mondal et al.). Each group's explanations are split into minibatches of m.
 * The model updates one aspect list from each minibatch pair in turn, and the aspects rated
 * above ℓ are kept.
 *
 * Pairs run one after another because each starts from the list the previous one returned.
 * For throughput, run many comparisons at once, as `runLlmPipeline` and `RubricChains` do. Evidence ids are unioned across pairs for aspects of the same name, because
 * the model can cite only ids from the batches in its prompt.
 */
export async function extractRubricWithLlm(
  client: Generator,
  input: LlmRubricInput,
  options: LlmRubricOptions = {},
): Promise<LlmRubricResult> {
  const [groupA, groupB] = input.groups;
  const itemsA = input.explanations[groupA] ?? [];
  const itemsB = input.explanations[groupB] ?? [];
  const plan = planMinibatches(
    options.planFor?.a ?? itemsA.length,
    options.planFor?.b ?? itemsB.length,
    {
      minibatchSize: options.minibatchSize ?? DEFAULT_MINIBATCH_SIZE,
      pairing: options.pairing ?? "all",
      maxPairs: options.maxPairs,
    },
  );
  const batchesA = chunk(itemsA, plan.minibatchSize);
  const batchesB = chunk(itemsB, plan.minibatchSize);
  const pairs = pairBatches(batchesA.length, batchesB.length, plan.pairing);

  const chain = new RubricChain(client, input);
  for (const [a, b] of pairs) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    await chain.step(batchesA[a]!, batchesB[b]!, { a, b });
    await options.onProgress?.(chain.done, pairs.length);
  }
  return chain.result(options.threshold ?? DEFAULT_RUBRIC_THRESHOLD, pairs.length);
}
