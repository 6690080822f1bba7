import type { JobContext } from "../../jobs/types.ts";
import type { Db } from "../db/database.ts";
import type { GroupingsTable } from "../db/tables.ts";
import {
  BudgetExceededError,
  type ChainSpec,
  PROMPT_VERSIONS,
  PriorityPool,
  RubricChains,
  TaskDroppedError,
} from "../llm/index.ts";
import { type ExplanationItem, ratableTurns } from "../prompts/index.ts";
import { JobUsageRecorder, requireLlm, stoppedByBudget } from "./llm-job-support.ts";
import {
  type ItemSource,
  type LlmComparisonOutcome,
  type LlmExtractionSettings,
  pipelineComparisons,
  storeLlmRubric,
} from "./llm-rubric.store.ts";
import type { Comparison } from "./rubric.repository.ts";

export interface LlmExtractRequest {
  dataset: { id: string; name: string };
  grouping: Pick<GroupingsTable, "id" | "name"> & { groups: string[] };
  groups: string[];
  settings: LlmExtractionSettings;
  budgetTokens?: number | undefined;
}

export interface LlmExtractSummary {
  dataset: string;
  grouping: string;
  groups: string[];
  method: "LLM";
  /** SAT and DSAT explanations read, over every intent and group. */
  explanations: number;
  comparisons: LlmComparisonOutcome[];
  stoppedByBudget: ReturnType<typeof stoppedByBudget>;
  emptyReason: string | null;
}

/** One side member: a conversation with its group, intent and ratable turns. */
interface Member {
  conversationId: number;
  group: string;
  domain: string;
  task: string;
  ratable: number;
}

/**
 * Extracts LLM rubrics from the stored preference explanations. Per intent and comparison,
 * each side's explanations go through the minibatch method, and the result is stored as a new
 * rubric version with method LLM. An explanation counts only while its turn's current
 * judgment is the one it explains. All comparisons run at once through one pool, the longest first. Minibatches are cut as
 * in the `label-llm` run that wrote the explanations (same order, same plan from ratable
 * turns), so running this after it sends the same prompts and is answered from the cache.
 */
export async function extractRubricsWithLlm(
  context: JobContext,
  request: LlmExtractRequest,
): Promise<LlmExtractSummary> {
  const llm = requireLlm(context.services, "LLM rubric extraction");
  const { db } = context.services;
  const budgetTokens = request.budgetTokens ?? llm.defaultBudgetTokens;
  const job = llm.forJob({
    signal: context.signal,
    ...(budgetTokens ? { budget: { maxTokens: budgetTokens } } : {}),
  });
  await context.progress({ stage: "load", done: 0, total: null });
  const members = await loadMembers(db, request);
  const { items, sources } = await loadExplanations(db, request);

  const comparisons = pipelineComparisons(request.groups);
  const byIntent = groupBy(members, (member) => `${member.domain}/${member.task}`);
  const specs: ChainSpec<Comparison>[] = [];
  for (const key of [...byIntent.keys()].sort()) {
    const intentMembers = byIntent.get(key)!;
    if (!intentMembers.some((member) => (items.get(member.conversationId)?.length ?? 0) > 0))
      continue;
    const { domain, task } = intentMembers[0]!;
    for (const comparison of comparisons) {
      const side = (groups: readonly string[]) =>
        intentMembers
          .filter((member) => groups.includes(member.group))
          .map((member) => ({ key: member.conversationId, capacity: member.ratable }));
      specs.push({
        meta: comparison.meta,
        intent: { domain, task },
        names: comparison.names,
        sides: [side(comparison.sideA), side(comparison.sideB)],
      });
    }
  }

  const usage = await JobUsageRecorder.start(db, context.jobId, job.usage);
  const pool = new PriorityPool(job.slots(["extraction"]));
  const pending = new Set<Promise<unknown>>();
  const outcomes: LlmComparisonOutcome[] = [];
  let failure: { error: unknown } | undefined;
  let budget: Parameters<typeof stoppedByBudget>[0];
  const chains: RubricChains<Comparison> = new RubricChains(
    job.client("extraction"),
    pool,
    request.settings,
    {
      track: (work) => {
        const settled = work
          .catch((error: unknown) => {
            if (error instanceof TaskDroppedError) return;
            if (error instanceof BudgetExceededError) budget ??= error;
            else failure ??= { error };
            pool.stop(error);
            chains.stop();
          })
          .finally(() => pending.delete(settled));
        pending.add(settled);
      },
      finished: async (finished) => {
        outcomes.push(
          await storeLlmRubric(db, {
            datasetId: request.dataset.id,
            groupingId: request.grouping.id,
            jobId: context.jobId,
            settings: request.settings,
            source: { plugin: job.plugin("extraction"), version: PROMPT_VERSIONS.extraction },
            finished,
            sourceOf: (id) => sources.get(id),
          }),
        );
      },
      stepped: async () => {
        const { done, total } = chains.progress();
        await context.progress({ stage: "extract", done, total });
        await usage.maybeSave();
      },
    },
  );
  try {
    for (const spec of specs) chains.add(spec);
    for (const member of members)
      chains.deliver(member.conversationId, items.get(member.conversationId) ?? []);
    while (pending.size > 0) await Promise.allSettled([...pending]);
  } finally {
    await usage.save();
  }
  if (failure) throw failure.error;

  const explanations = [...items.values()].reduce((sum, list) => sum + list.length, 0);
  return {
    dataset: request.dataset.name,
    grouping: request.grouping.name,
    groups: request.groups,
    method: "LLM",
    explanations,
    comparisons: outcomes.sort((left, right) =>
      `${left.domain}/${left.task}|${left.comparison.a}`.localeCompare(
        `${right.domain}/${right.task}|${right.comparison.a}`,
      ),
    ),
    stoppedByBudget: stoppedByBudget(budget),
    emptyReason:
      explanations === 0
        ? `No preference explanation of dataset "${request.dataset.name}" belongs to a conversation with a group among ${request.groups.join(", ")} and an intent; label the dataset with the label-llm job first.`
        : null,
  };
}

/** Conversations with a current group among the groups and a current intent, in id order. */
async function loadMembers(db: Db, request: LlmExtractRequest): Promise<Member[]> {
  const rows = await db
    .selectFrom("current_group_labels as label")
    .innerJoin("current_intent_labels as intent", "intent.conversation_id", "label.conversation_id")
    .innerJoin("conversations", "conversations.id", "label.conversation_id")
    .select([
      "label.conversation_id as id",
      "label.group_name as group",
      "intent.domain",
      "intent.task",
    ])
    .where("conversations.dataset_id", "=", request.dataset.id)
    .where("label.grouping_id", "=", request.grouping.id)
    .where("label.group_name", "in", request.groups)
    .orderBy("label.conversation_id")
    .execute();
  const ratable = new Map<number, number>();
  const ids = rows.map((row) => Number(row.id));
  for (let start = 0; start < ids.length; start += 1000) {
    const roles = await db
      .selectFrom("messages")
      .select(["conversation_id", "role"])
      .where("conversation_id", "in", ids.slice(start, start + 1000))
      .orderBy("conversation_id")
      .orderBy("position")
      .execute();
    for (const [id, messages] of groupBy(roles, (row) => Number(row.conversation_id))) {
      const conversation = {
        id: String(id),
        messages: messages.map(({ role }) => ({ role, content: "" })),
      };
      ratable.set(id, ratableTurns(conversation).length);
    }
  }
  return rows.map((row) => ({
    conversationId: Number(row.id),
    group: row.group,
    domain: row.domain,
    task: row.task,
    ratable: ratable.get(Number(row.id)) ?? 0,
  }));
}

/**
 * Reads the dataset's explanations whose turn's current judgment is the explained one, by
 * conversation in turn order, with ids `conversation:turnIndex` as the labelling run gave them.
 */
async function loadExplanations(db: Db, request: LlmExtractRequest) {
  const rows = await db
    .selectFrom("turn_explanations as explanation")
    .innerJoin("current_turn_judgments as judgment", (join) =>
      join
        .onRef("judgment.message_id", "=", "explanation.message_id")
        .onRef("judgment.plugin", "=", "explanation.plugin")
        .onRef("judgment.plugin_version", "=", "explanation.plugin_version")
        .onRef("judgment.judgment", "=", "explanation.judgment"),
    )
    .innerJoin("messages", "messages.id", "explanation.message_id")
    .innerJoin("conversations", "conversations.id", "explanation.conversation_id")
    .select([
      "explanation.message_id as messageId",
      "explanation.conversation_id as conversationId",
      "messages.position as position",
      "explanation.judgment as judgment",
      "explanation.intent as intent",
      "explanation.expectation as expectation",
      "explanation.reason as reason",
    ])
    .where("conversations.dataset_id", "=", request.dataset.id)
    .orderBy("explanation.conversation_id")
    .orderBy("messages.position")
    .execute();
  const items = new Map<number, ExplanationItem[]>();
  const sources = new Map<string, ItemSource>();
  for (const row of rows) {
    const conversationId = Number(row.conversationId);
    const id = `${conversationId}:${row.position}`;
    const list = items.get(conversationId) ?? [];
    list.push({
      id,
      judgment: row.judgment,
      intent: row.intent,
      expectation: row.expectation,
      reason: row.reason,
    });
    items.set(conversationId, list);
    sources.set(id, { turnId: Number(row.messageId), conversationId });
  }
  return { items, sources };
}

/** Groups items by key, keeping their order; `Map.groupBy` needs Node 21. */
function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key) ?? [];
    list.push(item);
    groups.set(key, list);
  }
  return groups;
}
