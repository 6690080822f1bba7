import { sql } from "kysely";
import type { JobContext } from "../../jobs/types.ts";
import { InvalidInputError } from "../errors.ts";
import {
  estimateLlmWorkload,
  type LlmTask,
  PROMPT_VERSIONS,
  runLlmPipeline,
  type WorkloadEstimate,
} from "../llm/index.ts";
import { UNKNOWN_GROUP } from "../plugin-api/index.ts";
import { requireDataset } from "./catalog.lookup.ts";
import {
  type LabelSummary,
  LLM_EXPERTISE_CLASSIFIER,
  summarizeLabels,
} from "./labelling.service.ts";
import { loadPromptConversations } from "./llm-conversations.loader.ts";
import { JobUsageRecorder, requireLlm, stoppedByBudget } from "./llm-job-support.ts";
import { LlmLabelWriter } from "./llm-label.writer.ts";
import {
  type LlmComparisonOutcome,
  pipelineComparisons,
  storeLlmRubric,
} from "./llm-rubric.store.ts";
import type { Comparison } from "./rubric.repository.ts";

export interface LlmLabelRequest {
  dataset: string;
  grouping?: string | undefined;
  tasks: ("classification" | "judgment")[];
  budgetTokens?: number | undefined;
  dryRun: boolean;
  batchSize: number;
  extract?:
    | {
        groups?: string[] | undefined;
        minibatchSize: number;
        pairing: "all" | "zip";
        maxPairs?: number | undefined;
        threshold: number;
      }
    | undefined;
}

export interface LlmLabelSummary extends Pick<LabelSummary, "groups" | "intents" | "judgments"> {
  dataset: string;
  conversations: number;
  dryRun: boolean;
  /** Calls and tokens expected, for a dry run; null otherwise. */
  estimate: WorkloadEstimate | null;
  /** `llm:<model>` per task that ran. */
  models: Partial<Record<LlmTask, string>>;
  labelled: { groups: number; intents: number; judgments: number; explanations: number };
  failures: number;
  /** Set when the token or cost budget stopped the job; what finished before it is stored. */
  stoppedByBudget: { limit: string; maximum: number; used: number; message: string } | null;
  rubrics: LlmComparisonOutcome[];
}

/**
 * Labels a dataset with the configured LLM. Batched classification calls give each
 * conversation an expertise level (stored for the groupings whose classifier is
 * `llm-expertise`) and an intent (mapped onto the default intent classifier's taxonomy). One
 * review call per conversation judges every assistant turn and explains each SAT and DSAT
 * one. With `extract`, rubrics are extracted in the same schedule (`runLlmPipeline`).
 *
 * Resumable: provider responses are cached, so a retried or restarted job repeats no finished
 * call, and labels are upserted per model and prompt version, so it leaves no duplicates. A
 * spent budget ends the job `completed` with `stoppedByBudget` set and the finished labels
 * stored; run it again with a larger budget to continue from the cache.
 */
export async function labelWithLlm(
  context: JobContext,
  request: LlmLabelRequest,
): Promise<LlmLabelSummary> {
  const { db, plugins } = context.services;
  const dataset = await requireDataset(db, request.dataset);
  const classify = request.tasks.includes("classification");
  const review = request.tasks.includes("judgment");

  let groupingQuery = db
    .selectFrom("groupings")
    .selectAll()
    .where("classifier", "=", LLM_EXPERTISE_CLASSIFIER)
    .orderBy("name");
  if (request.grouping) groupingQuery = groupingQuery.where("name", "=", request.grouping);
  const groupings = await groupingQuery.execute();
  if (request.grouping && groupings.length === 0) {
    throw new InvalidInputError(
      "grouping",
      `No grouping "${request.grouping}" with classifier ${LLM_EXPERTISE_CLASSIFIER} exists; create one with createGrouping(name, classifier: "${LLM_EXPERTISE_CLASSIFIER}").`,
    );
  }
  if (request.extract && (!classify || !review || groupings.length !== 1)) {
    throw new InvalidInputError(
      "extract",
      `Extraction in the labelling run needs both tasks and exactly one ${LLM_EXPERTISE_CLASSIFIER} grouping (found ${groupings.length}); name it with grouping.`,
    );
  }
  const extractGroups = request.extract ? (request.extract.groups ?? groupings[0]!.groups) : [];
  const undeclared = extractGroups.filter((group) => !groupings[0]!.groups.includes(group));
  if (undeclared.length > 0 || (request.extract && new Set(extractGroups).size < 2)) {
    throw new InvalidInputError(
      "extract.groups",
      `Extraction compares at least two of the groups ${groupings[0]!.groups.join(", ")}; got ${JSON.stringify(extractGroups)}.`,
    );
  }
  const taxonomy = plugins.intentClassifier().taxonomy;
  const { conversations, stored } = await loadPromptConversations(db, dataset.id);
  await context.progress({ stage: "label", done: 0, total: null });

  const summary: LlmLabelSummary = {
    dataset: dataset.name,
    conversations: conversations.length,
    dryRun: request.dryRun,
    estimate: null,
    models: {},
    labelled: { groups: 0, intents: 0, judgments: 0, explanations: 0 },
    failures: 0,
    stoppedByBudget: null,
    rubrics: [],
    groups: {},
    intents: {},
    judgments: { SAT: 0, DSAT: 0, NA: 0 },
  };
  if (request.dryRun) {
    const price = context.services.llm?.priceTable[context.services.llm.client("judgment").model];
    // The intents are not known before classification: assume those of the current labels,
    // or one per taxonomy domain, each with every comparison.
    const comparisons = extractGroups.length > 0 ? pipelineComparisons(extractGroups).length : 0;
    const intents = (await countCurrentIntents(db, dataset.id)) || Object.keys(taxonomy).length;
    summary.estimate = estimateLlmWorkload({
      conversations,
      taxonomy,
      plan: "combined",
      batchSize: request.batchSize,
      ...(request.extract
        ? {
            extraction: {
              intents: intents * comparisons,
              minibatchSize: request.extract.minibatchSize,
              pairing: request.extract.pairing,
            },
          }
        : {}),
      ...(price ? { price } : {}),
    });
    return summary;
  }

  const llm = requireLlm(context.services, "label-llm");
  const budgetTokens = request.budgetTokens ?? llm.defaultBudgetTokens;
  const job = llm.forJob({
    signal: context.signal,
    ...(budgetTokens ? { budget: { maxTokens: budgetTokens } } : {}),
  });
  const usage = await JobUsageRecorder.start(db, context.jobId, job.usage);
  const tasks: LlmTask[] = [
    ...(classify ? (["classification"] as const) : []),
    ...(review ? (["judgment"] as const) : []),
    ...(request.extract ? (["extraction"] as const) : []),
  ];
  for (const task of tasks) summary.models[task] = job.plugin(task);
  const writer = new LlmLabelWriter(
    db,
    context.jobId,
    {
      classification: {
        plugin: job.plugin("classification"),
        version: PROMPT_VERSIONS.classification,
      },
      judgment: { plugin: job.plugin("judgment"), version: PROMPT_VERSIONS.judgment },
    },
    groupings.map((grouping) => grouping.id),
    stored,
  );
  const grouping = groupings[0];
  const extraction =
    request.extract && grouping
      ? {
          ...request.extract,
          comparisons: pipelineComparisons(extractGroups),
          groupOf: (classification: { expertise: { level: string } }) => {
            const level = classification.expertise.level;
            return level !== UNKNOWN_GROUP && extractGroups.includes(level) ? level : undefined;
          },
        }
      : undefined;

  try {
    const result = await runLlmPipeline<Comparison>(
      {
        conversations,
        taxonomy,
        clients: {
          classification: job.client("classification"),
          judgment: job.client("judgment"),
          extraction: job.client("extraction"),
        },
        slots: job.slots(tasks),
        classify,
        review,
        batchSize: request.batchSize,
        extraction,
      },
      {
        classified: (results) => writer.addClassifications(results),
        reviewed: (labels) => writer.addReview(labels),
        rubric: async (finished) => {
          summary.rubrics.push(
            await storeLlmRubric(db, {
              datasetId: dataset.id,
              groupingId: grouping!.id,
              jobId: context.jobId,
              settings: { ...request.extract!, maxPairs: request.extract!.maxPairs },
              source: { plugin: job.plugin("extraction"), version: PROMPT_VERSIONS.extraction },
              finished,
              sourceOf: (itemId) => sourceOfItem(stored, itemId),
            }),
          );
        },
        progress: async (stage, done, total) => {
          await context.progress({ stage, done, total });
          await usage.maybeSave();
        },
      },
    );
    summary.stoppedByBudget = stoppedByBudget(result.stoppedByBudget);
  } finally {
    await writer.flush();
    await usage.save();
  }

  summary.labelled = {
    groups: writer.counts.groups,
    intents: writer.counts.intents,
    judgments: writer.counts.judgments,
    explanations: writer.counts.explanations,
  };
  summary.failures = writer.counts.failures;
  Object.assign(summary, await summarizeLabels(db, dataset.id, groupings));
  return summary;
}

async function countCurrentIntents(
  db: JobContext["services"]["db"],
  datasetId: string,
): Promise<number> {
  const row = await db
    .selectFrom("current_intent_labels as intent")
    .innerJoin("conversations", "conversations.id", "intent.conversation_id")
    .select((eb) => eb.fn.count<number>(sql`distinct (intent.domain, intent.task)`).as("count"))
    .where("conversations.dataset_id", "=", datasetId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Maps a `conversation:turnIndex` item id back to its message and conversation ids. */
export function sourceOfItem(
  stored: ReadonlyMap<string, { id: number; messageIds: number[] }>,
  itemId: string,
): { turnId: number; conversationId: number } | undefined {
  const separator = itemId.lastIndexOf(":");
  const conversation = stored.get(itemId.slice(0, separator));
  const turnId = conversation?.messageIds[Number(itemId.slice(separator + 1))];
  return conversation && turnId !== undefined
    ? { turnId, conversationId: conversation.id }
    : undefined;
}
