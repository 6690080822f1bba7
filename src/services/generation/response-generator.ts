import type { ChatMessage } from "../../domain/tailoring/plan.ts";
import { LlmRequestError } from "../../llm/llm-errors.ts";
import { attemptChat } from "../../llm/provider-attempt.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "../../llm/retry-policy.ts";
import type { ChatResponse, LlmProvider } from "../../plugin-api/index.ts";

export interface GenerateOptions {
  /** Model to call; the provider's default when omitted. */
  model?: string;
  signal?: AbortSignal;
  /** Receives the reply's text as it arrives; the provider streams when this is set. */
  onDelta?: (delta: string) => void;
}

export interface GeneratedReply {
  content: string;
  finishReason: ChatResponse["finishReason"];
  model: string;
  /** Null when the provider did not report usage; never guessed as 0. */
  usage: ChatResponse["usage"];
}

/**
 * Free-text replies for applications, streamed or not, through the LLM layer's retry rules
 * (`withRetries` owns retries; the SDK's are off). A streamed reply is retried only until its
 * first token reaches the caller: after that a retry would show the user two answers, so a
 * failure ends the request. Not cached: a new request should get a new answer; callers repeat
 * an answer on purpose with an idempotency key.
 */
export class ResponseGenerator {
  private readonly retry: RetryPolicy;

  constructor(
    readonly provider: LlmProvider,
    private readonly defaults: {
      model?: string | undefined;
      maxTokens: number;
      temperature: number;
      retry?: Partial<RetryPolicy>;
    },
  ) {
    this.retry = { ...DEFAULT_RETRY_POLICY, ...defaults.retry };
  }

  get defaultModel(): string | undefined {
    return this.defaults.model ?? this.provider.defaultModel;
  }

  async generate(
    messages: readonly ChatMessage[],
    options: GenerateOptions = {},
  ): Promise<GeneratedReply> {
    const model = options.model ?? this.defaultModel;
    if (!model)
      throw new LlmRequestError(
        this.provider.id,
        undefined,
        "no model is configured for generation",
      );
    const request = {
      model,
      messages: messages.map((message) => ({ role: message.role, content: message.content })),
      maxTokens: this.defaults.maxTokens,
      temperature: this.defaults.temperature,
    };
    const response = await withRetries(this.provider.id, this.retry, options.signal, async () => {
      if (options.onDelta && this.provider.stream) return this.streamOnce(request, options);
      return attemptChat(this.provider, request, {
        timeoutMs: this.retry.timeoutMs,
        signal: options.signal,
        stream: false,
      });
    });
    if (options.onDelta && !this.provider.stream) options.onDelta(response.content);
    return {
      content: response.content,
      finishReason: response.finishReason,
      model,
      usage: response.usage,
    };
  }

  private async streamOnce(
    request: Parameters<LlmProvider["chat"]>[0],
    options: GenerateOptions,
  ): Promise<ChatResponse> {
    let sent = false;
    let text = "";
    try {
      for await (const item of this.provider.stream!(request, {
        signal: options.signal ?? new AbortController().signal,
      })) {
        if ("delta" in item) {
          if (item.delta.length === 0) continue;
          sent = true;
          text += item.delta;
          options.onDelta?.(item.delta);
          continue;
        }
        // The final value carries finish reason and usage; its text is what was streamed.
        return { ...item, content: item.content || text };
      }
      throw Object.assign(new Error("the stream ended before its final chunk"), {
        transport: "connection",
      });
    } catch (error) {
      if (!sent) throw error;
      throw new LlmRequestError(
        this.provider.id,
        (error as { status?: number }).status,
        `the stream broke after the reply began: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
}
