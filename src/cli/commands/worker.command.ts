import type { Command } from "commander";
import { loadConfig } from "../../config.ts";
import { runUntilSignal, startWorker } from "../../worker.ts";

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("Run jobs from the Redis queue (needs REDIS_URL and DATABASE_URL)")
    .action(async () => {
      const app = await startWorker(loadConfig());
      await runUntilSignal(app, () => app.close());
    });
}
