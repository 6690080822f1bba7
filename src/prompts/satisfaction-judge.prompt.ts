import { z } from "zod";
import {
  type ClipOptions,
  dataBlock,
  followUpIndex,
  messageRecords,
  type PromptConversation,
} from "./conversation-block.ts";
import { confidenceOutput, judgmentOutput, textOutput } from "./output-schemas.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";

export const judgmentOutputSchema = z.object({
  judgment: judgmentOutput,
  confidence: confidenceOutput,
  rationale: textOutput(600),
});
export type JudgmentOutput = z.infer<typeof judgmentOutputSchema>;

export const JUDGMENT_EXAMPLE = {
  judgment: "DSAT",
  confidence: 0.85,
  rationale: "The user says the code still fails and pastes the same error again.",
};

/** Definitions of SAT, DSAT and NA, shared with the combined review prompt. */
export const JUDGMENT_GUIDE = [
  "Judge an assistant reply by the user's next message (the follow-up), which shows how the reply landed:",
  "- SAT: the reply worked for the user. They thank or approve, use the answer, or build on it with a next step.",
  "- DSAT: the reply did not work. They correct it, complain, point out an error or an ignored instruction, or repeat or rephrase the same request.",
  "- NA: the follow-up shows neither, e.g. an unrelated new topic, a greeting, or an unclear reaction.",
  "Judge the user's reaction, not your own opinion of the reply.",
].join("\n");

/** Messages before the judged reply that are included as context. */
const CONTEXT_MESSAGES = 4;

const ID = "satisfaction-judge";
const VERSION = 1;

/**
 * Builds the prompt that judges the assistant message at `assistantIndex` from the user's
 * follow-up. Throws when the index is not an assistant message followed by a user message:
 * such a turn has no follow-up to judge by (its judgment is NA without a call).
 */
export function buildSatisfactionJudgePrompt(
  conversation: PromptConversation,
  assistantIndex: number,
  clipOptions: ClipOptions = {},
): PromptSpec<JudgmentOutput> {
  const followUp = requireFollowUp(conversation, assistantIndex);
  return {
    id: ID,
    version: VERSION,
    format: "json",
    maxTokens: 250,
    schema: judgmentOutputSchema,
    messages: [
      systemMessage(ID, VERSION, [
        "You rate whether users were satisfied with replies of an AI assistant.",
        JUDGMENT_GUIDE,
        "The conversation excerpt ends with the follow-up. Judge only the message whose index is given in <judged_message>.",
        "Give a confidence between 0 and 1 and a one-sentence rationale quoting or describing the follow-up.",
        DATA_RULES,
        jsonOutputRules(JUDGMENT_EXAMPLE),
      ]),
      {
        role: "user",
        content: [
          dataBlock(
            "conversation",
            messageRecords(conversation, clipOptions, assistantIndex - CONTEXT_MESSAGES, followUp),
          ),
          dataBlock("judged_message", { index: assistantIndex, followUpIndex: followUp }),
        ].join("\n"),
      },
    ],
  };
}

/** Index of the follow-up of an assistant message; throws when there is none. */
export function requireFollowUp(conversation: PromptConversation, assistantIndex: number): number {
  const message = conversation.messages[assistantIndex];
  const followUp =
    message?.role === "assistant" ? followUpIndex(conversation, assistantIndex) : undefined;
  if (followUp === undefined) {
    throw new RangeError(
      `Message ${assistantIndex} of conversation ${conversation.id} is not an assistant reply followed by a user message; only such replies can be judged.`,
    );
  }
  return followUp;
}
