import type { App } from "./app.ts";
import { createApp } from "./app.ts";
import type { TailorConfig } from "./config.ts";
import { UnavailableError } from "./errors.ts";

/**
 * Starts a BullMQ worker process: it consumes the queue until SIGTERM or SIGINT, then lets
 * running jobs put themselves back in the queue and exits.
 */
export async function startWorker(config: TailorConfig): Promise<App> {
  if (!config.redisUrl) {
    throw new UnavailableError(
      "`tailor worker` needs REDIS_URL (and DATABASE_URL, shared with the API). Without Redis, jobs run inside `tailor serve` and the CLI.",
    );
  }
  const app = await createApp(config, { role: "worker" });
  app.logger.info(
    { queue: config.queueName, concurrency: config.workerConcurrency },
    "worker started",
  );
  return app;
}

/** Waits for SIGINT or SIGTERM, then runs `shutdown` once. */
export function runUntilSignal(app: App, shutdown: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.logger.info({ signal }, "shutting down");
      shutdown()
        .catch((error) => app.logger.error({ err: error }, "shutdown failed"))
        .finally(resolve);
    };
    process.once("SIGINT", () => stop("SIGINT"));
    process.once("SIGTERM", () => stop("SIGTERM"));
  });
}
