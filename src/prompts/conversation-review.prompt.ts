import { z } from "zod";
import {
  type ClipOptions,
  dataBlock,
  messageRecords,
  type PromptConversation,
  ratableTurns,
} from "./conversation-block.ts";
import { confidenceOutput, judgmentOutput, textOutput } from "./output-schemas.ts";
import {
  EXPLANATION_GUIDE,
  type ExplanationOutput,
  explanationOutputSchema,
} from "./preference-explanation.prompt.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";
import { JUDGMENT_GUIDE } from "./satisfaction-judge.prompt.ts";

/** One judged assistant turn, with the explanation when the judgment is SAT or DSAT. */
export interface TurnReview {
  index: number;
  judgment: "SAT" | "DSAT" | "NA";
  confidence: number;
  rationale: string;
  explanation: ExplanationOutput | null;
}

const turnSchema = z.object({
  index: z.coerce.number().int(),
  judgment: judgmentOutput,
  confidence: confidenceOutput,
  rationale: textOutput(600),
  explanation: explanationOutputSchema.nullable().optional(),
});

/**
 * Builds the schema of a review reply. It requires exactly one entry per turn in `turns`, and
 * an explanation on each SAT or DSAT entry. An explanation given for an NA turn is dropped.
 */
export function reviewOutputSchema(turns: readonly number[]) {
  const expected = new Set(turns);
  return z
    .object({ turns: z.array(turnSchema) })
    .superRefine((reply, context) => {
      const seen = new Set<number>();
      reply.turns.forEach((turn, position) => {
        if (!expected.has(turn.index)) {
          context.addIssue({
            code: "custom",
            path: ["turns", position, "index"],
            message: `index ${turn.index} is not one of the turns to judge (${turns.join(", ")})`,
          });
        }
        if (seen.has(turn.index)) {
          context.addIssue({
            code: "custom",
            path: ["turns", position, "index"],
            message: `index ${turn.index} is judged twice`,
          });
        }
        seen.add(turn.index);
        if (turn.judgment !== "NA" && !turn.explanation) {
          context.addIssue({
            code: "custom",
            path: ["turns", position, "explanation"],
            message: `a ${turn.judgment} turn needs an explanation`,
          });
        }
      });
      const missing = turns.filter((index) => !seen.has(index));
      if (missing.length > 0) {
        context.addIssue({
          code: "custom",
          path: ["turns"],
          message: `turns ${missing.join(", ")} are missing`,
        });
      }
    })
    .transform((reply): TurnReview[] =>
      reply.turns
        .map((turn) => ({
          index: turn.index,
          judgment: turn.judgment,
          confidence: turn.confidence,
          rationale: turn.rationale,
          explanation: turn.judgment === "NA" ? null : (turn.explanation ?? null),
        }))
        .sort((left, right) => left.index - right.index),
    );
}

export const REVIEW_EXAMPLE = {
  turns: [
    {
      index: 1,
      judgment: "SAT",
      confidence: 0.8,
      rationale: "The user thanks the assistant and asks for the next step.",
      explanation: {
        intent: "Set up a Python virtual environment.",
        expectation: "Short numbered commands to copy.",
        reason: "The reply gave exactly the commands, and the user moved on.",
      },
    },
    {
      index: 3,
      judgment: "NA",
      confidence: 0.6,
      rationale: "The user switches to an unrelated topic.",
      explanation: null,
    },
  ],
};

const ID = "conversation-review";
const VERSION = 1;

/**
 * Builds one prompt that judges every ratable assistant turn of a conversation and explains
 * the SAT and DSAT ones: one call per conversation instead of one per turn and step. Returns
 * undefined when no assistant turn has a user follow-up (nothing to judge).
 */
export function buildConversationReviewPrompt(
  conversation: PromptConversation,
  clipOptions: ClipOptions = {},
): PromptSpec<TurnReview[]> | undefined {
  const turns = ratableTurns(conversation);
  if (turns.length === 0) return undefined;
  return {
    id: ID,
    version: VERSION,
    format: "json",
    // About 150 tokens per judged and explained turn, plus room for the wrapper.
    maxTokens: 200 + 180 * turns.length,
    schema: reviewOutputSchema(turns),
    messages: [
      systemMessage(ID, VERSION, [
        "You review conversations between people and an AI assistant, turn by turn.",
        JUDGMENT_GUIDE,
        EXPLANATION_GUIDE,
        "Judge every assistant message whose index is listed in <turns_to_judge>, each exactly once; give an explanation for SAT and DSAT turns and null for NA turns.",
        DATA_RULES,
        jsonOutputRules(REVIEW_EXAMPLE),
      ]),
      {
        role: "user",
        content: [
          dataBlock("conversation", messageRecords(conversation, clipOptions)),
          dataBlock("turns_to_judge", turns),
        ].join("\n"),
      },
    ],
  };
}
