import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  type ChatRole,
  TailoringPlanDocument,
  type TailoringPlanInput,
  type TailoringPlanQuery,
} from "../../graphql/generated/graphql.ts";
import { paint } from "../rubric-table.ts";
import { type CliContext, CliError, printJson, withApp } from "../runtime.ts";

interface PlanOptions {
  message?: string;
  input?: string;
  metadata?: string;
  grouping?: string;
  group?: string;
  json?: boolean;
}

type PlanSuccess = Extract<
  TailoringPlanQuery["tailoringPlan"],
  { __typename: "QueryTailoringPlanSuccess" }
>["data"];

export function registerPlanCommand(program: Command): void {
  program
    .command("plan")
    .description(
      "Show how Tailor would answer a conversation: group, intent, rubric rules and the prompt",
    )
    .option("--message <text>", "the user's message")
    .option("--input <file>", 'JSON file with {"messages": [...], "userMetadata": {...}}')
    .option("--metadata <json>", 'user metadata as JSON, e.g. {"country": "India"}')
    .option("--grouping <name>", "grouping (default: the one with the newest rubric)")
    .option("--group <name>", "the user's group, skipping classification")
    .option("--json", "print the plan as JSON")
    .action((options: PlanOptions) =>
      withApp(async (context) => {
        const plan = await requestPlan(context, await readPlanInput(options));
        if (options.json) printJson(plan);
        else process.stdout.write(renderPlan(plan));
      }),
    );
}

async function readPlanInput(options: PlanOptions): Promise<TailoringPlanInput> {
  let messages: { role: string; content: string }[] = [];
  let userMetadata: unknown = null;
  if (options.input) {
    let parsed: { messages?: unknown; userMetadata?: unknown };
    try {
      parsed = JSON.parse(await readFile(options.input, "utf8"));
    } catch (error) {
      throw new CliError(
        `Could not read --input ${JSON.stringify(options.input)}: ${(error as Error).message}`,
      );
    }
    if (!Array.isArray(parsed.messages))
      throw new CliError(`--input ${options.input} has no "messages" array.`);
    messages = parsed.messages as typeof messages;
    userMetadata = parsed.userMetadata ?? null;
  }
  if (options.message) messages.push({ role: "user", content: options.message });
  if (messages.length === 0) throw new CliError("Give the conversation with --message or --input.");
  if (options.metadata) {
    try {
      userMetadata = JSON.parse(options.metadata);
    } catch (error) {
      throw new CliError(`--metadata is not valid JSON: ${(error as Error).message}`);
    }
  }
  return {
    messages: messages.map((message) => ({
      role: toChatRole(message.role),
      content: String(message.content),
    })),
    userMetadata,
    ...(options.grouping ? { grouping: options.grouping } : {}),
    ...(options.group ? { group: options.group } : {}),
  };
}

export async function requestPlan(
  { graphql }: CliContext,
  input: TailoringPlanInput,
): Promise<PlanSuccess> {
  const { tailoringPlan } = await graphql.request(TailoringPlanDocument, { input });
  if (tailoringPlan.__typename !== "QueryTailoringPlanSuccess")
    throw new CliError(tailoringPlan.message);
  return tailoringPlan.data;
}

export function renderPlan(plan: PlanSuccess): string {
  const group = plan.group.name ?? "unknown";
  const lines = [
    `grouping   ${plan.grouping}`,
    `group      ${group} (${plan.group.origin.source.toLowerCase()}${plan.group.origin.classifier ? `: ${plan.group.origin.classifier}` : ""}, confidence ${plan.group.origin.confidence.toFixed(2)})`,
    `intent     ${plan.intent.domain}/${plan.intent.task} (confidence ${plan.intent.origin.confidence.toFixed(2)})`,
    `rubric     ${plan.rubric ? `v${plan.rubric.version} ${plan.rubric.method} ${plan.rubric.comparison}` : "none"}`,
    `decision   ${plan.decision.personalize ? paint("personalize", "green") : paint("plain answer", "yellow")}: ${plan.decision.explanation}`,
    "",
    "messages to send:",
    ...plan.messages.map(
      (message) =>
        `  [${message.role.toLowerCase()}] ${message.content.replaceAll("\n", "\n    ")}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

function toChatRole(role: string): ChatRole {
  const upper = String(role).toUpperCase();
  if (upper === "USER" || upper === "ASSISTANT" || upper === "SYSTEM") return upper;
  throw new CliError(
    `Unknown role ${JSON.stringify(role)} in the conversation; use user, assistant or system.`,
  );
}
