import { z } from "zod";
import { clip } from "../prompts/conversation-block.ts";
import type { PromptMessage, PromptSpec } from "../prompts/prompt-spec.ts";
import { extractJsonObject, looksLikeRefusal } from "./json-output.ts";
import type { CompletionRequest, CompletionResult } from "./llm-client.ts";

/** Result of a prompt run. Only `ok` carries a value that may be stored as a label. */
export type GenerationOutcome<T> = GenerationStats &
  (
    | {
        status: "ok";
        value: T;
        /** The JSON had to be cut out of prose or fences, or repaired. */
        repaired: boolean;
        /** The first reply failed the schema and the model was asked again. */
        reasked: boolean;
      }
    /** The model declined: a refusal field, a content filter stop, or a refusal sentence. */
    | { status: "refused"; message: string }
    /** The reply had no text at all. */
    | { status: "empty" }
    /** Cut off by the token limit twice, the second time with a larger budget: undecided. */
    | { status: "truncated" }
    /** Still no valid object after repair and one re-ask. */
    | { status: "invalid"; error: string; reply: string }
  );

export interface GenerationStats {
  promptId: string;
  /** Requests sent for this prompt (cache hits included). */
  requests: number;
  /** Requests served without a provider call. */
  cachedRequests: number;
}

/** The part of `LlmClient` this loop uses. */
export interface Completer {
  complete(request: CompletionRequest): Promise<CompletionResult>;
  readonly truncationPolicy: { growth: number; ceiling: number };
}

/** Maximum length, in characters, of the earlier reply quoted back to the model in a re-ask. */
const REASK_QUOTE_CHARS = 4000;

/**
 * Runs `prompt` until its reply is usable or plainly is not. At most three requests: the first,
 * one with a larger budget after a truncation, and one re-ask after a schema violation.
 * A truncated reply is never parsed, because repair would invent the missing end.
 */
export async function generateStructured<T>(
  client: Completer,
  prompt: PromptSpec<T>,
): Promise<GenerationOutcome<T>> {
  const stats: GenerationStats = { promptId: prompt.id, requests: 0, cachedRequests: 0 };
  let messages = prompt.messages;
  let maxTokens = prompt.maxTokens;
  let grown = false;
  let reasked = false;

  for (;;) {
    const { response, cached } = await client.complete({
      messages,
      maxTokens,
      json: prompt.format === "json",
      promptId: prompt.id,
      ...(prompt.temperature !== undefined ? { temperature: prompt.temperature } : {}),
    });
    stats.requests += 1;
    if (cached) stats.cachedRequests += 1;

    if (response.finishReason === "length") {
      const { growth, ceiling } = client.truncationPolicy;
      if (!grown && maxTokens < ceiling) {
        grown = true;
        maxTokens = Math.min(ceiling, Math.ceil(maxTokens * growth));
        continue;
      }
      return { ...stats, status: "truncated" };
    }
    if (response.refusal) return { ...stats, status: "refused", message: response.refusal };
    if (response.finishReason === "content_filter") {
      return {
        ...stats,
        status: "refused",
        message: "the provider's content filter stopped the reply",
      };
    }
    if (response.content.trim() === "") return { ...stats, status: "empty" };

    const checked = checkReply(prompt, response.content);
    if (checked.ok)
      return { ...stats, status: "ok", value: checked.value, repaired: checked.repaired, reasked };
    if (checked.refusal)
      return { ...stats, status: "refused", message: clip(response.content.trim(), 500) };
    if (reasked)
      return { ...stats, status: "invalid", error: checked.error, reply: response.content };

    reasked = true;
    messages = [...prompt.messages, ...reaskMessages(prompt, response.content, checked.error)];
  }
}

type Checked<T> =
  | { ok: true; value: T; repaired: boolean }
  | { ok: false; error: string; refusal: boolean };

/** Parses and validates one reply against the prompt's format and schema. */
export function checkReply<T>(prompt: PromptSpec<T>, reply: string): Checked<T> {
  if (prompt.format === "text") {
    const parsed = prompt.schema.safeParse(reply.trim());
    if (parsed.success) return { ok: true, value: parsed.data, repaired: false };
    return { ok: false, error: z.prettifyError(parsed.error), refusal: looksLikeRefusal(reply) };
  }
  const extracted = extractJsonObject(reply);
  if (!extracted.ok)
    return { ok: false, error: extracted.reason, refusal: looksLikeRefusal(reply) };
  const parsed = prompt.schema.safeParse(extracted.value);
  if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error), refusal: false };
  return { ok: true, value: parsed.data, repaired: extracted.how !== "direct" };
}

function reaskMessages<T>(prompt: PromptSpec<T>, reply: string, error: string): PromptMessage[] {
  const instruction =
    prompt.format === "json"
      ? "Your reply was rejected. Reply again with only the JSON object in the shape the system message describes: no prose, no code fences, no other keys."
      : "Your reply was rejected. Reply again, following the system message exactly.";
  return [
    { role: "assistant", content: clip(reply, REASK_QUOTE_CHARS) },
    { role: "user", content: `${instruction}\nProblems found:\n${clip(error, 1500)}` },
  ];
}
