import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { LlmProviderErrorDetails } from "../../src/plugin-api/index.ts";

/** Maximum length of the raw error body quoted in the message. The whole body stays in `body`. */
const MESSAGE_BODY_CHARS = 500;

/**
 * A failed call to an OpenAI-compatible endpoint, with the fields the LLM layer reads to decide
 * on a retry: HTTP status, the server's requested wait, the raw body, or the transport failure.
 */
export class OpenAiProviderError extends Error implements LlmProviderErrorDetails {
  override name = "OpenAiProviderError";
  status?: number;
  retryAfterMs?: number;
  body?: string;
  transport?: "timeout" | "connection";

  constructor(message: string, details: LlmProviderErrorDetails, options?: ErrorOptions) {
    super(message, options);
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.body !== undefined) this.body = details.body;
    if (details.transport !== undefined) this.transport = details.transport;
  }
}

/** The raw body of the last non-2xx response of one call, kept by the capturing fetch. */
export interface RawErrorCapture {
  status?: number;
  body?: string;
}

/**
 * Converts what the openai SDK threw into an `OpenAiProviderError`. The SDK (v6) reads only
 * `{"error": {...}}` bodies, so a body such as `{"detail": "..."}` or an HTML page would end up
 * as "500 status code (no body)". The captured raw text is used instead.
 */
export function toProviderError(error: unknown, capture: RawErrorCapture, where: string): Error {
  if (error instanceof OpenAiProviderError) return error;
  if (error instanceof APIUserAbortError) return error;
  if (error instanceof APIConnectionTimeoutError) {
    return new OpenAiProviderError(
      `${where}: request timed out`,
      { transport: "timeout" },
      { cause: error },
    );
  }
  if (error instanceof APIConnectionError) {
    return new OpenAiProviderError(
      `${where}: connection failed: ${error.message}`,
      { transport: "connection" },
      { cause: error },
    );
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const body = capture.body ?? (error.error === undefined ? "" : JSON.stringify(error.error));
    const details: LlmProviderErrorDetails = { status: error.status, body };
    const retryAfterMs = parseRetryAfter(error.headers);
    if (retryAfterMs !== undefined) details.retryAfterMs = retryAfterMs;
    const shown = body.trim() === "" ? "(empty body)" : clip(body.trim());
    return new OpenAiProviderError(`${where}: HTTP ${error.status}: ${shown}`, details, {
      cause: error,
    });
  }
  if (error instanceof APIError) {
    // A status-less APIError is an error event inside an SSE stream.
    const body = error.error === undefined ? error.message : JSON.stringify(error.error);
    return new OpenAiProviderError(
      `${where}: error event in stream: ${clip(body)}`,
      { body },
      { cause: error },
    );
  }
  if (error instanceof SyntaxError) {
    return new OpenAiProviderError(
      `${where}: malformed response: ${error.message}`,
      {},
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(`${where}: ${String(error)}`);
}

/**
 * Reads the server's requested wait in milliseconds: `retry-after-ms` first, then
 * `retry-after` as seconds or as an HTTP date. Undefined when absent or unreadable. Not capped
 * here: the LLM layer applies its own ceiling.
 */
export function parseRetryAfter(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const milliseconds = headers.get("retry-after-ms");
  if (milliseconds !== null) {
    const value = Number.parseFloat(milliseconds);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null) return undefined;
  const seconds = Number(retryAfter.trim());
  if (retryAfter.trim() !== "" && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - Date.now());
}

function clip(text: string): string {
  return text.length <= MESSAGE_BODY_CHARS
    ? text
    : `${text.slice(0, MESSAGE_BODY_CHARS)}… (${text.length} chars)`;
}
