import type { z } from "zod";
import type { TailorConfig } from "../src/config.ts";
import type { Db } from "../src/db/database.ts";
import type { LlmAccess } from "../src/llm/llm-access.ts";
import type { Logger } from "../src/logger.ts";
import type { PluginHost } from "../src/plugin-host/plugin-host.ts";

/** Position of a job: a named stage and how far through it; `total` is null when unknown. */
export interface JobProgress {
  stage: string;
  done: number;
  total: number | null;
}

/** Services available to processors, built once per process by the composition root. */
export interface JobServices {
  db: Db;
  config: TailorConfig;
  logger: Logger;
  plugins: PluginHost;
  /** LLM clients per task; undefined when no LLM provider is configured. */
  llm?: LlmAccess | undefined;
}

export interface JobContext {
  jobId: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  services: JobServices;
  /** Aborted when the job is cancelled; pass it to long I/O. */
  signal: AbortSignal;
  /**
   * Records progress. Stores and publishes it (throttled), and throws `JobCancelledError`
   * when the job has been cancelled, so calling it regularly is also the cancellation check.
   */
  progress(progress: JobProgress): Promise<void>;
}

export interface JobDefinition<Payload extends z.ZodType = z.ZodType, Result = unknown> {
  kind: string;
  /** Validated at enqueue time and again when the processor starts. */
  payload: Payload;
  /** Total runs, first one included, for failures marked retryable. */
  attempts: number;
  /** Delay before the first retry in ms; doubles each time. */
  backoffMs: number;
  /**
   * Rejects a job at enqueue, after the payload schema, when this process cannot run it (a
   * missing service, say): throw the error the caller should see. The processor checks again,
   * because the worker that runs the job may be configured differently from the API process.
   */
  checkEnqueue?(payload: z.infer<Payload>, services: JobServices): void;
  process(context: JobContext, payload: z.infer<Payload>): Promise<Result>;
}

export function defineJob<Payload extends z.ZodType, Result>(
  definition: JobDefinition<Payload, Result>,
): JobDefinition<Payload, Result> {
  return definition;
}
