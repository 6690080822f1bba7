import {
  buildRubricAspectsPrompt,
  type ExplanationItem,
  type RubricAspect,
} from "../prompts/index.ts";
import type { PromptSpec } from "../prompts/prompt-spec.ts";
import type { GenerationOutcome } from "./generate-structured.ts";

/** The part of `LlmClient` the extraction uses. */
export interface Generator {
  generate<T>(prompt: PromptSpec<T>): Promise<GenerationOutcome<T>>;
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
 * The state of one comparison of the LLM rubric method: the aspect list that each minibatch
 * pair updates. Steps must run one at a time and in pair order, because each prompt carries
 * the list the previous step returned. The caller decides when each step runs.
 */
export class RubricChain {
  private aspects: RubricAspect[] = [];
  private readonly failures: LlmRubricResult["failures"] = [];
  private unknownEvidence = 0;
  private steps = 0;

  constructor(
    private readonly client: Generator,
    private readonly scope: {
      intent: { domain: string; task: string };
      groups: readonly [string, string];
    },
  ) {}

  get done(): number {
    return this.steps;
  }

  /** Compares one minibatch pair and takes the model's updated list. */
  async step(
    batchA: readonly ExplanationItem[],
    batchB: readonly ExplanationItem[],
    position: { a: number; b: number },
  ): Promise<void> {
    const outcome = await this.client.generate(
      buildRubricAspectsPrompt({
        intent: this.scope.intent,
        groups: this.scope.groups,
        batchA,
        batchB,
        current: this.aspects,
      }),
    );
    if (outcome.status === "ok") {
      this.aspects = mergeUpdate(this.aspects, outcome.value.aspects);
      this.unknownEvidence += outcome.value.unknownEvidence.length;
    } else {
      this.failures.push({ batchA: position.a, batchB: position.b, status: outcome.status });
    }
    this.steps += 1;
  }

  /** Returns the aspects so far, marking those rated strictly above `threshold` as kept. */
  result(threshold: number, totalPairs: number): LlmRubricResult {
    return {
      aspects: this.aspects
        .map((aspect) => ({ ...aspect, kept: aspect.significance > threshold }))
        .sort(
          (left, right) =>
            right.significance - left.significance || left.name.localeCompare(right.name),
        ),
      pairs: { done: this.steps, total: totalPairs },
      failures: [...this.failures],
      unknownEvidence: this.unknownEvidence,
    };
  }
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
