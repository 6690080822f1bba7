import path from "node:path";
import { BullmqRunner } from "../jobs/bullmq-runner.ts";
import type { JobCatalogue } from "../jobs/catalogue.ts";
import { InProcessRunner } from "../jobs/in-process-runner.ts";
import { createJobCatalogue } from "../jobs/index.ts";
import { JobStore } from "../jobs/job-store.ts";
import { createProgressBus, type TailorPubSub } from "../jobs/progress-bus.ts";
import type { JobRunner } from "../jobs/runner.ts";
import type { JobDefinition, JobServices } from "../jobs/types.ts";
import type { TailorConfig } from "./config.ts";
import { type DatabaseHandle, openDatabase } from "./db/database.ts";
import type { LlmAccess } from "./llm/llm-access.ts";
import { createLogger, type Logger } from "./logger.ts";
import { PluginHost } from "./plugin-host/plugin-host.ts";
import { buildLlmAccess } from "./services/llm-access.service.ts";

/** Everything a Tailor process needs, built once: the composition root. */
export interface App {
  config: TailorConfig;
  logger: Logger;
  database: DatabaseHandle;
  jobs: JobRunner;
  jobStore: JobStore;
  catalogue: JobCatalogue;
  pubsub: TailorPubSub;
  plugins: PluginHost;
  /** LLM clients per task; undefined when no LLM provider is configured. */
  llm: LlmAccess | undefined;
  services: JobServices;
  /**
   * Restarts jobs that a stopped process left queued or running, on the embedded default
   * (BullMQ does this by itself). `tailor serve` calls it once it listens, so that a heavy job
   * cannot keep the server from starting; one-shot CLI commands do not call it.
   */
  resumeInterruptedJobs(): Promise<number>;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  /** PGlite data folder override; tests pass `memory://`. */
  pgliteDataDir?: string;
  /** Postgres schema override; tests use one per file. */
  databaseSchema?: string;
  /**
   * `api`: enqueue only (with REDIS_URL, workers run the jobs); `worker`: also consume the
   * queue. Without REDIS_URL, jobs always run in this process.
   */
  role?: "api" | "worker";
  /** Job kinds added to the catalogue; tests use them to drive the runners. */
  extraJobs?: JobDefinition[];
}

export async function createApp(config: TailorConfig, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: options.pgliteDataDir ?? path.join(config.home, "pglite"),
    ...(options.databaseSchema || config.databaseSchema
      ? { schema: options.databaseSchema ?? config.databaseSchema }
      : {}),
  });
  const plugins = await PluginHost.load(config, logger).catch(async (error) => {
    await database.close();
    throw error;
  });
  const llm = await buildLlmAccess({ config, plugins, db: database.db, logger }).catch(
    async (error) => {
      await plugins.close();
      await database.close();
      throw error;
    },
  );
  const bus = createProgressBus(config.redisUrl);
  const catalogue = createJobCatalogue(options.extraJobs);
  const jobStore = new JobStore(database.db);
  const services: JobServices = { db: database.db, config, logger, plugins, llm };
  const deps = { store: jobStore, pubsub: bus.pubsub, catalogue, services, logger };

  let jobs: JobRunner;
  if (config.redisUrl) {
    jobs = new BullmqRunner(deps, {
      redisUrl: config.redisUrl,
      queueName: config.queueName,
      lockMs: config.jobLockMs,
      concurrency: config.workerConcurrency,
      consume: options.role === "worker",
    });
  } else {
    jobs = new InProcessRunner(deps);
  }

  return {
    config,
    logger,
    database,
    jobs,
    jobStore,
    catalogue,
    pubsub: bus.pubsub,
    plugins,
    llm,
    services,
    resumeInterruptedJobs: async () =>
      jobs instanceof InProcessRunner ? jobs.resumeInterrupted() : 0,
    async close() {
      await jobs.close();
      await bus.close();
      await plugins.close();
      await database.close();
    },
  };
}
