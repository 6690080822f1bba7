import { TailorError } from "../errors.ts";

/**
 * Errors of the LLM layer. Each sets `retryable` to whether a later attempt could succeed, so
 * a job processor can reschedule rate limits and outages and fail for good on the rest. Replies that arrive but cannot be used (refusals, empty or truncated replies,
 * invalid JSON) are not errors: they are outcomes of `LlmClient.generate`.
 */
export abstract class LlmError extends TailorError {
  abstract readonly retryable: boolean;
}

/**
 * The endpoint kept returning 429, or requested a wait above the configured ceiling.
 * `retryAfterMs` is the server's last requested wait, when it gave one.
 */
export class LlmRateLimitedError extends LlmError {
  override name = "LlmRateLimitedError";
  readonly retryable = true;
  constructor(
    readonly provider: string,
    readonly attempts: number,
    readonly retryAfterMs: number | undefined,
    detail: string,
  ) {
    super(
      "LLM_RATE_LIMITED",
      `LLM provider ${provider} is rate limiting requests (${detail}). Run the job again later or lower the concurrency.`,
    );
  }
}

/** Timeouts, dropped connections or 5xx responses on every attempt. */
export class LlmUnavailableError extends LlmError {
  override name = "LlmUnavailableError";
  readonly retryable = true;
  constructor(
    readonly provider: string,
    readonly attempts: number,
    readonly status: number | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      "LLM_UNAVAILABLE",
      `LLM provider ${provider} failed ${attempts} attempt(s): ${detail}`,
      options,
    );
  }
}

/** A failure that another attempt would repeat: a 4xx other than 408, 409 or 429, or a bad reply. */
export class LlmRequestError extends LlmError {
  override name = "LlmRequestError";
  readonly retryable = false;
  constructor(
    readonly provider: string,
    readonly status: number | undefined,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      "LLM_REQUEST_FAILED",
      `LLM provider ${provider} rejected the request: ${detail}`,
      options,
    );
  }
}

/**
 * The job's token or cost budget is spent. Thrown before a provider call, never in the middle
 * of one, so every finished call is stored and the job can end cleanly with what it has.
 */
export class BudgetExceededError extends LlmError {
  override name = "BudgetExceededError";
  readonly retryable = false;
  constructor(
    readonly limit: "tokens" | "cost",
    readonly maximum: number,
    readonly used: number,
  ) {
    const unit = limit === "tokens" ? "tokens" : "USD";
    super(
      "BUDGET_EXCEEDED",
      `LLM budget reached: ${used.toFixed(limit === "tokens" ? 0 : 4)} of ${maximum} ${unit} used. Finished work is kept; raise the budget to continue.`,
    );
  }
}

/** The client was set up wrong, e.g. no model or a cost budget without a price for the model. */
export class LlmConfigurationError extends LlmError {
  override name = "LlmConfigurationError";
  readonly retryable = false;
  constructor(message: string) {
    super("LLM_CONFIGURATION", message);
  }
}
