import type { z } from "zod";
import type { AspectDetector } from "./aspect-detector.ts";
import type { PluginConversation } from "./conversation.ts";
import type { GroupClassifierFactory } from "./group-classifier.ts";
import type { IntentClassifier, IntentTaxonomy } from "./intent-classifier.ts";
import type { LlmProvider } from "./llm-provider.ts";
import type { SatisfactionJudge } from "./satisfaction-judge.ts";
import {
  type AspectDeclaration,
  aspectDeclarationSchema,
  aspectValuesSchema,
  capabilityIdSchema,
  type GroupAssignment,
  groupAssignmentSchema,
  groupNameSchema,
  type IntentAssignment,
  intentAssignmentSchema,
  intentIdSchema,
  type TurnJudgment,
  turnJudgmentSchema,
  UNKNOWN_GROUP,
} from "./schemas.ts";
import type { Trainer } from "./trainer.ts";

/**
 * The checks behind the plugin contract, shared by the host (which applies them to every
 * registration and every output) and the contract test kit. Each returns the problems found,
 * as sentences; an empty list means the value keeps the contract.
 */

/** An output that passed its checks, or the problems that made it invalid. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Formats zod issues as `path: message` sentences. */
export function describeIssues(error: z.ZodError, prefix = ""): string[] {
  return error.issues.map((issue) => {
    const at = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return at ? `${at}: ${issue.message}` : issue.message;
  });
}

function checkId(id: unknown): string[] {
  const parsed = capabilityIdSchema.safeParse(id);
  return parsed.success ? [] : describeIssues(parsed.error, "id");
}

function checkIdentity(capability: { id?: unknown; description?: unknown }): string[] {
  const problems = checkId(capability.id);
  if (typeof capability.description !== "string" || capability.description.trim() === "") {
    problems.push("description: must be a non-empty sentence");
  }
  return problems;
}

function checkMethods(capability: object, names: readonly string[]): string[] {
  const record = capability as Record<string, unknown>;
  return names
    .filter((name) => typeof record[name] !== "function")
    .map((name) => `${name}: must be a function`);
}

export function checkGroupClassifierFactory(factory: GroupClassifierFactory<unknown>): string[] {
  const problems = [...checkIdentity(factory), ...checkMethods(factory, ["create"])];
  const schema = factory.optionsSchema as { safeParse?: unknown } | undefined;
  if (typeof schema?.safeParse !== "function") {
    problems.push("optionsSchema: must be a zod schema (use z.object({}) for no options)");
  }
  return problems;
}

/** Checks the groups a classifier declares: non-empty, unique, and never `unknown`. */
export function checkDeclaredGroups(groups: unknown): string[] {
  if (!Array.isArray(groups) || groups.length === 0) {
    return ["groups: must be a non-empty array of group names"];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  groups.forEach((group, index) => {
    const parsed = groupNameSchema.safeParse(group);
    if (!parsed.success) problems.push(...describeIssues(parsed.error, `groups.${index}`));
    else if (group === UNKNOWN_GROUP) {
      problems.push(`groups.${index}: "${UNKNOWN_GROUP}" is implied and must not be declared`);
    } else if (seen.has(group)) problems.push(`groups.${index}: "${group}" is declared twice`);
    seen.add(String(group));
  });
  return problems;
}

export function checkGroupAssignment(
  output: unknown,
  groups: readonly string[],
): Checked<GroupAssignment> {
  const parsed = groupAssignmentSchema.safeParse(output);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  const { group } = parsed.data;
  if (group !== UNKNOWN_GROUP && !groups.includes(group)) {
    const declared = [...groups, UNKNOWN_GROUP].map((name) => JSON.stringify(name)).join(", ");
    return {
      ok: false,
      problems: [`group: "${group}" is not declared; expected one of ${declared}`],
    };
  }
  return { ok: true, value: parsed.data };
}

/** Checks a taxonomy: at least one domain, each with at least one task, all ids valid. */
export function checkTaxonomy(taxonomy: unknown): string[] {
  if (typeof taxonomy !== "object" || taxonomy === null || Array.isArray(taxonomy)) {
    return ["taxonomy: must be an object of domain id → task ids"];
  }
  const entries = Object.entries(taxonomy as Record<string, unknown>);
  if (entries.length === 0) return ["taxonomy: must declare at least one domain"];
  const problems: string[] = [];
  for (const [domain, tasks] of entries) {
    const domainId = intentIdSchema.safeParse(domain);
    if (!domainId.success) problems.push(...describeIssues(domainId.error, `taxonomy.${domain}`));
    if (!Array.isArray(tasks) || tasks.length === 0) {
      problems.push(`taxonomy.${domain}: must list at least one task`);
      continue;
    }
    const seen = new Set<unknown>();
    tasks.forEach((task, index) => {
      const taskId = intentIdSchema.safeParse(task);
      if (!taskId.success) {
        problems.push(...describeIssues(taskId.error, `taxonomy.${domain}.${index}`));
      }
      if (seen.has(task)) problems.push(`taxonomy.${domain}.${index}: "${task}" is listed twice`);
      seen.add(task);
    });
  }
  return problems;
}

export function checkIntentClassifier(classifier: IntentClassifier): string[] {
  return [
    ...checkIdentity(classifier),
    ...checkMethods(classifier, ["classify"]),
    ...checkTaxonomy(classifier.taxonomy),
  ];
}

export function checkIntentAssignment(
  output: unknown,
  taxonomy: IntentTaxonomy,
): Checked<IntentAssignment> {
  const parsed = intentAssignmentSchema.safeParse(output);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  const { domain, task } = parsed.data;
  const tasks = Object.hasOwn(taxonomy, domain) ? taxonomy[domain] : undefined;
  if (!tasks) {
    return { ok: false, problems: [`domain: "${domain}" is not in the classifier's taxonomy`] };
  }
  if (!tasks.includes(task)) {
    return {
      ok: false,
      problems: [`task: "${task}" is not a task of domain "${domain}" in the taxonomy`],
    };
  }
  return { ok: true, value: parsed.data };
}

export function checkSatisfactionJudge(judge: SatisfactionJudge): string[] {
  return [...checkIdentity(judge), ...checkMethods(judge, ["judge"])];
}

/** Checks that the judgments cover every assistant message exactly once, and nothing else. */
export function checkTurnJudgments(
  output: unknown,
  conversation: PluginConversation,
): Checked<TurnJudgment[]> {
  if (!Array.isArray(output)) {
    return { ok: false, problems: ["judgments: must be an array of turn judgments"] };
  }
  const problems: string[] = [];
  const judgments: TurnJudgment[] = [];
  const seen = new Set<number>();
  output.forEach((item, index) => {
    const parsed = turnJudgmentSchema.safeParse(item);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error, `judgments.${index}`));
      return;
    }
    const { messageIndex } = parsed.data;
    if (conversation.messages[messageIndex]?.role !== "assistant") {
      problems.push(
        `judgments.${index}.messageIndex: message ${messageIndex} is not an assistant message`,
      );
    } else if (seen.has(messageIndex)) {
      problems.push(`judgments.${index}.messageIndex: message ${messageIndex} is judged twice`);
    }
    seen.add(messageIndex);
    judgments.push(parsed.data);
  });
  conversation.messages.forEach((message, messageIndex) => {
    if (message.role === "assistant" && !seen.has(messageIndex)) {
      problems.push(`judgments: assistant message ${messageIndex} has no judgment`);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: judgments };
}

/** Checks a detector's declared aspects: valid and unique within the detector. */
export function checkAspectDetector(detector: AspectDetector): string[] {
  const problems = [...checkId(detector.id), ...checkMethods(detector, ["detect"])];
  if (!Array.isArray(detector.aspects) || detector.aspects.length === 0) {
    return [...problems, "aspects: must declare at least one aspect"];
  }
  const seen = new Set<string>();
  detector.aspects.forEach((aspect, index) => {
    const parsed = aspectDeclarationSchema.safeParse(aspect);
    if (!parsed.success) problems.push(...describeIssues(parsed.error, `aspects.${index}`));
    else if (seen.has(parsed.data.name)) {
      problems.push(`aspects.${index}: "${parsed.data.name}" is declared twice`);
    } else seen.add(parsed.data.name);
  });
  return problems;
}

/**
 * Checks a detector's output and completes it: every declared aspect present, those left out
 * as `false`.
 */
export function checkAspectValues(
  output: unknown,
  aspects: readonly AspectDeclaration[],
): Checked<Record<string, boolean>> {
  const parsed = aspectValuesSchema.safeParse(output);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  const declared = new Set(aspects.map((aspect) => aspect.name));
  const undeclared = Object.keys(parsed.data).filter((name) => !declared.has(name));
  if (undeclared.length > 0) {
    return {
      ok: false,
      problems: undeclared.map((name) => `${name}: is not a declared aspect of this detector`),
    };
  }
  const complete: Record<string, boolean> = {};
  for (const aspect of aspects) complete[aspect.name] = parsed.data[aspect.name] ?? false;
  return { ok: true, value: complete };
}

export function checkLlmProvider(provider: LlmProvider): string[] {
  return [...checkIdentity(provider), ...checkMethods(provider, ["chat"])];
}

export function checkTrainer(trainer: Trainer): string[] {
  return [...checkIdentity(trainer), ...checkMethods(trainer, ["submit", "status", "stop"])];
}
