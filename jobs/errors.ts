import { TailorError } from "../src/errors.ts";
import { LlmError } from "../src/llm/llm-errors.ts";

export class JobCancelledError extends TailorError {
  override name = "JobCancelledError";
  constructor(jobId: string) {
    super("CANCELLED", `Job ${jobId} was cancelled.`);
  }
}

/**
 * A failure worth another attempt: a timeout, a dropped connection, a 429 or a 5xx. Every
 * other error fails the job for good, because running it again would fail the same way.
 */
export class RetryableJobError extends TailorError {
  override name = "RetryableJobError";
  constructor(message: string, options?: ErrorOptions) {
    super("RETRYABLE", message, options);
  }
}

export function isRetryable(error: unknown): boolean {
  if (error instanceof RetryableJobError) return true;
  // The LLM layer has already retried the call, and its error tells whether a later attempt could help.
  if (error instanceof LlmError) return error.retryable;
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === "ECONNRESET" ||
    code === "ECONNREFUSED" ||
    code === "ETIMEDOUT" ||
    code === "57P01" /* admin_shutdown */ ||
    code === "40001" /* serialization_failure */ ||
    code === "40P01" /* deadlock_detected */
  );
}
