import type { Command } from "commander";
import {
  CancelJobDocument,
  JobDocument,
  type JobFieldsFragment,
  JobsDocument,
} from "../../graphql/generated/graphql.ts";
import { CliError, printJson, withApp } from "../runtime.ts";

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("Show one job, or the most recent jobs")
    .argument("[jobId]", "job id; omit to list recent jobs")
    .option("--limit <n>", "number of jobs to list", "20")
    .option("--json", "print JSON")
    .action((jobId: string | undefined, options: { limit: string; json?: boolean }) =>
      withApp(async ({ graphql }) => {
        if (jobId) {
          const { job } = await graphql.request(JobDocument, { id: jobId });
          if (!job)
            throw new CliError(
              `Job ${JSON.stringify(jobId)} was not found; run \`tailor status\` to list jobs.`,
            );
          if (options.json) printJson(job);
          else process.stdout.write(`${describeJob(job)}\n`);
          return;
        }
        const { jobs } = await graphql.request(JobsDocument, {
          first: Number(options.limit) || 20,
        });
        const nodes = jobs.edges.map((edge) => edge.node);
        if (options.json) printJson(nodes);
        else if (nodes.length === 0) process.stdout.write("No jobs yet.\n");
        else for (const job of nodes) process.stdout.write(`${describeJob(job)}\n`);
      }),
    );
}

function describeJob(job: JobFieldsFragment): string {
  const progress = job.progress
    ? ` ${job.progress.stage} ${job.progress.done}${job.progress.total === null ? "" : `/${job.progress.total}`}`
    : "";
  const error = job.error ? ` — ${job.error.code}: ${job.error.message}` : "";
  return `${job.id}  ${job.kind.padEnd(8)} ${job.status.toLowerCase().padEnd(9)}${progress}${error}`;
}

/** `tailor cancel <jobId>`: stops a queued or running job. */
export function registerCancelCommand(program: Command): void {
  program
    .command("cancel")
    .description("Stop a queued or running job (a running one stops at its next progress report)")
    .argument("<jobId>", "job id, as `tailor status` lists it")
    .action((jobId: string) =>
      withApp(async ({ graphql }) => {
        const { cancelJob } = await graphql.request(CancelJobDocument, { id: jobId });
        if (cancelJob.__typename !== "MutationCancelJobSuccess")
          throw new CliError(cancelJob.message);
        process.stdout.write(`${describeJob(cancelJob.data)}\n`);
      }),
    );
}
