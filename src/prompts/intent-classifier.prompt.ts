import { z } from "zod";
import {
  type ClipOptions,
  dataBlock,
  messageRecords,
  type PromptConversation,
} from "./conversation-block.ts";
import { type NormalizedIntent, normalizeIntent, type Taxonomy } from "./intent-normalizer.ts";
import { confidenceOutput } from "./output-schemas.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";

export type IntentOutput = NormalizedIntent & { confidence: number };

/** Builds the schema of an intent reply, which maps any domain and task text onto `taxonomy`. */
export function intentOutputSchema(taxonomy: Taxonomy) {
  return z
    .object({
      domain: z.string().max(200),
      task: z.string().max(200),
      confidence: confidenceOutput,
    })
    .transform(
      (raw): IntentOutput => ({
        ...normalizeIntent(raw.domain, raw.task, taxonomy),
        confidence: raw.confidence,
      }),
    );
}

export const INTENT_EXAMPLE = { domain: "programming", task: "debugging", confidence: 0.8 };

/** How to pick the intent, shared with the batched classification prompt. */
export const INTENT_GUIDE = [
  "Name what the user wants help with as a domain and a task within it, taken from the taxonomy in <taxonomy> (domain → tasks).",
  "Decide mainly from the first user messages; later turns may refine the task but rarely change the domain.",
  'Use the ids exactly as written in the taxonomy. When nothing fits, answer domain "other" and task "other".',
].join("\n");

const ID = "intent-classifier";
const VERSION = 1;

/** Builds the prompt that assigns one conversation a domain and task from `taxonomy`. */
export function buildIntentPrompt(
  conversation: PromptConversation,
  taxonomy: Taxonomy,
  clipOptions: ClipOptions = { userChars: 1500, assistantChars: 400 },
): PromptSpec<IntentOutput> {
  // The opening of a conversation states the request; four messages keep the prompt short.
  const opening = messageRecords(conversation, clipOptions, 0, 3);
  return {
    id: ID,
    version: VERSION,
    format: "json",
    maxTokens: 150,
    schema: intentOutputSchema(taxonomy),
    messages: [
      systemMessage(ID, VERSION, [
        "You label conversations between people and an AI assistant with the user's intent.",
        INTENT_GUIDE,
        "Give a confidence between 0 and 1.",
        DATA_RULES,
        jsonOutputRules(INTENT_EXAMPLE),
      ]),
      {
        role: "user",
        content: [dataBlock("taxonomy", taxonomy), dataBlock("conversation", opening)].join("\n"),
      },
    ],
  };
}
