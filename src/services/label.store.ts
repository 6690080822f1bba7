import { type Insertable, sql, type Transaction } from "kysely";
import type {
  Database,
  GroupLabelsTable,
  IntentLabelsTable,
  LabelFailuresTable,
  TurnJudgmentsTable,
} from "../db/tables.ts";

/** Labels of one batch, written together in one transaction. */
export interface LabelRows {
  groups: Insertable<GroupLabelsTable>[];
  intents: Insertable<IntentLabelsTable>[];
  judgments: Insertable<TurnJudgmentsTable>[];
  failures: Insertable<LabelFailuresTable>[];
}

/**
 * Upserts labels keyed by (item, plugin, plugin version): a re-run of the same plugin version
 * replaces its labels and moves them to now, so they become current; other plugins' labels stay.
 */
export async function writeLabelRows(trx: Transaction<Database>, rows: LabelRows): Promise<void> {
  if (rows.groups.length > 0) {
    await trx
      .insertInto("group_labels")
      .values(rows.groups)
      .onConflict((oc) =>
        oc
          .columns(["conversation_id", "grouping_id", "plugin", "plugin_version"])
          .doUpdateSet((eb) => ({
            group_name: eb.ref("excluded.group_name"),
            confidence: eb.ref("excluded.confidence"),
            rationale: eb.ref("excluded.rationale"),
            job_id: eb.ref("excluded.job_id"),
            created_at: sql`now()`,
          })),
      )
      .execute();
  }
  if (rows.intents.length > 0) {
    await trx
      .insertInto("intent_labels")
      .values(rows.intents)
      .onConflict((oc) =>
        oc.columns(["conversation_id", "plugin", "plugin_version"]).doUpdateSet((eb) => ({
          domain: eb.ref("excluded.domain"),
          task: eb.ref("excluded.task"),
          confidence: eb.ref("excluded.confidence"),
          job_id: eb.ref("excluded.job_id"),
          created_at: sql`now()`,
        })),
      )
      .execute();
  }
  if (rows.judgments.length > 0) {
    await trx
      .insertInto("turn_judgments")
      .values(rows.judgments)
      .onConflict((oc) =>
        oc.columns(["message_id", "plugin", "plugin_version"]).doUpdateSet((eb) => ({
          judgment: eb.ref("excluded.judgment"),
          confidence: eb.ref("excluded.confidence"),
          source: eb.ref("excluded.source"),
          rationale: eb.ref("excluded.rationale"),
          job_id: eb.ref("excluded.job_id"),
          created_at: sql`now()`,
        })),
      )
      .execute();
  }
  if (rows.failures.length > 0)
    await trx.insertInto("label_failures").values(rows.failures).execute();
}
