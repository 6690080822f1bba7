import { type Kysely, sql } from "kysely";

/**
 * Preference explanations of judged assistant turns: what the user wanted and why the reply
 * met or missed it, written by the LLM labelling job for every SAT and DSAT turn and read by
 * the LLM rubric extraction. Keyed like `turn_judgments`, so a re-run of the same model and
 * prompt version replaces its own rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("turn_explanations")
    .addColumn("message_id", "bigint", (col) =>
      col.notNull().references("messages.id").onDelete("cascade"),
    )
    .addColumn("conversation_id", "bigint", (col) =>
      col.notNull().references("conversations.id").onDelete("cascade"),
    )
    .addColumn("judgment", "text", (col) => col.notNull())
    .addColumn("intent", "text", (col) => col.notNull())
    .addColumn("expectation", "text", (col) => col.notNull())
    .addColumn("reason", "text", (col) => col.notNull())
    .addColumn("plugin", "text", (col) => col.notNull())
    .addColumn("plugin_version", "text", (col) => col.notNull())
    .addColumn("job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("turn_explanations_pkey", ["message_id", "plugin", "plugin_version"])
    .addCheckConstraint("turn_explanations_judgment_check", sql`judgment in ('SAT', 'DSAT')`)
    .execute();
  await db.schema
    .createIndex("turn_explanations_conversation_idx")
    .on("turn_explanations")
    .column("conversation_id")
    .execute();
}
