import { setMaxListeners } from "node:events";
import { TailorError } from "../src/errors.ts";
import type { Logger } from "../src/logger.ts";
import type { JobCatalogue } from "./catalogue.ts";
import { isRetryable, JobCancelledError } from "./errors.ts";
import { type JobError, type JobStore, TERMINAL_STATUSES } from "./job-store.ts";
import { type TailorPubSub, toSnapshot } from "./progress-bus.ts";
import type { JobProgress, JobServices } from "./types.ts";

/**
 * Abort reason for a process that is shutting down: the job goes back to `queued` for the
 * next process instead of ending `cancelled`.
 */
export const SHUTDOWN = Symbol("shutdown");

/** Smallest gap between two stored progress updates of one stage. */
const PROGRESS_INTERVAL_MS = 200;

export interface ExecutionDeps {
  store: JobStore;
  pubsub: TailorPubSub;
  catalogue: JobCatalogue;
  services: JobServices;
  logger: Logger;
}

export type ExecutionOutcome =
  | { outcome: "completed" | "failed" | "cancelled" | "skipped" }
  | { outcome: "retry"; error: JobError; attempt: number; backoffMs: number };

/**
 * Runs one attempt of a stored job: the same code under the in-process runner and under
 * BullMQ workers. The runner owns retries: this function only reports whether the failure is
 * worth another attempt (`retry`), and has already put the job back to `queued` if so.
 */
export async function executeJob(
  deps: ExecutionDeps,
  jobId: string,
  signal: AbortSignal,
): Promise<ExecutionOutcome> {
  const { store, pubsub, catalogue, logger } = deps;
  const publish = (row: Parameters<typeof toSnapshot>[0] | undefined) => {
    if (row) pubsub.publish("job:changed", row.id, toSnapshot(row));
  };

  // Every plugin and LLM call in flight listens to the job's signal; dozens at once is normal.
  setMaxListeners(256, signal);
  const row = await store.start(jobId);
  if (!row) return { outcome: "skipped" };
  publish(row);

  const definition = catalogue.find(row.kind);
  if (!definition) {
    publish(
      await store.finish(jobId, "failed", {
        error: invalid(`Unknown job kind ${JSON.stringify(row.kind)}.`),
      }),
    );
    return { outcome: "failed" };
  }
  if (row.cancel_requested || signal.aborted) {
    publish(await store.finish(jobId, "cancelled", {}));
    return { outcome: "cancelled" };
  }
  const parsed = definition.payload.safeParse(row.payload);
  if (!parsed.success) {
    const message = `Invalid ${row.kind} payload: ${parsed.error.message}`;
    publish(await store.finish(jobId, "failed", { error: invalid(message) }));
    return { outcome: "failed" };
  }

  const log = logger.child({ jobId, kind: row.kind, attempt: row.attempts });
  let lastWrite = 0;
  let lastStage = "";
  const progress = async (update: JobProgress) => {
    if (signal.aborted) throw new JobCancelledError(jobId);
    const now = Date.now();
    const finished = update.total !== null && update.done >= update.total;
    if (update.stage === lastStage && !finished && now - lastWrite < PROGRESS_INTERVAL_MS) return;
    lastWrite = now;
    lastStage = update.stage;
    const stored = await store.setProgress(jobId, update);
    publish(stored);
    if (!stored || stored.cancel_requested) throw new JobCancelledError(jobId);
  };

  log.info("job started");
  try {
    const result = await definition.process(
      { jobId, attempt: row.attempts, services: deps.services, signal, progress },
      parsed.data,
    );
    publish(await store.finish(jobId, "completed", { result }));
    log.info("job completed");
    return { outcome: "completed" };
  } catch (error) {
    if (signal.aborted && signal.reason === SHUTDOWN) {
      publish(
        await store.requeue(jobId, {
          code: "INTERRUPTED",
          message: "The process stopped.",
          retryable: true,
        }),
      );
      log.info("job interrupted by shutdown; queued again");
      return { outcome: "skipped" };
    }
    if (error instanceof JobCancelledError || signal.aborted) {
      publish(await store.finish(jobId, "cancelled", {}));
      log.info("job cancelled");
      return { outcome: "cancelled" };
    }
    const jobError: JobError = {
      code:
        (error as { code?: string }).code && typeof (error as { code?: unknown }).code === "string"
          ? String((error as { code: string }).code)
          : "FAILED",
      message: error instanceof Error ? error.message : String(error),
      retryable: isRetryable(error),
    };
    if (jobError.retryable && row.attempts < definition.attempts) {
      log.warn({ err: error }, "job attempt failed; retrying");
      publish(await store.requeue(jobId, jobError));
      return {
        outcome: "retry",
        error: jobError,
        attempt: row.attempts,
        backoffMs: definition.backoffMs * 2 ** (row.attempts - 1),
      };
    }
    if (error instanceof TailorError) {
      // An expected failure (invalid input, a missing dataset): its message is the whole story.
      log.warn({ code: jobError.code, reason: jobError.message }, "job failed");
    } else {
      log.error({ err: error }, "job failed");
    }
    publish(await store.finish(jobId, "failed", { error: jobError }));
    return { outcome: "failed" };
  }
}

function invalid(message: string): JobError {
  return { code: "INVALID_PAYLOAD", message, retryable: false };
}

export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.has(status as never);
}
