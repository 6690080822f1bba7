import { z } from "zod";
import { textOutput } from "./output-schemas.ts";
import {
  chatHistory,
  type PersonaReplyInput,
  replyOutputSchema,
} from "./persona-baseline.prompt.ts";
import { jsonOutputRules, type PromptSpec, systemMessage } from "./prompt-spec.ts";

export const criteriaOutputSchema = z.object({ criteria: z.array(textOutput(300)).min(1).max(10) });
export type CriteriaOutput = z.infer<typeof criteriaOutputSchema>;

export const CRITERIA_EXAMPLE = {
  criteria: ["Explain each term the first time it appears.", "End with one concrete next step."],
};

const CRITERIA_ID = "static-criteria";
const REPLY_ID = "static-criteria-reply";
const VERSION = 1;

/**
 * Step one of the static-criteria baseline: the model lists what it assumes a group wants in a
 * domain, from its own knowledge and with no logs, so it serves as a contrast to rubrics
 * learned from real satisfaction signals.
 */
export function buildStaticCriteriaPrompt(input: {
  group: string;
  domain: string;
}): PromptSpec<CriteriaOutput> {
  return {
    id: CRITERIA_ID,
    version: VERSION,
    format: "json",
    maxTokens: 400,
    schema: criteriaOutputSchema,
    messages: [
      systemMessage(CRITERIA_ID, VERSION, [
        "You describe what groups of users expect from an AI assistant.",
        "List 3 to 6 short criteria that a reply should meet to satisfy the given group in the given domain.",
        jsonOutputRules(CRITERIA_EXAMPLE),
      ]),
      { role: "user", content: JSON.stringify({ group: input.group, domain: input.domain }) },
    ],
  };
}

/** Builds step two: a reply to the conversation that follows the criteria from step one. */
export function buildCriteriaReplyPrompt(
  input: PersonaReplyInput & { criteria: readonly string[] },
): PromptSpec<string> {
  const rules = input.criteria
    .map((criterion, position) => `${position + 1}. ${criterion}`)
    .join("\n");
  return {
    id: REPLY_ID,
    version: VERSION,
    format: "text",
    maxTokens: input.maxTokens ?? 1500,
    schema: replyOutputSchema,
    messages: [
      systemMessage(REPLY_ID, VERSION, [
        "You are a helpful AI assistant.",
        `The user is a ${JSON.stringify(input.group)} user and the request is in the ${JSON.stringify(input.domain)} domain. Follow these criteria in your answer:\n${rules}`,
        "Reply with the answer itself, without mentioning the criteria.",
      ]),
      ...chatHistory(input.conversation),
    ],
  };
}
