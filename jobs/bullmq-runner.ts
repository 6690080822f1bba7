import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { JobRow } from "../src/db/tables.ts";
import { NotFoundError } from "../src/errors.ts";
import { type ExecutionDeps, executeJob, SHUTDOWN } from "./execute.ts";
import { toSnapshot } from "./progress-bus.ts";
import type { JobRunner } from "./runner.ts";
import { waitForTerminal } from "./watch-job.ts";

export interface BullmqRunnerOptions {
  redisUrl: string;
  queueName: string;
  /** A worker that has not renewed a job's lock for this long is presumed dead. */
  lockMs: number;
  concurrency: number;
  /** Start a worker in this process (the `tailor worker` command) or only enqueue (the API). */
  consume: boolean;
}

interface QueueData {
  jobId: string;
}

/**
 * Jobs through BullMQ on Redis. The jobs table stays the source of truth: BullMQ only
 * carries the job id, so a lost queue entry never loses a job's status or result.
 *
 * Retries have one owner per failure class. A retryable failure inside a processor is
 * reported by `executeJob`, and BullMQ re-runs it with exponential backoff (attempts and
 * delay from the job catalogue). A worker that dies (SIGKILL, OOM) stops renewing its lock;
 * BullMQ's stalled-job check then gives the job to another worker, up to twice.
 */
export class BullmqRunner implements JobRunner {
  private readonly connection: Redis;
  private readonly queue: Queue<QueueData>;
  private worker: Worker<QueueData> | undefined;
  private workerConnection: Redis | undefined;
  private readonly active = new Map<string, AbortController>();

  constructor(
    private readonly deps: ExecutionDeps,
    private readonly options: BullmqRunnerOptions,
  ) {
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on("error", (error) =>
      deps.logger.warn({ err: error }, "redis connection error"),
    );
    this.queue = new Queue<QueueData>(options.queueName, { connection: this.connection });
    if (options.consume) this.startWorker();
  }

  async enqueue(kind: string, payload: unknown): Promise<JobRow> {
    const definition = this.deps.catalogue.get(kind);
    const parsed = definition.payload.parse(payload);
    definition.checkEnqueue?.(parsed, this.deps.services);
    const row = await this.deps.store.create(kind, parsed);
    await this.queue.add(
      kind,
      { jobId: row.id },
      {
        jobId: row.id,
        attempts: definition.attempts,
        backoff: { type: "exponential", delay: definition.backoffMs },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    );
    return row;
  }

  async cancel(jobId: string): Promise<JobRow> {
    const row = await this.deps.store.requestCancel(jobId);
    if (!row) throw new NotFoundError("Job", jobId);
    this.deps.pubsub.publish("job:cancel", jobId, { id: jobId });

    if (row.status === "queued") {
      const queued = await this.queue.getJob(jobId);
      const state = queued ? await queued.getState() : "unknown";
      if (!queued || state === "waiting" || state === "delayed" || state === "prioritized") {
        await queued?.remove().catch(() => undefined);
        const finished = await this.deps.store.finish(jobId, "cancelled", {});
        if (finished) this.deps.pubsub.publish("job:changed", jobId, toSnapshot(finished));
      }
    }
    const after = await this.deps.store.find(jobId);
    if (!after) throw new NotFoundError("Job", jobId);
    return after;
  }

  waitFor(jobId: string, timeoutMs = 10 * 60_000): Promise<JobRow> {
    return waitForTerminal(this.deps.store, this.deps.pubsub, jobId, timeoutMs);
  }

  async close(): Promise<void> {
    for (const controller of this.active.values()) controller.abort(SHUTDOWN);
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  private startWorker(): void {
    const { logger, pubsub } = this.deps;
    this.workerConnection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<QueueData>(
      this.options.queueName,
      async (job) => {
        const jobId = job.data.jobId;
        const controller = new AbortController();
        this.active.set(jobId, controller);
        const cancels = pubsub.subscribe("job:cancel", jobId);
        void (async () => {
          for await (const _ of cancels) {
            controller.abort();
            break;
          }
        })();
        try {
          const result = await executeJob(this.deps, jobId, controller.signal);
          if (result.outcome === "retry") {
            throw new Error(`${result.error.code}: ${result.error.message}`);
          }
          return result.outcome;
        } finally {
          this.active.delete(jobId);
          await cancels.return?.();
        }
      },
      {
        connection: this.workerConnection,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
        maxStalledCount: 2,
      },
    );
    this.worker.on("error", (error) => logger.error({ err: error }, "job worker error"));
    this.worker.on("failed", (job, error) => {
      // A job that stalled too often never reached `executeJob`'s own bookkeeping.
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      void this.deps.store
        .finish(job.data.jobId, "failed", {
          error: { code: "WORKER_FAILED", message: error.message, retryable: false },
        })
        .then((row) => {
          if (row) pubsub.publish("job:changed", row.id, toSnapshot(row));
        })
        .catch((storeError) =>
          logger.error({ err: storeError, jobId: job.data.jobId }, "could not store job failure"),
        );
    });
  }
}
