import {
  buildRubricAspectsPrompt,
  type ExplanationItem,
  type RubricAspect,
} from "../prompts/index.ts";
import type { PromptSpec } from "../prompts/prompt-spec.ts";
import type { GenerationOutcome } from "./generate-structured.ts";
import { abortReason } from "./retry-policy.ts";

/** The part of `LlmClient` the extraction uses. */
export interface Generator {
  generate<T>(prompt: PromptSpec<T>): Promise<GenerationOutcome<T>>;
}

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
  pairing?: "all" | "zip";
  signal?: AbortSignal;
  /** Called after each pair, e.g. to report job progress. */
  onProgress?(done: number, total: number): void | Promise<void>;
}

export interface LlmRubricAspect extends RubricAspect {
  /** Significance above the threshold: part of the rubric. */
  kept: boolean;
}

export interface LlmRubricResult {
  /** Every aspect of the final list, most significant first. */
  aspects: LlmRubricAspect[];
  pairs: { done: number; total: number };
  /** Pairs whose reply was unusable; the aspect list stayed as it was for them. */
  failures: { batchA: number; batchB: number; status: GenerationOutcome<unknown>["status"] }[];
  /** Evidence ids the model cited that were not in its batches (dropped). */
  unknownEvidence: number;
}

/**
 * Extracts a rubric for one intent and pair of groups with the LLM method. This is step 2 of
 * Algorithm 2 in "Group Preference Alignment: Customized LLM Response Generation from In-Situ
 * Conversations" (Mondal et al.). Each group's explanations are split into minibatches of m.
 * The model updates one aspect list from each minibatch pair in turn, and the aspects rated
 * above ℓ are kept.
 *
 * Pairs run one after another because each starts from the list the previous one returned;
 * run several intents at once for throughput. Evidence ids are unioned across pairs for
 * aspects of the same name, because the model can cite only ids from the batches in its prompt.
 */
export async function extractRubricWithLlm(
  client: Generator,
  input: LlmRubricInput,
  options: LlmRubricOptions = {},
): Promise<LlmRubricResult> {
  const size = options.minibatchSize ?? 10;
  const threshold = options.threshold ?? 3;
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`minibatchSize must be a whole number of at least 1, got ${size}.`);
  const [groupA, groupB] = input.groups;
  const batchesA = chunk(input.explanations[groupA] ?? [], size);
  const batchesB = chunk(input.explanations[groupB] ?? [], size);
  const pairs = pairBatches(batchesA.length, batchesB.length, options.pairing ?? "all");

  let aspects: RubricAspect[] = [];
  const failures: LlmRubricResult["failures"] = [];
  let unknownEvidence = 0;
  let done = 0;
  for (const [a, b] of pairs) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    const outcome = await client.generate(
      buildRubricAspectsPrompt({
        intent: input.intent,
        groups: input.groups,
        batchA: batchesA[a]!,
        batchB: batchesB[b]!,
        current: aspects,
      }),
    );
    if (outcome.status === "ok") {
      aspects = mergeUpdate(aspects, outcome.value.aspects);
      unknownEvidence += outcome.value.unknownEvidence.length;
    } else {
      failures.push({ batchA: a, batchB: b, status: outcome.status });
    }
    done += 1;
    await options.onProgress?.(done, pairs.length);
  }

  return {
    aspects: aspects
      .map((aspect) => ({ ...aspect, kept: aspect.significance > threshold }))
      .sort(
        (left, right) =>
          right.significance - left.significance || left.name.localeCompare(right.name),
      ),
    pairs: { done, total: pairs.length },
    failures,
    unknownEvidence,
  };
}

/** Splits items into consecutive batches of `size`; the last may be smaller. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size)
    batches.push(items.slice(start, start + size));
  return batches;
}

/** Lists the minibatch pairs to compare, in order; none when either group has no explanations. */
export function pairBatches(
  countA: number,
  countB: number,
  pairing: "all" | "zip",
): [number, number][] {
  if (countA === 0 || countB === 0) return [];
  const pairs: [number, number][] = [];
  if (pairing === "all") {
    for (let a = 0; a < countA; a += 1) for (let b = 0; b < countB; b += 1) pairs.push([a, b]);
  } else {
    for (let k = 0; k < Math.max(countA, countB); k += 1) pairs.push([k % countA, k % countB]);
  }
  return pairs;
}

/**
 * Takes the model's updated list as the new list, because the algorithm replaces it. Evidence
 * that earlier pairs gathered for an aspect of the same name is kept. A name the model listed
 * twice is merged, with the highest significance and the union of the evidence.
 */
export function mergeUpdate(
  previous: readonly RubricAspect[],
  update: readonly RubricAspect[],
): RubricAspect[] {
  const merged = new Map<string, RubricAspect>();
  for (const aspect of update) {
    const seen = merged.get(aspect.name);
    if (seen) {
      seen.significance = Math.max(seen.significance, aspect.significance);
      seen.evidence = union(seen.evidence, aspect.evidence);
    } else {
      const earlier = previous.find((candidate) => candidate.name === aspect.name);
      merged.set(aspect.name, {
        ...aspect,
        evidence: union(earlier?.evidence ?? [], aspect.evidence),
      });
    }
  }
  return [...merged.values()];
}

function union(left: readonly string[], right: readonly string[]): string[] {
  return [...new Set([...left, ...right])];
}
