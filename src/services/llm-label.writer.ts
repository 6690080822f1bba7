import { type Insertable, sql } from "kysely";
import type { Db } from "../db/database.ts";
import type {
  GroupLabelsTable,
  IntentLabelsTable,
  LabelFailuresTable,
  TurnExplanationsTable,
  TurnJudgmentsTable,
} from "../db/tables.ts";
import type { ClassificationResult, ConversationLabels } from "../llm/index.ts";
import { type LabelRows, writeLabelRows } from "./label.store.ts";

/** A stored conversation as the LLM labelling job reads it. */
export interface StoredConversation {
  id: number;
  /** Message ids in message order, so a turn index maps to its row. */
  messageIds: number[];
}

/** Sources of one run's labels: `llm:<model>` and the prompt version per kind. */
export interface LabelSources {
  classification: { plugin: string; version: string };
  judgment: { plugin: string; version: string };
}

/** Rows written per flush; a page of conversations' labels in one transaction. */
const FLUSH_ROWS = 500;
/** Maximum time labels wait in the buffer, so the tables follow a slow run closely. */
const FLUSH_INTERVAL_MS = 1_000;

/**
 * Buffers the LLM labels of a job and writes them in transactions of a few hundred rows, in
 * the same tables and with the same upserts as the heuristic labels, so the `current_*` views
 * and everything downstream read them unchanged. A re-run of the same model and prompt
 * versions replaces its own rows, so a resumed job leaves no duplicates. Writes are serialized,
 * which the embedded database (one connection) needs.
 */
export class LlmLabelWriter {
  private groups: Insertable<GroupLabelsTable>[] = [];
  private intents: Insertable<IntentLabelsTable>[] = [];
  private judgments: Insertable<TurnJudgmentsTable>[] = [];
  private explanations: Insertable<TurnExplanationsTable>[] = [];
  private failures: Insertable<LabelFailuresTable>[] = [];
  private writing: Promise<void> = Promise.resolve();
  private lastFlush = Date.now();
  /** Labels by kind, and failures, written or buffered so far. */
  readonly counts = { groups: 0, intents: 0, judgments: 0, explanations: 0, failures: 0 };

  constructor(
    private readonly db: Db,
    private readonly jobId: string,
    private readonly sources: LabelSources,
    private readonly groupingIds: readonly string[],
    private readonly conversations: ReadonlyMap<string, StoredConversation>,
  ) {}

  async addClassifications(results: readonly ClassificationResult[]): Promise<void> {
    const { plugin, version } = this.sources.classification;
    for (const result of results) {
      const conversationId = Number(result.conversationId);
      if (!result.ok) {
        this.fail(conversationId, plugin, "classification", result.status);
        continue;
      }
      for (const groupingId of this.groupingIds) {
        this.groups.push({
          conversation_id: conversationId,
          grouping_id: groupingId,
          group_name: result.expertise.level,
          confidence: result.expertise.confidence,
          rationale: result.expertise.rationale,
          plugin,
          plugin_version: version,
          job_id: this.jobId,
        });
      }
      this.intents.push({
        conversation_id: conversationId,
        domain: result.intent.domain,
        task: result.intent.task,
        confidence: result.intent.confidence,
        plugin,
        plugin_version: version,
        job_id: this.jobId,
      });
    }
    this.counts.groups += results.filter((result) => result.ok).length;
    this.counts.intents += results.filter((result) => result.ok).length;
    await this.flushIfFull();
  }

  async addReview(labels: ConversationLabels): Promise<void> {
    const { plugin, version } = this.sources.judgment;
    const conversation = this.conversations.get(labels.conversationId);
    if (!conversation) return;
    if (!labels.ok) {
      this.fail(conversation.id, plugin, "review", labels.status);
      return this.flushIfFull();
    }
    for (const turn of labels.turns) {
      const messageId = conversation.messageIds[turn.index];
      if (messageId === undefined) continue;
      const common = {
        message_id: messageId,
        conversation_id: conversation.id,
        plugin,
        plugin_version: version,
        job_id: this.jobId,
      };
      this.judgments.push({
        ...common,
        judgment: turn.judgment,
        confidence: turn.confidence,
        // A turn no user message follows is NA without a call, as the heuristic judge marks it.
        source: turn.source,
        rationale: turn.rationale,
      });
      this.counts.judgments += 1;
      if (turn.explanation && turn.judgment !== "NA") {
        this.explanations.push({ ...common, judgment: turn.judgment, ...turn.explanation });
        this.counts.explanations += 1;
      }
    }
    await this.flushIfFull();
  }

  /** Writes everything buffered; resolves once it is stored. */
  flush(): Promise<void> {
    this.lastFlush = Date.now();
    const batch = {
      groups: this.groups,
      intents: this.intents,
      judgments: this.judgments,
      explanations: this.explanations,
      failures: this.failures,
    };
    this.groups = [];
    this.intents = [];
    this.judgments = [];
    this.explanations = [];
    this.failures = [];
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private fail(conversationId: number, plugin: string, kind: string, status: string): void {
    this.failures.push({
      job_id: this.jobId,
      conversation_id: conversationId,
      plugin,
      error: `The model's ${kind} reply was ${status}; the conversation keeps its earlier labels.`,
    });
    this.counts.failures += 1;
  }

  private flushIfFull(): Promise<void> {
    const rows =
      this.groups.length +
      this.intents.length +
      this.judgments.length +
      this.explanations.length +
      this.failures.length;
    const due = rows > 0 && Date.now() - this.lastFlush >= FLUSH_INTERVAL_MS;
    return rows >= FLUSH_ROWS || due ? this.flush() : Promise.resolve();
  }

  private async write(
    batch: LabelRows & { explanations: Insertable<TurnExplanationsTable>[] },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await writeLabelRows(trx, batch);
      if (batch.explanations.length > 0) {
        await trx
          .insertInto("turn_explanations")
          .values(batch.explanations)
          .onConflict((oc) =>
            oc.columns(["message_id", "plugin", "plugin_version"]).doUpdateSet((eb) => ({
              judgment: eb.ref("excluded.judgment"),
              intent: eb.ref("excluded.intent"),
              expectation: eb.ref("excluded.expectation"),
              reason: eb.ref("excluded.reason"),
              job_id: eb.ref("excluded.job_id"),
              created_at: sql`now()`,
            })),
          )
          .execute();
      }
    });
  }
}
