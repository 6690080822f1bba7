import type { JobRow } from "../src/db/tables.ts";

/** Starts and cancels jobs; the in-process runner and the BullMQ runner share this contract. */
export interface JobRunner {
  /** Validates the payload, stores the job as `queued` and schedules it. */
  enqueue(kind: string, payload: unknown): Promise<JobRow>;
  /**
   * Asks a job to stop. A queued job ends `cancelled` at once; a running one stops at its next
   * progress report. Returns the job's row after the request.
   */
  cancel(jobId: string): Promise<JobRow>;
  /** Resolves when the job reaches a terminal state. */
  waitFor(jobId: string, timeoutMs?: number): Promise<JobRow>;
  close(): Promise<void>;
}
