import type { ChatRequest, ChatResponse, LlmProvider } from "../plugin-api/index.ts";
import { AttemptTimeoutError, abortReason } from "./retry-policy.ts";

/**
 * Sends one request to the provider under a time limit. The attempt gets its own abort signal,
 * fired by the caller's signal (job cancelled) or by the time limit. The error thrown is the
 * caller's abort reason in the first case and `AttemptTimeoutError` (retryable) in the second.
 * With `stream`, the reply is read through `provider.stream` and assembled; the time limit
 * then covers the whole stream.
 */
export async function attemptChat(
  provider: LlmProvider,
  request: ChatRequest,
  options: { timeoutMs: number; signal: AbortSignal | undefined; stream: boolean },
): Promise<ChatResponse> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new AttemptTimeoutError(options.timeoutMs)),
    options.timeoutMs,
  );
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout.signal])
    : timeout.signal;
  try {
    if (options.stream && provider.stream) return await readStream(provider, request, signal);
    return await provider.chat(request, { signal });
  } catch (error) {
    if (options.signal?.aborted) throw abortReason(options.signal);
    if (timeout.signal.aborted) throw new AttemptTimeoutError(options.timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function readStream(
  provider: LlmProvider,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<ChatResponse> {
  let final: ChatResponse | undefined;
  for await (const item of provider.stream!(request, { signal })) {
    if ("finishReason" in item) final = item;
  }
  if (!final) {
    // Counted as a dropped connection: the stream ended before the provider's final value.
    throw Object.assign(new Error("the stream ended without a final response"), {
      transport: "connection",
    });
  }
  return final;
}
