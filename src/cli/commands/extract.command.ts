import type { Command } from "commander";
import { ExtractRubricsDocument, RubricsDocument } from "../../graphql/generated/graphql.ts";
import type { ExtractSummary } from "../../services/extraction.service.ts";
import { renderRubricTable } from "../rubric-table.ts";
import { type CliContext, CliError, followJob, printJson, withApp } from "../runtime.ts";

export interface ExtractOptions {
  dataset: string;
  grouping: string;
  groups?: string;
  permutations?: string;
  seed?: string;
  threshold?: string;
  alpha?: string;
  minSupport?: string;
  json?: boolean;
}

export function registerExtractCommand(program: Command): void {
  program
    .command("extract")
    .description(
      "Extract per-intent rubrics of the aspects on which groups' satisfaction diverges (statistical, no LLM)",
    )
    .requiredOption("--dataset <name>", "labelled dataset")
    .requiredOption("--grouping <name>", "grouping whose groups are compared")
    .option("--groups <list>", "comma-separated groups to compare (default: all declared groups)")
    .option("--permutations <n>", "label permutations per test, at least 1000", "1000")
    .option("--seed <n>", "permutation seed", "1")
    .option("--threshold <l>", "keep aspects with significance above this (1–5)", "3")
    .option("--alpha <a>", "false discovery rate", "0.05")
    .option("--min-support <n>", "turns needed in each group × with/without cell", "10")
    .option("--json", "print the result as one JSON object")
    .action((options: ExtractOptions) =>
      withApp(async (context) => {
        const { summary, rubrics } = await runExtraction(context, options, !options.json);
        if (options.json) printJson({ ...summary, rubrics });
        else process.stdout.write(renderRubricTable(rubrics));
      }),
    );
}

function parseNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new CliError(`--${name} must be a number; got ${JSON.stringify(value)}.`);
  return parsed;
}

/** Runs the extraction job and returns its summary with the rubric versions it created. */
export async function runExtraction(
  { graphql }: CliContext,
  options: ExtractOptions,
  progressBar: boolean,
) {
  const groups = options.groups
    ?.split(",")
    .map((group) => group.trim())
    .filter(Boolean);
  const numbers = {
    permutations: parseNumber("permutations", options.permutations),
    seed: parseNumber("seed", options.seed),
    threshold: parseNumber("threshold", options.threshold),
    alpha: parseNumber("alpha", options.alpha),
    minSupport: parseNumber("min-support", options.minSupport),
  };
  const { extractRubrics } = await graphql.request(ExtractRubricsDocument, {
    input: {
      dataset: options.dataset,
      grouping: options.grouping,
      ...(groups?.length ? { groups } : {}),
      ...Object.fromEntries(Object.entries(numbers).filter(([, value]) => value !== undefined)),
    },
  });
  if (extractRubrics.__typename !== "MutationExtractRubricsSuccess")
    throw new CliError(extractRubrics.message);
  const job = await followJob(graphql, extractRubrics.data.id, { progressBar });
  if (job.status !== "COMPLETED") {
    throw new CliError(
      `Extraction ${job.status.toLowerCase()}: ${job.error?.message ?? "no error recorded"}`,
    );
  }
  const summary = job.result as ExtractSummary;
  const { rubrics } = await graphql.request(RubricsDocument, {
    filter: { grouping: options.grouping },
  });
  const created = new Set(summary.comparisons.map((comparison) => comparison.rubricId));
  return { summary, rubrics: rubrics.filter((rubric) => created.has(rubric.id)) };
}
