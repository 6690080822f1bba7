import { z } from "zod";
import {
  type ClipOptions,
  dataBlock,
  messageRecords,
  type PromptConversation,
} from "./conversation-block.ts";
import {
  EXPERTISE_GUIDE,
  type ExpertiseOutput,
  expertiseLevelOutput,
} from "./expertise-classifier.prompt.ts";
import { INTENT_GUIDE, type IntentOutput } from "./intent-classifier.prompt.ts";
import { normalizeIntent, type Taxonomy } from "./intent-normalizer.ts";
import { confidenceOutput, textOutput } from "./output-schemas.ts";
import { DATA_RULES, jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";

/** Group and intent of one conversation of a batch, keyed by the caller's conversation id. */
export interface BatchClassification {
  conversationId: string;
  expertise: ExpertiseOutput;
  intent: IntentOutput;
}

const entrySchema = z.object({
  id: z.string(),
  expertise: expertiseLevelOutput,
  expertiseConfidence: confidenceOutput,
  rationale: textOutput(400),
  domain: z.string().max(200),
  task: z.string().max(200),
  intentConfidence: confidenceOutput,
});

/**
 * Builds the schema of a batch reply. It requires one entry per conversation under the short
 * ids the prompt used (`c1`, `c2`, …), maps them back to the caller's ids and maps the
 * intents onto `taxonomy`.
 */
export function batchOutputSchema(conversationIds: readonly string[], taxonomy: Taxonomy) {
  const localIds = conversationIds.map((_, position) => `c${position + 1}`);
  return z
    .object({ results: z.array(entrySchema) })
    .superRefine((reply, context) => {
      const seen = new Set<string>();
      reply.results.forEach((entry, position) => {
        if (!localIds.includes(entry.id)) {
          context.addIssue({
            code: "custom",
            path: ["results", position, "id"],
            message: `id ${JSON.stringify(entry.id)} is not one of ${localIds.join(", ")}`,
          });
        } else if (seen.has(entry.id)) {
          context.addIssue({
            code: "custom",
            path: ["results", position, "id"],
            message: `id ${entry.id} appears twice`,
          });
        }
        seen.add(entry.id);
      });
      const missing = localIds.filter((id) => !seen.has(id));
      if (missing.length > 0)
        context.addIssue({
          code: "custom",
          path: ["results"],
          message: `conversations ${missing.join(", ")} are missing`,
        });
    })
    .transform((reply): BatchClassification[] =>
      localIds.map((localId, position) => {
        const entry = reply.results.find((candidate) => candidate.id === localId)!;
        return {
          conversationId: conversationIds[position]!,
          expertise: {
            level: entry.expertise,
            confidence: entry.expertiseConfidence,
            rationale: entry.rationale,
          },
          intent: {
            ...normalizeIntent(entry.domain, entry.task, taxonomy),
            confidence: entry.intentConfidence,
          },
        };
      }),
    );
}

export const BATCH_EXAMPLE = {
  results: [
    {
      id: "c1",
      expertise: "novice",
      expertiseConfidence: 0.7,
      rationale: "Asks what a variable is before asking for the loop.",
      domain: "programming",
      task: "writing-code",
      intentConfidence: 0.9,
    },
  ],
};

const ID = "batch-classification";
const VERSION = 1;

/**
 * Builds one prompt that classifies the expertise and the intent of several conversations:
 * one call per batch instead of two per conversation. Each conversation is shown by its
 * opening messages only; ids in the prompt are short local ones, never the stored ids.
 */
export function buildBatchClassificationPrompt(
  conversations: readonly PromptConversation[],
  taxonomy: Taxonomy,
  clipOptions: ClipOptions = { userChars: 1200, assistantChars: 300 },
): PromptSpec<BatchClassification[]> {
  if (conversations.length === 0)
    throw new RangeError("A classification batch needs at least one conversation.");
  const data = conversations.map((conversation, position) => ({
    id: `c${position + 1}`,
    messages: messageRecords(conversation, clipOptions, 0, 3),
  }));
  return {
    id: ID,
    version: VERSION,
    format: "json",
    maxTokens: 120 + 110 * conversations.length,
    schema: batchOutputSchema(
      conversations.map((conversation) => conversation.id),
      taxonomy,
    ),
    messages: [
      systemMessage(ID, VERSION, [
        "You label conversations between people and an AI assistant. For each conversation in <conversations>, give the user's expertise and intent.",
        `Expertise.\n${EXPERTISE_GUIDE}`,
        `Intent.\n${INTENT_GUIDE}`,
        "Judge each conversation on its own. Return one entry per conversation with its id, confidences between 0 and 1, and a one-sentence rationale for the expertise.",
        DATA_RULES,
        jsonOutputRules(BATCH_EXAMPLE),
      ]),
      {
        role: "user",
        content: [dataBlock("taxonomy", taxonomy), dataBlock("conversations", data)].join("\n"),
      },
    ],
  };
}
