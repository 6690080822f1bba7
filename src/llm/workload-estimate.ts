import {
  buildBatchClassificationPrompt,
  buildConversationReviewPrompt,
  buildExpertisePrompt,
  buildIntentPrompt,
  buildPreferenceExplanationPrompt,
  buildRubricAspectsPrompt,
  buildSatisfactionJudgePrompt,
  type PromptConversation,
  type PromptSpec,
  ratableTurns,
  type Taxonomy,
} from "../prompts/index.ts";
import { chunk, pairBatches } from "./minibatch-plan.ts";
import { costOf, type ModelPrice } from "./usage-meter.ts";

export interface WorkloadEstimateInput {
  conversations: readonly PromptConversation[];
  taxonomy: Taxonomy;
  plan: "combined" | "per-step";
  /** Conversations per classification call in the combined plan. @default 8 */
  batchSize?: number;
  /** Expected share of ratable turns judged SAT or DSAT (the rest NA). @default 0.6 */
  ratedShare?: number;
  /** Rubric extraction after labelling; left out when absent. */
  extraction?: {
    /** Intents the explanations spread over, each compared for one pair of groups. */
    intents: number;
    minibatchSize: number;
    pairing?: "all" | "zip";
  };
  /** Price of the model, for a cost figure. */
  price?: ModelPrice;
}

export interface WorkloadEstimate {
  calls: {
    classification: number;
    judgment: number;
    explanation: number;
    extraction: number;
    total: number;
  };
  promptTokens: number;
  completionTokens: number;
  /** Null without a price. */
  costUsd: number | null;
}

/**
 * Expected completion tokens per call, by prompt. These are rough guesses of reply sizes in the
 * shape each prompt requests. Per-conversation and per-turn entries scale with the count.
 */
const COMPLETION_TOKENS = {
  expertise: 60,
  intent: 30,
  batchEntry: 70,
  judgment: 50,
  explanation: 90,
  reviewTurn: 60,
  reviewExplanation: 90,
  aspectsUpdate: 600,
};

/** Assumed explanation length in tokens, for the extraction prompts. */
const EXPLANATION_TOKENS = 80;

/**
 * Estimates the calls and tokens of the LLM pipeline over `conversations` before it runs, for a
 * dry run. Prompts are built as they would be sent, and their characters are counted at 4 per
 * token. Completion sizes and the SAT/DSAT share are the assumed averages above, so the real
 * counts can differ by tens of percent. Cache hits make the real cost lower.
 */
export function estimateLlmWorkload(input: WorkloadEstimateInput): WorkloadEstimate {
  const ratedShare = input.ratedShare ?? 0.6;
  const calls = { classification: 0, judgment: 0, explanation: 0, extraction: 0, total: 0 };
  let promptTokens = 0;
  let completionTokens = 0;
  const add = (
    kind: keyof typeof calls,
    count: number,
    prompt: PromptSpec<unknown>,
    completion: number,
  ) => {
    calls[kind] += count;
    promptTokens += count * tokensOf(prompt);
    completionTokens += count * completion;
  };

  let ratedTurns = 0;
  if (input.plan === "combined") {
    const batchSize = input.batchSize ?? 8;
    for (let start = 0; start < input.conversations.length; start += batchSize) {
      const batch = input.conversations.slice(start, start + batchSize);
      add(
        "classification",
        1,
        buildBatchClassificationPrompt(batch, input.taxonomy),
        COMPLETION_TOKENS.batchEntry * batch.length,
      );
    }
    for (const conversation of input.conversations) {
      const prompt = buildConversationReviewPrompt(conversation);
      if (!prompt) continue;
      const turns = ratableTurns(conversation).length;
      ratedTurns += turns * ratedShare;
      add(
        "judgment",
        1,
        prompt,
        turns * COMPLETION_TOKENS.reviewTurn +
          turns * ratedShare * COMPLETION_TOKENS.reviewExplanation,
      );
    }
  } else {
    for (const conversation of input.conversations) {
      add("classification", 1, buildExpertisePrompt(conversation), COMPLETION_TOKENS.expertise);
      add(
        "classification",
        1,
        buildIntentPrompt(conversation, input.taxonomy),
        COMPLETION_TOKENS.intent,
      );
      for (const index of ratableTurns(conversation)) {
        add(
          "judgment",
          1,
          buildSatisfactionJudgePrompt(conversation, index),
          COMPLETION_TOKENS.judgment,
        );
        // Fractional calls: the expected number of explanations, not a whole count per turn.
        add(
          "explanation",
          ratedShare,
          buildPreferenceExplanationPrompt(conversation, index, "SAT"),
          COMPLETION_TOKENS.explanation,
        );
        ratedTurns += ratedShare;
      }
    }
  }

  if (input.extraction && input.extraction.intents > 0) {
    const { intents, minibatchSize } = input.extraction;
    const perGroup = Math.round(ratedTurns / intents / 2);
    const batches = chunk(Array.from({ length: perGroup }), minibatchSize).length;
    const pairs = pairBatches(batches, batches, input.extraction.pairing ?? "all").length;
    const fixed = tokensOf(
      buildRubricAspectsPrompt({
        intent: { domain: "d", task: "t" },
        groups: ["a", "b"],
        batchA: [],
        batchB: [],
        current: [],
      }),
    );
    const perCall =
      fixed +
      2 * Math.min(minibatchSize, perGroup) * EXPLANATION_TOKENS +
      COMPLETION_TOKENS.aspectsUpdate;
    calls.extraction = intents * pairs;
    promptTokens += calls.extraction * perCall;
    completionTokens += calls.extraction * COMPLETION_TOKENS.aspectsUpdate;
  }

  calls.explanation = Math.round(calls.explanation);
  calls.total = calls.classification + calls.judgment + calls.explanation + calls.extraction;
  return {
    calls,
    promptTokens: Math.round(promptTokens),
    completionTokens: Math.round(completionTokens),
    costUsd: costOf(input.price, promptTokens, completionTokens),
  };
}

function tokensOf(prompt: PromptSpec<unknown>): number {
  return Math.ceil(prompt.messages.reduce((sum, message) => sum + message.content.length, 0) / 4);
}
