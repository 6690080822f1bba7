import { type Kysely, sql } from "kysely";

/**
 * The LLM response cache: one row per distinct provider request, so a re-run of the same work
 * (a retried or resumed job) makes no provider call. `key` is the SHA-256 of the normalized
 * request (provider id, model, messages and sampling parameters).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("llm_cache")
    .addColumn("key", "text", (col) => col.primaryKey())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("prompt_id", "text")
    .addColumn("content", "text", (col) => col.notNull())
    .addColumn("refusal", "text")
    .addColumn("finish_reason", "text", (col) => col.notNull())
    // Null when the provider reported no usage: unknown, never a made-up 0.
    .addColumn("prompt_tokens", "integer")
    .addColumn("completion_tokens", "integer")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("llm_cache_created_at_idx")
    .on("llm_cache")
    .column("created_at")
    .execute();
}
