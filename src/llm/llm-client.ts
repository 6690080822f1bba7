import pLimit, { type LimitFunction } from "p-limit";
import type { Db } from "../db/database.ts";
import type { Logger } from "../logger.ts";
import type { ChatRequest, ChatResponse, LlmProvider } from "../plugin-api/index.ts";
import type { PromptMessage, PromptSpec } from "../prompts/prompt-spec.ts";
import { type GenerationOutcome, generateStructured } from "./generate-structured.ts";
import { LlmConfigurationError } from "./llm-errors.ts";
import { attemptChat } from "./provider-attempt.ts";
import { cacheKey, ResponseCache } from "./response-cache.ts";
import {
  abortReason,
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  withRetries,
} from "./retry-policy.ts";
import { type LlmBudget, type PriceTable, UsageMeter } from "./usage-meter.ts";

/** Settings of an `LlmClient`; everything but `provider` has a default. */
export interface LlmClientOptions {
  provider: LlmProvider;
  /** Model to call. @default provider.defaultModel */
  model?: string;
  /** Database of the response cache; without it nothing is cached. */
  db?: Db;
  /** Turns the response cache off even with `db`, e.g. for sampling. @default true */
  cache?: boolean;
  /** Provider calls in flight at once, across every scope of this client. @default 4 */
  concurrency?: number;
  /**
   * Limiter shared with other clients of the same provider (one per model, say), so that
   * together they keep to one concurrency limit. Replaces `concurrency` when given.
   */
  limit?: LimitFunction;
  retry?: Partial<RetryPolicy>;
  /** USD per million tokens by model, for cost figures and cost budgets. */
  prices?: PriceTable;
  /** @default 0 */
  temperature?: number;
  /** Factor applied to the token budget when a reply is cut off by it. @default 2 */
  truncationGrowth?: number;
  /** Largest token budget a retry after truncation may ask for. @default 8192 */
  maxTokensCeiling?: number;
  /** Read replies through `provider.stream` when the provider has it. @default false */
  stream?: boolean;
  logger?: Logger;
}

/** Per-job state: cancellation, the usage accumulator and the budget. */
export interface LlmScope {
  /** Aborts calls in flight and waits between retries; pass the job's signal. */
  signal?: AbortSignal;
  /** Accumulates this scope's usage. @default a new meter */
  usage?: UsageMeter;
  budget?: LlmBudget;
}

/** One provider request as the client takes it. */
export interface CompletionRequest {
  messages: PromptMessage[];
  maxTokens: number;
  temperature?: number;
  json?: boolean;
  /** Prompt name, stored with cache entries and shown in logs. */
  promptId?: string;
}

/** A provider response and where it came from. */
export interface CompletionResult {
  response: ChatResponse;
  /** True when no provider call was made for this request (cache or an identical call in flight). */
  cached: boolean;
}

/** State shared by every scope of one client: the provider, its concurrency limit, the cache. */
interface SharedState {
  provider: LlmProvider;
  model: string;
  limit: LimitFunction;
  cache: ResponseCache | undefined;
  /** Identical requests in flight, so concurrent duplicates make one provider call. */
  inFlight: Map<string, Promise<ChatResponse>>;
  retry: RetryPolicy;
  prices: PriceTable;
  temperature: number;
  truncationGrowth: number;
  maxTokensCeiling: number;
  stream: boolean;
  logger: Logger | undefined;
}

/**
 * The one path every LLM call takes: response cache, concurrency limit per provider, retries
 * (this layer is their one owner, see `withRetries`), usage and cost accounting, budgets, and
 * structured output checked against the prompt's schema (`generate`).
 *
 * Build one client per provider and share it; give each job its own scope with
 * `withScope({signal, usage, budget})`. Scopes share the concurrency limit and the cache.
 */
export class LlmClient {
  private readonly shared: SharedState;
  private readonly scope: Required<Pick<LlmScope, "usage">> & LlmScope;

  constructor(options: LlmClientOptions);
  constructor(options: LlmClientOptions | SharedState, scope?: LlmScope);
  constructor(options: LlmClientOptions | SharedState, scope: LlmScope = {}) {
    this.shared = "inFlight" in options ? options : createShared(options);
    this.scope = { ...scope, usage: scope.usage ?? new UsageMeter(this.shared.prices) };
    if (
      this.scope.budget?.maxCostUsd !== undefined &&
      !this.scope.usage.hasPrice(this.shared.model)
    ) {
      throw new LlmConfigurationError(
        `A cost budget needs a price for model ${JSON.stringify(this.shared.model)}; add it to the price table or use a token budget.`,
      );
    }
  }

  /** Creates a client for one job with the same provider, limit and cache, and its own signal, meter and budget. */
  withScope(scope: LlmScope): LlmClient {
    return new LlmClient(this.shared, scope);
  }

  get usage(): UsageMeter {
    return this.scope.usage;
  }

  get providerId(): string {
    return this.shared.provider.id;
  }

  /** The provider itself, for callers that stream free text outside the structured path. */
  get provider(): LlmProvider {
    return this.shared.provider;
  }

  get model(): string {
    return this.shared.model;
  }

  /** Limits the structured-output loop reads. */
  get truncationPolicy(): { growth: number; ceiling: number } {
    return { growth: this.shared.truncationGrowth, ceiling: this.shared.maxTokensCeiling };
  }

  /**
   * Runs a prompt and checks its reply: repairs near-JSON, re-asks once on a schema violation,
   * retries once with a larger budget on truncation. Unusable replies come back as outcomes
   * (`refused`, `empty`, `truncated`, `invalid`); transport failures and budgets throw.
   */
  generate<T>(prompt: PromptSpec<T>): Promise<GenerationOutcome<T>> {
    return generateStructured(this, prompt);
  }

  /** Sends one request, or returns the cached response. Throws `LlmError`s and abort reasons. */
  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const { provider, model, cache } = this.shared;
    const chatRequest: ChatRequest = {
      model,
      messages: request.messages,
      temperature: request.temperature ?? this.shared.temperature,
      maxTokens: request.maxTokens,
      ...(request.json ? { json: true } : {}),
    };
    const key = cacheKey(provider.id, chatRequest);

    const stored = await cache?.get(key);
    if (stored) {
      this.scope.usage.recordCached();
      return { response: stored, cached: true };
    }
    const pending = this.shared.inFlight.get(key);
    if (pending) {
      try {
        const response = await pending;
        this.scope.usage.recordCached();
        return { response, cached: true };
      } catch {
        // The other caller failed or was cancelled (its job, not this one): make this call
        // under this scope's own signal, retries and budget.
        if (this.scope.signal?.aborted) throw abortReason(this.scope.signal);
      }
    }

    const call = this.callProvider(chatRequest, request.promptId);
    this.shared.inFlight.set(key, call);
    try {
      const response = await call;
      await cache?.put(key, { provider: provider.id, model, promptId: request.promptId, response });
      return { response, cached: false };
    } finally {
      this.shared.inFlight.delete(key);
    }
  }

  private async callProvider(
    request: ChatRequest,
    promptId: string | undefined,
  ): Promise<ChatResponse> {
    const { provider, retry, limit, logger } = this.shared;
    const { usage, budget, signal } = this.scope;
    const promptChars = request.messages.reduce((sum, message) => sum + message.content.length, 0);
    const estimatedPromptTokens = Math.ceil(promptChars / 4);
    usage.checkBudget(budget, request.model, estimatedPromptTokens);

    return withRetries(
      provider.id,
      retry,
      signal,
      (attempt) =>
        // The slot is taken per attempt, not per call: a call waiting out a backoff or a
        // Retry-After does not hold a slot that other calls could use.
        limit(async () => {
          if (signal?.aborted) throw abortReason(signal);
          // Checked again inside the slot: calls that finished while this one queued count too.
          if (attempt === 1) usage.checkBudget(budget, request.model, estimatedPromptTokens);
          try {
            const response = await attemptChat(provider, request, {
              timeoutMs: retry.timeoutMs,
              signal,
              stream: this.shared.stream,
            });
            const estimated = estimatedPromptTokens + Math.ceil(response.content.length / 4);
            usage.recordCall(request.model, response.usage, estimated);
            return response;
          } catch (error) {
            usage.recordFailedAttempt();
            throw error;
          }
        }),
      {
        onRetry: ({ attempt, waitMs, reason }) => {
          usage.recordRetry();
          logger?.warn(
            { provider: provider.id, promptId, attempt, waitMs: Math.round(waitMs), reason },
            "LLM call failed; retrying",
          );
        },
      },
    );
  }
}

function createShared(options: LlmClientOptions): SharedState {
  const model = options.model ?? options.provider.defaultModel;
  if (!model) {
    throw new LlmConfigurationError(
      `No model for LLM provider ${options.provider.id}: set the client's model or the provider plugin's model option.`,
    );
  }
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new LlmConfigurationError(
      `LLM concurrency must be a whole number of at least 1, got ${concurrency}.`,
    );
  }
  const useCache = options.cache ?? true;
  return {
    provider: options.provider,
    model,
    limit: options.limit ?? pLimit(concurrency),
    cache: options.db && useCache ? new ResponseCache(options.db) : undefined,
    inFlight: new Map(),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    prices: options.prices ?? {},
    temperature: options.temperature ?? 0,
    truncationGrowth: options.truncationGrowth ?? 2,
    maxTokensCeiling: options.maxTokensCeiling ?? 8192,
    stream: options.stream ?? false,
    logger: options.logger,
  };
}
