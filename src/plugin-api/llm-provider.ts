import type { CallContext } from "./conversation.ts";

/** A chat request in the OpenAI message format. */
export interface ChatRequest {
  /** Model name in the provider's own naming. */
  model: string;
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  temperature?: number;
  /** Upper bound on generated tokens. */
  maxTokens?: number;
  /** Ask for a JSON object; providers that cannot enforce it may ignore it. */
  json?: boolean;
}

/** A finished chat reply. */
export interface ChatResponse {
  /** The reply text; may be empty. */
  content: string;
  /** `length` means the reply was cut off by the token budget. */
  finishReason: "stop" | "length" | "content_filter" | "other";
  /** Token counts; null when the provider did not report them (never a made-up 0). */
  usage: { promptTokens: number; completionTokens: number } | null;
  /** The model's refusal message, when the endpoint reports refusals apart from content. */
  refusal?: string | null;
}

/**
 * Fields that a provider sets on the errors it throws, so that the LLM layer can decide on a
 * retry without knowing the provider's SDK. All are optional; an error without them counts as
 * a permanent failure.
 */
export interface LlmProviderErrorDetails {
  /** HTTP status of the failed response; absent for transport failures. */
  status?: number;
  /** How long the server asked the caller to wait (from `retry-after-ms` or `retry-after`). */
  retryAfterMs?: number;
  /** The raw response body, for error bodies in unexpected shapes. */
  body?: string;
  /** `timeout` or `connection` for transport failures worth another attempt. */
  transport?: "timeout" | "connection";
}

/**
 * Contract only in plugin API v1: an LLM endpoint. The host registers and lists providers but
 * does not wrap their calls; the LLM layer owns their timeouts, retries and output checks.
 */
export interface LlmProvider {
  /** Identifier, unique among the LLM providers of all loaded plugins. */
  id: string;
  /** One sentence shown by the `plugins` query and in docs. */
  description: string;
  /** The model used when the caller names none, usually from the plugin's options. */
  defaultModel?: string;
  /**
   * Sends one chat request and resolves with the whole reply. Throws on transport and HTTP
   * errors, with the HTTP status in a numeric `status` property when there is one, so the
   * caller can tell a retryable 429 or 5xx from a permanent 4xx; see `LlmProviderErrorDetails`
   * for the other fields the caller reads. Must not retry on its own, and must stop when the
   * signal aborts.
   */
  chat(request: ChatRequest, context: CallContext): Promise<ChatResponse>;
  /**
   * Streams the reply text as deltas; the last value is the `ChatResponse` with finish reason
   * and usage. Optional: without it the caller falls back to `chat`. Errors as for `chat`.
   */
  stream?(
    request: ChatRequest,
    context: CallContext,
  ): AsyncIterable<{ delta: string } | ChatResponse>;
}
