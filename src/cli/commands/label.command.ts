import type { Command } from "commander";
import {
  CreateGroupingDocument,
  GroupingsDocument,
  LabelConversationsDocument,
} from "../../graphql/generated/graphql.ts";
import { GROUPING_PRESETS } from "../../services/grouping.service.ts";
import type { LabelSummary } from "../../services/labelling.service.ts";
import { type CliContext, CliError, followJob, printJson, withApp } from "../runtime.ts";

interface LabelOptions {
  dataset: string;
  grouping?: string[];
  intent?: string;
  judge?: string;
  json?: boolean;
}

export function registerLabelCommands(program: Command): void {
  program
    .command("label")
    .description(
      "Label a dataset: each conversation's groups and intent, each assistant turn's satisfaction",
    )
    .requiredOption("--dataset <name>", "dataset to label")
    .option(
      "--grouping <name...>",
      `groupings to label (default: all; presets created on first use: ${Object.keys(GROUPING_PRESETS).join(", ")})`,
    )
    .option("--intent <id>", "intent classifier id (default: the configured default)")
    .option("--judge <id>", "satisfaction judge id (default: the configured default)")
    .option("--json", "print the counts as one JSON object")
    .action((options: LabelOptions) =>
      withApp(async (context) => {
        const summary = await runLabelling(context, options, !options.json);
        if (options.json) printJson(summary);
        else printSummary(summary);
      }),
    );

  program
    .command("grouping")
    .description("Create a grouping: a way of splitting users into groups")
    .argument("<name>", `grouping name, or a preset: ${Object.keys(GROUPING_PRESETS).join(", ")}`)
    .option("--classifier <id>", "group classifier id, e.g. metadata or heuristic-expertise")
    .option("--options <json>", "the classifier's options as JSON")
    .action((name: string, options: { classifier?: string; options?: string }) =>
      withApp(async ({ graphql }) => {
        const created = await createGroupingFromCli(graphql, name, options);
        process.stdout.write(
          `Created grouping "${created.name}" (${created.classifier}): ${created.declaredGroups.join(", ")}\n`,
        );
      }),
    );
}

/** Creates the named preset groupings that do not exist yet, then runs the labelling job. */
export async function runLabelling(
  { graphql }: CliContext,
  options: { dataset: string; grouping?: string[]; intent?: string; judge?: string },
  progressBar: boolean,
): Promise<LabelSummary> {
  const { groupings } = await graphql.request(GroupingsDocument, {});
  const existing = new Set(groupings.map((grouping) => grouping.name));
  for (const name of options.grouping ?? []) {
    if (!existing.has(name) && GROUPING_PRESETS[name])
      await createGroupingFromCli(graphql, name, {});
  }
  if ((options.grouping ?? []).length === 0 && existing.size === 0) {
    throw new CliError(
      `No groupings exist yet; pass --grouping with a preset (${Object.keys(GROUPING_PRESETS).join(", ")}) or create one with \`tailor grouping\`.`,
    );
  }
  const { labelConversations } = await graphql.request(LabelConversationsDocument, {
    input: {
      dataset: options.dataset,
      ...(options.grouping ? { groupings: options.grouping } : {}),
      ...(options.intent ? { intent: options.intent } : {}),
      ...(options.judge ? { judge: options.judge } : {}),
    },
  });
  if (labelConversations.__typename !== "MutationLabelConversationsSuccess") {
    throw new CliError(labelConversations.message);
  }
  const job = await followJob(graphql, labelConversations.data.id, { progressBar });
  if (job.status !== "COMPLETED") {
    throw new CliError(
      `Labelling ${job.status.toLowerCase()}: ${job.error?.message ?? "no error recorded"}`,
    );
  }
  return job.result as LabelSummary;
}

async function createGroupingFromCli(
  graphql: CliContext["graphql"],
  name: string,
  options: { classifier?: string; options?: string },
) {
  const preset = GROUPING_PRESETS[name];
  let parsedOptions: unknown = preset?.options ?? {};
  if (options.options) {
    try {
      parsedOptions = JSON.parse(options.options);
    } catch (error) {
      throw new CliError(`--options is not valid JSON: ${(error as Error).message}`);
    }
  }
  const classifier = options.classifier ?? preset?.classifier;
  if (!classifier) {
    throw new CliError(`Grouping "${name}" is not a preset; pass --classifier (and --options).`);
  }
  const { createGrouping } = await graphql.request(CreateGroupingDocument, {
    input: { name, classifier, options: parsedOptions },
  });
  if (createGrouping.__typename !== "MutationCreateGroupingSuccess")
    throw new CliError(createGrouping.message);
  return createGrouping.data;
}

function printSummary(summary: LabelSummary): void {
  const out = process.stdout;
  out.write(`Labelled ${summary.conversations} conversations of "${summary.dataset}".\n`);
  for (const [grouping, groups] of Object.entries(summary.groups)) {
    out.write(`\n${grouping} (${summary.plugins.groupings[grouping]})\n`);
    for (const [group, count] of Object.entries(groups))
      out.write(`  ${group.padEnd(24)} ${count}\n`);
  }
  out.write(`\nintents (${summary.plugins.intent})\n`);
  for (const [intent, count] of Object.entries(summary.intents))
    out.write(`  ${intent.padEnd(32)} ${count}\n`);
  out.write(`\nassistant turns (${summary.plugins.judge})\n`);
  for (const [judgment, count] of Object.entries(summary.judgments))
    out.write(`  ${judgment.padEnd(6)} ${count}\n`);
  if (summary.failures > 0)
    out.write(`\n${summary.failures} plugin failures; see label_failures.\n`);
}
