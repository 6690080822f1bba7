import {
  type BatchClassification,
  buildBatchClassificationPrompt,
  buildConversationReviewPrompt,
  buildExpertisePrompt,
  buildIntentPrompt,
  buildPreferenceExplanationPrompt,
  buildSatisfactionJudgePrompt,
  type ExpertiseOutput,
  type ExplanationItem,
  type ExplanationOutput,
  type IntentOutput,
  type PromptConversation,
  ratableTurns,
  type Taxonomy,
} from "../prompts/index.ts";
import type { GenerationOutcome } from "./generate-structured.ts";
import type { Generator } from "./rubric-chain.ts";

/**
 * The labelling steps of the LLM pipeline, in two plans: `combined` (one review call per
 * conversation, classification in batches) and `per-step` (one call per step and turn).
 * Both return the same shapes, so a job stores either the same way.
 */

/** The judgment of one assistant turn, with its explanation when SAT or DSAT. */
export interface TurnLabel {
  index: number;
  judgment: "SAT" | "DSAT" | "NA";
  confidence: number;
  /** `llm`: judged by the model; `no-follow-up`: no user message followed, so NA without a call. */
  source: "llm" | "no-follow-up";
  rationale: string | null;
  explanation: ExplanationOutput | null;
}

/** Every assistant turn of a conversation, or the outcome that kept them from being labelled. */
export type ConversationLabels =
  | { ok: true; conversationId: string; turns: TurnLabel[] }
  | {
      ok: false;
      conversationId: string;
      status: Exclude<GenerationOutcome<unknown>["status"], "ok">;
    };

/** Judges and explains all turns of a conversation in one call. */
export async function reviewConversation(
  client: Generator,
  conversation: PromptConversation,
): Promise<ConversationLabels> {
  const prompt = buildConversationReviewPrompt(conversation);
  if (!prompt)
    return { ok: true, conversationId: conversation.id, turns: unratedTurns(conversation, []) };
  const outcome = await client.generate(prompt);
  if (outcome.status !== "ok")
    return { ok: false, conversationId: conversation.id, status: outcome.status };
  const judged = outcome.value.map((turn) => ({ ...turn, source: "llm" as const }));
  return { ok: true, conversationId: conversation.id, turns: unratedTurns(conversation, judged) };
}

/**
 * Judges each ratable turn with its own call, then explains each SAT and DSAT turn with
 * another: the per-step plan. A turn whose explanation fails keeps its judgment with a null
 * explanation; a failed judgment fails the conversation.
 */
export async function reviewConversationPerStep(
  client: Generator,
  conversation: PromptConversation,
): Promise<ConversationLabels> {
  const turns = ratableTurns(conversation);
  const judgments = await Promise.all(
    turns.map((index) => client.generate(buildSatisfactionJudgePrompt(conversation, index))),
  );
  for (const outcome of judgments) {
    if (outcome.status !== "ok")
      return { ok: false, conversationId: conversation.id, status: outcome.status };
  }

  const judged = await Promise.all(
    turns.map(async (index, position): Promise<TurnLabel> => {
      const outcome = judgments[position]!;
      const value = outcome.status === "ok" ? outcome.value : undefined;
      const judgment = value?.judgment ?? "NA";
      let explanation: ExplanationOutput | null = null;
      if (judgment !== "NA") {
        const explained = await client.generate(
          buildPreferenceExplanationPrompt(conversation, index, judgment),
        );
        if (explained.status === "ok") explanation = explained.value;
      }
      return {
        index,
        judgment,
        confidence: value?.confidence ?? 0,
        source: "llm",
        rationale: value?.rationale ?? null,
        explanation,
      };
    }),
  );
  return { ok: true, conversationId: conversation.id, turns: unratedTurns(conversation, judged) };
}

/** Adds NA labels for the assistant turns that no user message follows, in message order. */
function unratedTurns(conversation: PromptConversation, judged: TurnLabel[]): TurnLabel[] {
  const byIndex = new Map(judged.map((turn) => [turn.index, turn]));
  const labels: TurnLabel[] = [];
  conversation.messages.forEach((message, index) => {
    if (message.role !== "assistant") return;
    labels.push(
      byIndex.get(index) ?? {
        index,
        judgment: "NA",
        confidence: 1,
        source: "no-follow-up",
        rationale: null,
        explanation: null,
      },
    );
  });
  return labels;
}

/** Expertise and intent of one conversation, or the outcome status that prevented them. */
export type ClassificationResult =
  | { ok: true; conversationId: string; expertise: ExpertiseOutput; intent: IntentOutput }
  | {
      ok: false;
      conversationId: string;
      status: Exclude<GenerationOutcome<unknown>["status"], "ok">;
    };

/**
 * Classifies conversations `batchSize` at a time. A batch whose reply is unusable (a missing
 * entry, a refusal, a truncation) is retried one conversation per call, so one odd
 * conversation does not cost the whole batch its labels.
 */
export async function classifyInBatches(
  client: Generator,
  conversations: readonly PromptConversation[],
  taxonomy: Taxonomy,
  batchSize = 8,
): Promise<ClassificationResult[]> {
  const batches: PromptConversation[][] = [];
  for (let start = 0; start < conversations.length; start += batchSize)
    batches.push(conversations.slice(start, start + batchSize));
  const results = await Promise.all(
    batches.map(async (batch): Promise<ClassificationResult[]> => {
      const outcome = await client.generate(buildBatchClassificationPrompt(batch, taxonomy));
      if (outcome.status === "ok") return outcome.value.map(toResult);
      if (batch.length === 1)
        return [{ ok: false, conversationId: batch[0]!.id, status: outcome.status }];
      return Promise.all(
        batch.map(async (conversation): Promise<ClassificationResult> => {
          const single = await client.generate(
            buildBatchClassificationPrompt([conversation], taxonomy),
          );
          if (single.status === "ok") return toResult(single.value[0]!);
          return { ok: false, conversationId: conversation.id, status: single.status };
        }),
      );
    }),
  );
  return results.flat();
}

function toResult(entry: BatchClassification): ClassificationResult {
  return {
    ok: true,
    conversationId: entry.conversationId,
    expertise: entry.expertise,
    intent: entry.intent,
  };
}

/** Classifies one conversation with two calls, expertise then intent: the per-step plan. */
export async function classifySeparately(
  client: Generator,
  conversation: PromptConversation,
  taxonomy: Taxonomy,
): Promise<ClassificationResult> {
  const [expertise, intent] = await Promise.all([
    client.generate(buildExpertisePrompt(conversation)),
    client.generate(buildIntentPrompt(conversation, taxonomy)),
  ]);
  if (expertise.status !== "ok")
    return { ok: false, conversationId: conversation.id, status: expertise.status };
  if (intent.status !== "ok")
    return { ok: false, conversationId: conversation.id, status: intent.status };
  return {
    ok: true,
    conversationId: conversation.id,
    expertise: expertise.value,
    intent: intent.value,
  };
}

/** Converts the explanations of labelled turns into rubric extraction items with `conversation:index` ids. */
export function explanationItems(labels: ConversationLabels): ExplanationItem[] {
  if (!labels.ok) return [];
  return labels.turns.flatMap((turn) =>
    turn.explanation && turn.judgment !== "NA"
      ? [
          {
            id: `${labels.conversationId}:${turn.index}`,
            judgment: turn.judgment,
            ...turn.explanation,
          },
        ]
      : [],
  );
}
