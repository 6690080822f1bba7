import { z } from "zod";
import type { PromptConversation } from "./conversation-block.ts";
import { type PromptMessage, type PromptSpec, systemMessage } from "./prompt-spec.ts";

/** A reply text: what the generation prompts return. */
export const replyOutputSchema = z.string().min(1).max(100_000);

export interface PersonaReplyInput {
  /** The conversation so far, ending with the user message that the reply is for. */
  conversation: PromptConversation;
  /** The group to write for, e.g. `novice` or `users in India`. */
  group: string;
  /** The intent's domain, e.g. `programming`. */
  domain: string;
  maxTokens?: number;
}

const ID = "persona-reply";
const VERSION = 1;

/**
 * Builds the persona baseline prompt. The system message gives only the user's group and
 * domain, so the model has to guess what such a user wants. The conversation goes in as
 * ordinary chat messages, because here it is the dialogue to continue, not data to analyse.
 */
export function buildPersonaReplyPrompt(input: PersonaReplyInput): PromptSpec<string> {
  return {
    id: ID,
    version: VERSION,
    format: "text",
    maxTokens: input.maxTokens ?? 1500,
    schema: replyOutputSchema,
    messages: [
      systemMessage(ID, VERSION, [
        "You are a helpful AI assistant.",
        `The person you are talking to is a typical ${JSON.stringify(input.group)} user, and the request is in the ${JSON.stringify(input.domain)} domain. Answer the last user message the way such a user would most likely want it answered.`,
        "Reply with the answer itself, with no preface about the user's group.",
      ]),
      ...chatHistory(input.conversation),
    ],
  };
}

/** Returns the conversation's user and assistant messages, without its own system prompt. */
export function chatHistory(conversation: PromptConversation): PromptMessage[] {
  const history = conversation.messages
    .filter((message) => message.role !== "system")
    .map((message) => ({ role: message.role, content: message.content }));
  if (history.at(-1)?.role !== "user") {
    throw new RangeError(
      `Conversation ${conversation.id} must end with a user message, because the reply is generated for that message.`,
    );
  }
  return history;
}
