import type { LlmProviderErrorDetails } from "../plugin-api/index.ts";
import {
  LlmError,
  LlmRateLimitedError,
  LlmRequestError,
  LlmUnavailableError,
} from "./llm-errors.ts";

/** Retry settings of the LLM layer for one provider call. */
export interface RetryPolicy {
  /** Attempts per call, the first included. @default 4 */
  maxAttempts: number;
  /** First backoff step in ms; doubles per retry. @default 500 */
  baseDelayMs: number;
  /** Largest backoff step in ms. @default 8000 */
  maxDelayMs: number;
  /**
   * Maximum server-requested wait (Retry-After) honoured, in ms. A longer request fails the
   * call at once with `LlmRateLimitedError`, so the job is rescheduled rather than parked.
   * @default 60000
   */
  maxRetryAfterMs: number;
  /** Time limit of one attempt in ms; an attempt that runs over is aborted and retried. @default 120000 */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 120_000,
};

/** Raised by an attempt that ran past `timeoutMs`. */
export class AttemptTimeoutError extends Error {
  override name = "AttemptTimeoutError";
  readonly transport = "timeout";
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

type Failure =
  | { kind: "rate-limited"; retryAfterMs: number | undefined; detail: string }
  | { kind: "transient"; status: number | undefined; detail: string }
  | { kind: "permanent"; status: number | undefined; detail: string };

/** Sorts a provider failure into the three classes the retry loop treats differently. */
export function classifyFailure(error: unknown): Failure {
  const details = (error ?? {}) as LlmProviderErrorDetails;
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof details.status === "number" ? details.status : undefined;
  if (status === 429) {
    return {
      kind: "rate-limited",
      retryAfterMs: finiteOrUndefined(details.retryAfterMs),
      detail: message,
    };
  }
  if (status === 408 || status === 409 || (status !== undefined && status >= 500)) {
    return { kind: "transient", status, detail: message };
  }
  if (
    status === undefined &&
    (details.transport === "timeout" || details.transport === "connection")
  ) {
    return { kind: "transient", status, detail: message };
  }
  return { kind: "permanent", status, detail: message };
}

export interface RetryHooks {
  /** Called before each wait, for logs and the usage meter. */
  onRetry?(info: { attempt: number; waitMs: number; reason: string }): void;
}

/**
 * Runs `attempt` under the retry policy of the LLM layer, which is the one owner of retries
 * for LLM calls:
 * - the openai SDK's retries are off (`maxRetries: 0` in the provider plugin), and providers
 *   must not retry on their own;
 * - the job runner retries a whole job only after this loop gives up with a `retryable` error.
 *
 * Rules, per failure:
 * - 429: wait the server's Retry-After when it is at most `maxRetryAfterMs`. A longer
 *   requested wait fails at once with `LlmRateLimitedError`, so the job can be rescheduled.
 *   Without the header, back off as for 5xx.
 * - 408, 409, 5xx, timeouts, dropped connections: exponential backoff, `baseDelayMs · 2^k`
 *   capped at `maxDelayMs`, with "equal jitter" (a random wait in [step/2, step]) so that
 *   clients that failed together do not retry together.
 * - anything else (400, 401, 404, 422, a malformed reply): no retry, `LlmRequestError`.
 * - an aborted `signal` (job cancelled) stops at once, even during a wait.
 * A wait lasts at most `maxRetryAfterMs` (or `maxDelayMs` for backoff). The job keeps its lock
 * meanwhile, because BullMQ's worker extends the lock on its own timer while a processor runs.
 */
export async function withRetries<T>(
  provider: string,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  attempt: (attemptNumber: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal);
      // Already decided by this layer, e.g. a budget checked inside the concurrency slot.
      if (error instanceof LlmError) throw error;
      const failure = classifyFailure(error);
      if (failure.kind === "permanent") {
        throw new LlmRequestError(provider, failure.status, failure.detail, { cause: error });
      }
      if (failure.kind === "rate-limited" && (failure.retryAfterMs ?? 0) > policy.maxRetryAfterMs) {
        throw new LlmRateLimitedError(
          provider,
          attemptNumber,
          failure.retryAfterMs,
          `the server asked to wait ${Math.round(failure.retryAfterMs! / 1000)} s, above the ${Math.round(policy.maxRetryAfterMs / 1000)} s ceiling`,
        );
      }
      if (attemptNumber >= policy.maxAttempts) {
        if (failure.kind === "rate-limited") {
          throw new LlmRateLimitedError(
            provider,
            attemptNumber,
            failure.retryAfterMs,
            `HTTP 429 on all ${attemptNumber} attempts`,
          );
        }
        throw new LlmUnavailableError(provider, attemptNumber, failure.status, failure.detail, {
          cause: error,
        });
      }
      const waitMs =
        failure.kind === "rate-limited" && failure.retryAfterMs !== undefined
          ? failure.retryAfterMs
          : backoffMs(policy, attemptNumber - 1);
      hooks.onRetry?.({ attempt: attemptNumber, waitMs, reason: failure.detail });
      await sleep(waitMs, signal);
    }
  }
}

/** Backoff before retry number `retry` (0 for the first retry), with equal jitter. */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return step / 2 + Math.random() * (step / 2);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Returns the error to throw for an aborted signal: its reason when that is an Error. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("The operation was aborted.", "AbortError");
}

function finiteOrUndefined(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}
