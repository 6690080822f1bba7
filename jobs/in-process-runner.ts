import { setTimeout as sleep } from "node:timers/promises";
import type { JobRow } from "../src/db/tables.ts";
import { NotFoundError } from "../src/errors.ts";
import { type ExecutionDeps, executeJob, isTerminal, SHUTDOWN } from "./execute.ts";
import { toSnapshot } from "./progress-bus.ts";
import type { JobRunner } from "./runner.ts";
import { waitForTerminal } from "./watch-job.ts";

/**
 * Runs jobs in this process with the same processors the BullMQ workers use: the embedded
 * default, and what the CLI uses without REDIS_URL. Jobs interrupted by a crash stay
 * `running` in the table; `resumeInterrupted` puts them back on the next start.
 */
export class InProcessRunner implements JobRunner {
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<void> }
  >();
  private closed = false;

  constructor(private readonly deps: ExecutionDeps) {}

  async enqueue(kind: string, payload: unknown): Promise<JobRow> {
    const definition = this.deps.catalogue.get(kind);
    const parsed = definition.payload.parse(payload);
    definition.checkEnqueue?.(parsed, this.deps.services);
    const row = await this.deps.store.create(kind, parsed);
    this.launch(row.id);
    return row;
  }

  /** Restarts jobs that a previous process left queued or running. */
  async resumeInterrupted(): Promise<number> {
    const rows = await this.deps.services.db
      .selectFrom("jobs")
      .select("id")
      .where("status", "in", ["queued", "running"])
      .execute();
    for (const row of rows) if (!this.running.has(row.id)) this.launch(row.id);
    return rows.length;
  }

  async cancel(jobId: string): Promise<JobRow> {
    const row = await this.deps.store.requestCancel(jobId);
    if (!row) throw new NotFoundError("Job", jobId);
    const active = this.running.get(jobId);
    if (active) {
      active.controller.abort();
      await active.done;
    } else if (row.status === "queued") {
      const finished = await this.deps.store.finish(jobId, "cancelled", {});
      if (finished) this.deps.pubsub.publish("job:changed", jobId, toSnapshot(finished));
    }
    const after = await this.deps.store.find(jobId);
    if (!after) throw new NotFoundError("Job", jobId);
    return after;
  }

  waitFor(jobId: string, timeoutMs = 10 * 60_000): Promise<JobRow> {
    return waitForTerminal(this.deps.store, this.deps.pubsub, jobId, timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { controller } of this.running.values()) controller.abort(SHUTDOWN);
    await Promise.allSettled([...this.running.values()].map((entry) => entry.done));
  }

  private launch(jobId: string): void {
    const controller = new AbortController();
    const done = this.runWithRetries(jobId, controller.signal)
      .catch((error) => this.deps.logger.error({ err: error, jobId }, "job runner failed"))
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, { controller, done });
  }

  private async runWithRetries(jobId: string, signal: AbortSignal): Promise<void> {
    // Let the caller see the queued row before the job starts.
    await Promise.resolve();
    for (;;) {
      if (this.closed) return;
      const result = await executeJob(this.deps, jobId, signal);
      if (result.outcome !== "retry") return;
      await sleep(result.backoffMs, undefined, { signal }).catch(() => undefined);
      if (signal.aborted && signal.reason !== SHUTDOWN) {
        const finished = await this.deps.store.finish(jobId, "cancelled", {});
        if (finished) this.deps.pubsub.publish("job:changed", jobId, toSnapshot(finished));
        return;
      }
    }
  }
}

export { isTerminal };
