import type { Insertable } from "kysely";
import pLimit from "p-limit";
import type { JobContext } from "../../jobs/types.ts";
import type { Db } from "../db/database.ts";
import type {
  GroupLabelsTable,
  IntentLabelsTable,
  LabelFailuresTable,
  TurnJudgmentsTable,
} from "../db/tables.ts";
import { InvalidInputError } from "../errors.ts";
import type { GroupAssignment, IntentAssignment, TurnJudgment } from "../plugin-api/index.ts";
import type { HostedGroupClassifier, PluginResult } from "../plugin-host/plugin-host.ts";
import { requireDataset } from "./catalog.lookup.ts";
import { type LoadedConversation, loadConversationPages } from "./conversation-loader.ts";
import { writeLabelRows } from "./label.store.ts";

/** Group classifier id of the groupings that the label-llm job labels. */
export const LLM_EXPERTISE_CLASSIFIER = "llm-expertise";

export interface LabelRequest {
  dataset: string;
  /** Grouping names; all groupings when omitted. */
  groupings?: string[] | undefined;
  /** Intent classifier id; the default one when omitted. */
  intent?: string | undefined;
  /** Satisfaction judge id; the default one when omitted. */
  judge?: string | undefined;
}

export interface LabelSummary {
  dataset: string;
  conversations: number;
  /** Grouping name → group → conversations. */
  groups: Record<string, Record<string, number>>;
  /** `domain/task` → conversations. */
  intents: Record<string, number>;
  judgments: { SAT: number; DSAT: number; NA: number };
  /** Items a plugin failed on; details in `label_failures`. */
  failures: number;
  plugins: { intent: string; judge: string; groupings: Record<string, string> };
}

/** Plugin calls in flight per job: LLM-backed plugins wait on the network, heuristics do not. */
const CALL_CONCURRENCY = 8;

/**
 * Labels every conversation of a dataset: a group per grouping, an intent, and a judgment per
 * assistant turn. Labels are upserted per (item, plugin, plugin version), so a re-run or a
 * retried job replaces what that plugin version wrote and keeps other plugins' labels. A
 * plugin failure on one conversation is stored in `label_failures` and the job goes on.
 */
export async function labelDataset(
  context: JobContext,
  request: LabelRequest,
): Promise<LabelSummary> {
  const { db, plugins } = context.services;
  const dataset = await requireDataset(db, request.dataset);

  let groupingQuery = db.selectFrom("groupings").selectAll().orderBy("name");
  if (request.groupings?.length)
    groupingQuery = groupingQuery.where("name", "in", request.groupings);
  let groupings = await groupingQuery.execute();
  const missing = (request.groupings ?? []).filter(
    (name) => !groupings.some((grouping) => grouping.name === name),
  );
  if (missing.length > 0) {
    throw new InvalidInputError(
      "groupings",
      `Unknown grouping ${JSON.stringify(missing[0])}; create it with createGrouping first.`,
    );
  }
  // Groupings with the llm-expertise classifier get their labels from the label-llm job only:
  // the plugin's own classify cannot call a model and returns unknown.
  const llmLabelled = groupings.find(
    (grouping) => grouping.classifier === LLM_EXPERTISE_CLASSIFIER,
  );
  if (llmLabelled && request.groupings?.length) {
    throw new InvalidInputError(
      "groupings",
      `Grouping "${llmLabelled.name}" is labelled by the LLM; run the label-llm job for it.`,
    );
  }
  groupings = groupings.filter((grouping) => grouping.classifier !== LLM_EXPERTISE_CLASSIFIER);
  const classifiers = groupings.map((grouping) => ({
    grouping,
    classifier: plugins.createGroupClassifier(grouping.classifier, grouping.options),
  }));
  const intentClassifier = plugins.intentClassifier(request.intent);
  const judge = plugins.satisfactionJudge(request.judge);

  const total = Number(
    (
      await db
        .selectFrom("conversations")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("dataset_id", "=", dataset.id)
        .executeTakeFirstOrThrow()
    ).count,
  );
  await context.progress({ stage: "label", done: 0, total });

  const limit = pLimit(CALL_CONCURRENCY);
  let done = 0;
  let failures = 0;
  for await (const page of loadConversationPages(db, dataset.id)) {
    const outcomes = await Promise.all(
      page.map((conversation) =>
        limit(async () => ({
          conversation,
          groups: await Promise.all(
            classifiers.map(async ({ grouping, classifier }) => ({
              groupingId: grouping.id,
              result: await classifier.classify(conversation.plugin, context.signal),
            })),
          ),
          intent: await intentClassifier.classify(conversation.plugin, context.signal),
          judgments: await judge.judge(conversation.plugin, context.signal),
        })),
      ),
    );
    failures += await storeLabels(db, context.jobId, outcomes);
    done += page.length;
    await context.progress({ stage: "label", done, total });
  }

  return {
    ...(await summarizeLabels(db, dataset.id, groupings)),
    dataset: dataset.name,
    conversations: total,
    failures,
    plugins: {
      intent: `${intentClassifier.plugin}@${intentClassifier.version}`,
      judge: `${judge.plugin}@${judge.version}`,
      groupings: Object.fromEntries(
        classifiers.map(({ grouping, classifier }) => [
          grouping.name,
          `${classifier.plugin}@${classifier.version}`,
        ]),
      ),
    },
  };
}

interface Outcome {
  conversation: LoadedConversation;
  groups: { groupingId: string; result: PluginResult<GroupAssignment> }[];
  intent: PluginResult<IntentAssignment>;
  judgments: PluginResult<TurnJudgment[]>;
}

/** Writes one page of labels in one transaction; returns the number of plugin failures. */
async function storeLabels(db: Db, jobId: string, outcomes: Outcome[]): Promise<number> {
  const groupRows: Insertable<GroupLabelsTable>[] = [];
  const intentRows: Insertable<IntentLabelsTable>[] = [];
  const judgmentRows: Insertable<TurnJudgmentsTable>[] = [];
  const failureRows: Insertable<LabelFailuresTable>[] = [];
  for (const { conversation, groups, intent, judgments } of outcomes) {
    const conversationId = conversation.id;
    for (const { groupingId, result } of groups) {
      if (!result.ok) {
        failureRows.push({
          job_id: jobId,
          conversation_id: conversationId,
          plugin: result.plugin,
          error: result.error.message,
        });
        continue;
      }
      groupRows.push({
        conversation_id: conversationId,
        grouping_id: groupingId,
        group_name: result.value.group,
        confidence: result.value.confidence,
        rationale: result.value.rationale ?? null,
        plugin: result.plugin,
        plugin_version: result.version,
        job_id: jobId,
      });
    }
    if (intent.ok) {
      intentRows.push({
        conversation_id: conversationId,
        domain: intent.value.domain,
        task: intent.value.task,
        confidence: intent.value.confidence,
        plugin: intent.plugin,
        plugin_version: intent.version,
        job_id: jobId,
      });
    } else {
      failureRows.push({
        job_id: jobId,
        conversation_id: conversationId,
        plugin: intent.plugin,
        error: intent.error.message,
      });
    }
    if (judgments.ok) {
      for (const judgment of judgments.value) {
        const messageId = conversation.messageIds[judgment.messageIndex];
        if (messageId === undefined) continue;
        judgmentRows.push({
          message_id: messageId,
          conversation_id: conversationId,
          judgment: judgment.judgment,
          confidence: judgment.confidence,
          source: judgment.source,
          rationale: judgment.rationale ?? null,
          plugin: judgments.plugin,
          plugin_version: judgments.version,
          job_id: jobId,
        });
      }
    } else {
      failureRows.push({
        job_id: jobId,
        conversation_id: conversationId,
        plugin: judgments.plugin,
        error: judgments.error.message,
      });
    }
  }

  await db.transaction().execute((trx) =>
    writeLabelRows(trx, {
      groups: groupRows,
      intents: intentRows,
      judgments: judgmentRows,
      failures: failureRows,
    }),
  );
  return failureRows.length;
}

/** Counts the dataset's current labels per group, intent and judgment. */
export async function summarizeLabels(
  db: Db,
  datasetId: string,
  groupings: readonly { id: string; name: string }[],
): Promise<Pick<LabelSummary, "groups" | "intents" | "judgments">> {
  const inDataset = db.selectFrom("conversations").select("id").where("dataset_id", "=", datasetId);
  const groups: LabelSummary["groups"] = {};
  for (const grouping of groupings) {
    const rows = await db
      .selectFrom("current_group_labels")
      .select(["group_name", (eb) => eb.fn.countAll<number>().as("count")])
      .where("grouping_id", "=", grouping.id)
      .where("conversation_id", "in", inDataset)
      .groupBy("group_name")
      .orderBy("group_name")
      .execute();
    groups[grouping.name] = Object.fromEntries(
      rows.map((row) => [row.group_name, Number(row.count)]),
    );
  }
  const intentRows = await db
    .selectFrom("current_intent_labels")
    .select(["domain", "task", (eb) => eb.fn.countAll<number>().as("count")])
    .where("conversation_id", "in", inDataset)
    .groupBy(["domain", "task"])
    .orderBy("domain")
    .orderBy("task")
    .execute();
  const judgmentRows = await db
    .selectFrom("current_turn_judgments")
    .select(["judgment", (eb) => eb.fn.countAll<number>().as("count")])
    .where("conversation_id", "in", inDataset)
    .groupBy("judgment")
    .execute();
  const judgments = { SAT: 0, DSAT: 0, NA: 0 };
  for (const row of judgmentRows) judgments[row.judgment] = Number(row.count);
  return {
    groups,
    intents: Object.fromEntries(
      intentRows.map((row) => [`${row.domain}/${row.task}`, Number(row.count)]),
    ),
    judgments,
  };
}

export type { HostedGroupClassifier };
