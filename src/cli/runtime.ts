import { type App, createApp } from "../app.ts";
import { loadConfig } from "../config.ts";
import {
  JobDocument,
  type JobFieldsFragment,
  JobProgressDocument,
} from "../graphql/generated/graphql.ts";
import { createLogger } from "../logger.ts";
import { InProcessGraphQL } from "./graphql-client.ts";
import { ProgressView } from "./progress.ts";

export interface CliContext {
  app: App;
  graphql: InProcessGraphQL;
}

/** Opens the app for one CLI command and closes it afterwards, whatever happens. */
export async function withApp<T>(
  run: (context: CliContext) => Promise<T>,
  role: "api" | "worker" = "api",
): Promise<T> {
  const config = loadConfig();
  // CLI output goes to stdout and failures are printed as one line, so logs stay quiet
  // unless LOG_LEVEL requests them.
  const logger = createLogger(process.env.LOG_LEVEL || "error");
  const app = await createApp(config, { logger, role });
  try {
    return await run({ app, graphql: new InProcessGraphQL(app) });
  } finally {
    await app.close();
  }
}

/** Follows a job to its end through the `jobProgress` subscription, drawing a progress bar. */
export async function followJob(
  graphql: InProcessGraphQL,
  jobId: string,
  options: { progressBar: boolean },
): Promise<JobFieldsFragment> {
  const view = new ProgressView(options.progressBar && process.stderr.isTTY === true);
  let last: JobFieldsFragment | undefined;
  try {
    for await (const { jobProgress } of graphql.subscribe(JobProgressDocument, { id: jobId })) {
      last = jobProgress;
      view.update(jobProgress);
    }
  } finally {
    view.stop();
  }
  if (!last || !["COMPLETED", "FAILED", "CANCELLED"].includes(last.status)) {
    const { job } = await graphql.request(JobDocument, { id: jobId });
    if (!job) throw new Error(`Job ${jobId} disappeared while running.`);
    last = job;
  }
  return last;
}

/** Prints a value as JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Fails the command with a message for the user; exit code 1. */
export class CliError extends Error {
  override name = "CliError";
}
