/**
 * Contract test kit for plugin authors. Each `check…` function runs a capability the way the
 * host does and returns the contract violations it finds, as sentences. An empty list means
 * the capability keeps its kind's contract. The kit is framework-free, so any runner works:
 *
 *   const problems = await checkGroupClassifierContract(myFactory, {
 *     options: { field: "plan" },
 *     sampleConversations,
 *   });
 *   expect(problems).toEqual([]);
 *
 * Besides the given samples, every check also feeds the capability edge cases that real logs
 * contain (`EDGE_CASE_CONVERSATIONS`): no messages, no metadata, empty text, Chinese text, a
 * very long message and an unanswered last turn. Inputs are deeply frozen, so a capability
 * that mutates them fails with a TypeError (plugin modules run in strict mode).
 */
import type { AspectDetector, DetectorInput } from "./aspect-detector.ts";
import type { PluginConversation } from "./conversation.ts";
import { PLUGIN_API_VERSION, type PluginDefinition, type PluginKind } from "./define-plugin.ts";
import type { GroupClassifierFactory } from "./group-classifier.ts";
import type { IntentClassifier } from "./intent-classifier.ts";
import type { LlmProvider } from "./llm-provider.ts";
import type { SatisfactionJudge } from "./satisfaction-judge.ts";
import { EDGE_CASE_CONVERSATIONS, EDGE_CASE_REPLIES } from "./testing-samples.ts";
import type { Trainer } from "./trainer.ts";
import {
  type Checked,
  checkAspectDetector,
  checkAspectValues,
  checkDeclaredGroups,
  checkGroupAssignment,
  checkGroupClassifierFactory,
  checkIntentAssignment,
  checkIntentClassifier,
  checkLlmProvider,
  checkSatisfactionJudge,
  checkTrainer,
  checkTurnJudgments,
  describeIssues,
} from "./validation.ts";

export { EDGE_CASE_CONVERSATIONS, EDGE_CASE_REPLIES };

/** Settings of every contract check. */
export interface ContractCheckOptions {
  /** Maximum time one call may take, in ms; the host's default timeout is 5000. */
  timeoutMs?: number;
  /** Also require the same output for the same input (true for rule-based plugins). */
  deterministic?: boolean;
}

export interface ConversationContractOptions extends ContractCheckOptions {
  /** Conversations like the ones the plugin is meant for; the edge cases are added to them. */
  sampleConversations: readonly PluginConversation[];
}

/** Freezes a value and everything it contains. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Runs one call as the host would, and checks its output; returns problems. */
async function probe<T>(
  label: string,
  call: (signal: AbortSignal) => unknown,
  check: (output: unknown) => Checked<T>,
  options: ContractCheckOptions,
): Promise<string[]> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const outputs: string[] = [];
  const runs = options.deterministic ? 2 : 1;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    let output: unknown;
    try {
      output = await call(new AbortController().signal);
    } catch (error) {
      return [`${label}: threw "${error instanceof Error ? error.message : String(error)}"`];
    }
    const elapsed = performance.now() - started;
    if (elapsed > timeoutMs) {
      return [`${label}: took ${Math.round(elapsed)} ms, more than the ${timeoutMs} ms timeout`];
    }
    const checked = check(output);
    if (!checked.ok) return checked.problems.map((problem) => `${label}: ${problem}`);
    outputs.push(JSON.stringify(checked.value));
  }
  if (outputs.length === 2 && outputs[0] !== outputs[1]) {
    return [`${label}: returned ${outputs[0]} and then ${outputs[1]} for the same input`];
  }
  return [];
}

function conversationsOf(options: ConversationContractOptions): PluginConversation[] {
  if (options.sampleConversations.length === 0) {
    throw new Error("Give at least one sample conversation to check the contract against.");
  }
  return deepFreeze(structuredClone([...options.sampleConversations, ...EDGE_CASE_CONVERSATIONS]));
}

/**
 * Checks a group classifier factory: its id, description and options schema, and that the
 * options parse and `create` builds a classifier with valid groups. Then checks that
 * `classify` returns a declared group or `unknown`, with a confidence in [0, 1], for every
 * conversation.
 */
export async function checkGroupClassifierContract(
  factory: GroupClassifierFactory<unknown>,
  options: ConversationContractOptions & { options: unknown },
): Promise<string[]> {
  const problems = checkGroupClassifierFactory(factory);
  if (problems.length > 0) return problems;
  const parsed = factory.optionsSchema.safeParse(options.options);
  if (!parsed.success) {
    return describeIssues(parsed.error, "options").map((issue) => `optionsSchema rejects ${issue}`);
  }
  let classifier: ReturnType<typeof factory.create>;
  try {
    classifier = factory.create(parsed.data);
  } catch (error) {
    return [`create: threw "${(error as Error).message}" for valid options`];
  }
  const groupProblems = checkDeclaredGroups(classifier?.groups);
  if (groupProblems.length > 0) return groupProblems.map((problem) => `create: ${problem}`);
  const groups = [...classifier.groups];
  for (const conversation of conversationsOf(options)) {
    problems.push(
      ...(await probe(
        `classify(conversation ${JSON.stringify(conversation.id)})`,
        (signal) => classifier.classify(conversation, { signal }),
        (output) => checkGroupAssignment(output, groups),
        options,
      )),
    );
  }
  return problems;
}

/** Checks an intent classifier: identity, taxonomy, and outputs inside the taxonomy. */
export async function checkIntentClassifierContract(
  classifier: IntentClassifier,
  options: ConversationContractOptions,
): Promise<string[]> {
  const problems = checkIntentClassifier(classifier);
  if (problems.length > 0) return problems;
  for (const conversation of conversationsOf(options)) {
    problems.push(
      ...(await probe(
        `classify(conversation ${JSON.stringify(conversation.id)})`,
        (signal) => classifier.classify(conversation, { signal }),
        (output) => checkIntentAssignment(output, classifier.taxonomy),
        options,
      )),
    );
  }
  return problems;
}

/** Checks a satisfaction judge: one valid judgment per assistant message, and no other. */
export async function checkSatisfactionJudgeContract(
  judge: SatisfactionJudge,
  options: ConversationContractOptions,
): Promise<string[]> {
  const problems = checkSatisfactionJudge(judge);
  if (problems.length > 0) return problems;
  for (const conversation of conversationsOf(options)) {
    problems.push(
      ...(await probe(
        `judge(conversation ${JSON.stringify(conversation.id)})`,
        (signal) => judge.judge(conversation, { signal }),
        (output) => checkTurnJudgments(output, conversation),
        options,
      )),
    );
  }
  return problems;
}

/** Checks an aspect detector: declared aspects, and synchronous boolean output for them only. */
export async function checkAspectDetectorContract(
  detector: AspectDetector,
  options: ContractCheckOptions & { sampleReplies: readonly DetectorInput[] },
): Promise<string[]> {
  const problems = checkAspectDetector(detector);
  if (problems.length > 0) return problems;
  const replies = deepFreeze(structuredClone([...options.sampleReplies, ...EDGE_CASE_REPLIES]));
  for (const [index, reply] of replies.entries()) {
    problems.push(
      ...(await probe(
        `detect(reply ${index})`,
        () => {
          const output = detector.detect(reply);
          if (output instanceof Promise) throw new Error("detect must be synchronous");
          return output;
        },
        (output) => checkAspectValues(output, detector.aspects),
        options,
      )),
    );
  }
  return problems;
}

/** Capabilities a plugin registered during a test setup, by kind. */
export interface RegisteredCapabilities {
  groupClassifier: GroupClassifierFactory<unknown>[];
  intentClassifier: IntentClassifier[];
  satisfactionJudge: SatisfactionJudge[];
  aspectDetector: AspectDetector[];
  llmProvider: LlmProvider[];
  trainer: Trainer[];
}

const REGISTRATION_CHECKS: { [K in PluginKind]: (capability: never) => string[] } = {
  groupClassifier: checkGroupClassifierFactory,
  intentClassifier: checkIntentClassifier,
  satisfactionJudge: checkSatisfactionJudge,
  aspectDetector: checkAspectDetector,
  llmProvider: checkLlmProvider,
  trainer: checkTrainer,
};

/**
 * Sets a plugin up as the host would: options parsed by its schema, `setup` called once.
 * Returns the registered capabilities and the problems found, such as a wrong API version,
 * options its schema rejects, a throwing `setup`, invalid registrations, or no capability.
 */
export async function setUpPluginForTest(
  definition: PluginDefinition<unknown>,
  pluginOptions: Record<string, unknown> = {},
): Promise<{ problems: string[]; capabilities: RegisteredCapabilities }> {
  const capabilities: RegisteredCapabilities = {
    groupClassifier: [],
    intentClassifier: [],
    satisfactionJudge: [],
    aspectDetector: [],
    llmProvider: [],
    trainer: [],
  };

  const problems: string[] = [];
  if (typeof definition.name !== "string" || definition.name === "")
    problems.push("name: is missing");
  if (typeof definition.version !== "string" || definition.version === "") {
    problems.push("version: is missing");
  }
  if (definition.apiVersion !== PLUGIN_API_VERSION) {
    problems.push(`apiVersion: is ${definition.apiVersion}, expected ${PLUGIN_API_VERSION}`);
  }

  let options: unknown = pluginOptions;
  if (definition.optionsSchema) {
    const parsed = definition.optionsSchema.safeParse(pluginOptions);
    if (!parsed.success) return { problems: describeIssues(parsed.error, "options"), capabilities };
    options = parsed.data;
  } else if (Object.keys(pluginOptions).length > 0) {
    problems.push("options: given, but the plugin has no optionsSchema");
  }

  const register =
    <K extends PluginKind>(kind: K) =>
    (capability: RegisteredCapabilities[K][number]) => {
      const found = REGISTRATION_CHECKS[kind](capability as never);
      problems.push(...found.map((problem) => `${kind} registration: ${problem}`));
      (capabilities[kind] as unknown[]).push(capability);
    };

  const silent = { info() {}, warn() {}, error() {} };
  try {
    await definition.setup({
      options,
      logger: silent,
      registerGroupClassifier: register("groupClassifier") as never,
      registerIntentClassifier: register("intentClassifier"),
      registerSatisfactionJudge: register("satisfactionJudge"),
      registerAspectDetector: register("aspectDetector"),
      registerLlmProvider: register("llmProvider"),
      registerTrainer: register("trainer"),
    });
  } catch (error) {
    problems.push(`setup: threw "${(error as Error).message}"`);
  }

  if (Object.values(capabilities).every((list) => list.length === 0)) {
    problems.push("setup: registered no capability");
  }
  return { problems, capabilities };
}
