import { z } from "zod";
import {
  type ClipOptions,
  dataBlock,
  messageRecords,
  type PromptConversation,
} from "./conversation-block.ts";
import { confidenceOutput, textOutput } from "./output-schemas.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";

export const EXPERTISE_LEVELS = ["novice", "intermediate", "expert", "unknown"] as const;
export type ExpertiseLevel = (typeof EXPERTISE_LEVELS)[number];

/** A level in any letter case, e.g. `Expert`. */
export const expertiseLevelOutput = z.preprocess(
  (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
  z.enum(EXPERTISE_LEVELS),
);

export const expertiseOutputSchema = z.object({
  level: expertiseLevelOutput,
  confidence: confidenceOutput,
  rationale: textOutput(600),
});
export type ExpertiseOutput = z.infer<typeof expertiseOutputSchema>;

export const EXPERTISE_EXAMPLE = {
  level: "intermediate",
  confidence: 0.7,
  rationale: "Uses the right terms for the library but asks how to combine two basic calls.",
};

/** The level definitions, shared with the batched classification prompt. */
export const EXPERTISE_GUIDE = [
  "Rate how well the user knows the subject they ask about, from what the user writes: the words they use, how precise the request is, whether they notice mistakes, how they handle technical detail.",
  "- novice: little or no background. Broad or basic questions, unsure of the terms, may start from a wrong premise.",
  "- intermediate: a working knowledge. Uses the common terms correctly but needs help applying them, or stays near the surface.",
  "- expert: deep knowledge. Precise vocabulary, weighs alternatives, corrects or extends the assistant, asks about edge cases and consequences.",
  "- unknown: the user's messages give too little to tell, e.g. one short request or pasted text without comment.",
].join("\n");

const ID = "expertise-classifier";
const VERSION = 1;

/** Builds the prompt that rates one user's expertise in the subject of their conversation. */
export function buildExpertisePrompt(
  conversation: PromptConversation,
  clipOptions: ClipOptions = { assistantChars: 600 },
): PromptSpec<ExpertiseOutput> {
  return {
    id: ID,
    version: VERSION,
    format: "json",
    maxTokens: 300,
    schema: expertiseOutputSchema,
    messages: [
      systemMessage(ID, VERSION, [
        "You classify the subject expertise of people who talk to an AI assistant.",
        EXPERTISE_GUIDE,
        "Give a confidence between 0 and 1 and a rationale of one or two sentences that points at the evidence.",
        DATA_RULES,
        jsonOutputRules(EXPERTISE_EXAMPLE),
      ]),
      {
        role: "user",
        content: dataBlock("conversation", messageRecords(conversation, clipOptions)),
      },
    ],
  };
}
