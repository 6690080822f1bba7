import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { ImportConversationsDocument } from "../../graphql/generated/graphql.ts";
import { GROUPING_PRESETS } from "../../services/grouping.service.ts";
import { renderRubricTable } from "../rubric-table.ts";
import { type CliContext, CliError, followJob, printJson, withApp } from "../runtime.ts";
import { runExtraction } from "./extract.command.ts";
import { runLabelling } from "./label.command.ts";
import { renderPlan, requestPlan } from "./plan.command.ts";

const DEMO_FILE = fileURLToPath(
  new URL("../../../examples/demo-conversations.jsonl", import.meta.url),
);

const DEMO_QUESTION =
  "I get this error in Python: TypeError: 'NoneType' object is not subscriptable. My script crashes when it reads the config file. How do I fix this bug?";

interface DemoOptions {
  input?: string;
  dataset?: string;
  grouping: string;
  json?: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description(
      "Run the whole offline pipeline: import, label, extract rubrics, and plan one tailored answer",
    )
    .option("--input <file>", "conversation log to use (default: the bundled synthetic example)")
    .option("--dataset <name>", "dataset name (default: demo, or the input file's name)")
    .option(
      "--grouping <name>",
      `grouping preset: ${Object.keys(GROUPING_PRESETS).join(", ")}`,
      "us-vs-rest",
    )
    .option("--json", "print everything as one JSON object")
    .action((options: DemoOptions) => withApp((context) => runDemo(context, options)));
}

async function runDemo(context: CliContext, options: DemoOptions): Promise<void> {
  const preset = GROUPING_PRESETS[options.grouping];
  if (!preset) {
    throw new CliError(
      `Unknown grouping preset ${JSON.stringify(options.grouping)}; use one of ${Object.keys(GROUPING_PRESETS).join(", ")}.`,
    );
  }
  const file = path.resolve(options.input ?? DEMO_FILE);
  const dataset =
    options.dataset ?? (options.input ? path.basename(file).replace(/\.[^.]+$/, "") : "demo");
  const say = (text: string) => {
    if (!options.json) process.stdout.write(text);
  };

  say(`1/4 Importing ${path.relative(process.cwd(), file) || file} into "${dataset}"\n`);
  const { importConversations } = await context.graphql.request(ImportConversationsDocument, {
    input: { dataset, path: file, format: "AUTO" },
  });
  if (importConversations.__typename !== "MutationImportConversationsSuccess")
    throw new CliError(importConversations.message);
  const importJob = await followJob(context.graphql, importConversations.data.id, {
    progressBar: !options.json,
  });
  if (importJob.status !== "COMPLETED")
    throw new CliError(`Import failed: ${importJob.error?.message ?? importJob.status}`);
  const imported = importJob.result as {
    imported: number;
    duplicates: number;
    rejectedCount?: number;
  };
  say(
    `    ${imported.imported} new, ${imported.duplicates} already there, ${imported.rejectedCount ?? 0} rejected\n`,
  );

  say(`2/4 Labelling groups (${options.grouping}), intents and satisfaction\n`);
  const labels = await runLabelling(
    context,
    { dataset, grouping: [options.grouping] },
    !options.json,
  );
  const judgments = labels.judgments;
  say(
    `    groups ${JSON.stringify(labels.groups[options.grouping])}; turns SAT ${judgments.SAT}, DSAT ${judgments.DSAT}, NA ${judgments.NA}\n`,
  );

  say(
    "3/4 Extracting rubrics (1000 label permutations per test, with the label-shuffle control)\n\n",
  );
  const { summary, rubrics } = await runExtraction(
    context,
    { dataset, grouping: options.grouping },
    !options.json,
  );
  say(renderRubricTable(rubrics));

  const sample = samplePlanInput(options.grouping);
  say(
    `\n4/4 Tailoring plan for: "${sample.messages[0]!.content}" (user metadata ${JSON.stringify(sample.userMetadata)})\n\n`,
  );
  const plan = await requestPlan(context, { ...sample, grouping: options.grouping });
  say(renderPlan(plan));

  if (options.json)
    printJson({ dataset, import: importJob.result, labels, extraction: summary, rubrics, plan });
}

function samplePlanInput(grouping: string) {
  const userMetadata = grouping === "expertise" ? {} : { country: "United States" };
  return { messages: [{ role: "USER" as const, content: DEMO_QUESTION }], userMetadata };
}
