import { z } from "zod";
import {
  type ClipOptions,
  dataBlock,
  messageRecords,
  type PromptConversation,
} from "./conversation-block.ts";
import { textOutput } from "./output-schemas.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";
import { requireFollowUp } from "./satisfaction-judge.prompt.ts";

export const explanationOutputSchema = z.object({
  intent: textOutput(300),
  expectation: textOutput(500),
  reason: textOutput(600),
});
export type ExplanationOutput = z.infer<typeof explanationOutputSchema>;

export const EXPLANATION_EXAMPLE = {
  intent: "Fix a failing database migration.",
  expectation: "A direct fix with the exact command to run, without background theory.",
  reason:
    "The reply explained migrations in general and the user had to ask again for the command.",
};

/** Definition of the explanation fields, shared with the combined review prompt. */
export const EXPLANATION_GUIDE = [
  "For a reply the user was satisfied (SAT) or dissatisfied (DSAT) with, explain the user's preference:",
  "- intent: what the user was trying to get done, in one short sentence;",
  "- expectation: what kind of reply they wanted, in terms that apply beyond this case (level of detail, format, tone, steps, examples, code, sources, length);",
  "- reason: why this reply met or missed that expectation, grounded in the follow-up.",
  'Describe preferences, not the topic: "wanted a runnable example" is useful, "wanted Python" rarely is.',
].join("\n");

/** Messages before the explained reply that are included as context. */
const CONTEXT_MESSAGES = 4;

const ID = "preference-explanation";
const VERSION = 1;

/**
 * Builds the prompt that explains why the user liked or disliked the assistant message at
 * `assistantIndex`, given its judgment. Throws for a turn without a user follow-up.
 */
export function buildPreferenceExplanationPrompt(
  conversation: PromptConversation,
  assistantIndex: number,
  judgment: "SAT" | "DSAT",
  clipOptions: ClipOptions = {},
): PromptSpec<ExplanationOutput> {
  const followUp = requireFollowUp(conversation, assistantIndex);
  return {
    id: ID,
    version: VERSION,
    format: "json",
    maxTokens: 400,
    schema: explanationOutputSchema,
    messages: [
      systemMessage(ID, VERSION, [
        "You explain what users of an AI assistant wanted from its replies.",
        EXPLANATION_GUIDE,
        "Explain only the message whose index is given in <explained_message>; its judgment is given there too.",
        DATA_RULES,
        jsonOutputRules(EXPLANATION_EXAMPLE),
      ]),
      {
        role: "user",
        content: [
          dataBlock(
            "conversation",
            messageRecords(conversation, clipOptions, assistantIndex - CONTEXT_MESSAGES, followUp),
          ),
          dataBlock("explained_message", {
            index: assistantIndex,
            followUpIndex: followUp,
            judgment,
          }),
        ].join("\n"),
      },
    ],
  };
}
