import { type Kysely, sql } from "kysely";

/** Generated responses kept by idempotency key, so a repeated request returns the same answer. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("tailored_responses")
    .addColumn("idempotency_key", "text", (col) => col.primaryKey())
    .addColumn("request_hash", "text", (col) => col.notNull())
    .addColumn("payload", "jsonb", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}
