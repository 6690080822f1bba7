import { type Kysely, sql } from "kysely";

/** Datasets, conversations, messages, jobs and import errors. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("datasets")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("datasets_name_key", ["name"])
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("seq", "bigint", (col) => col.notNull().generatedAlwaysAsIdentity())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("payload", "jsonb", (col) => col.notNull())
    .addColumn("progress", "jsonb")
    .addColumn("result", "jsonb")
    .addColumn("error", "jsonb")
    .addColumn("usage", "jsonb")
    .addColumn("attempts", "integer", (col) => col.notNull().defaultTo(0))
    .addColumn("cancel_requested", "boolean", (col) => col.notNull().defaultTo(false))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("jobs_seq_idx").on("jobs").column("seq").execute();

  await db.schema
    .createTable("conversations")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("dataset_id", "text", (col) =>
      col.notNull().references("datasets.id").onDelete("cascade"),
    )
    .addColumn("external_id", "text")
    .addColumn("content_hash", "text", (col) => col.notNull())
    .addColumn("source_format", "text", (col) => col.notNull())
    .addColumn("metadata", "jsonb", (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("turn_count", "integer", (col) => col.notNull())
    .addColumn("import_job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("conversations_dataset_hash_key", ["dataset_id", "content_hash"])
    .execute();
  await db.schema
    .createIndex("conversations_metadata_idx")
    .on("conversations")
    .using("gin")
    .column("metadata")
    .execute();
  await db.schema
    .createIndex("conversations_import_job_idx")
    .on("conversations")
    .column("import_job_id")
    .execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("conversation_id", "bigint", (col) =>
      col.notNull().references("conversations.id").onDelete("cascade"),
    )
    .addColumn("position", "integer", (col) => col.notNull())
    .addColumn("role", "text", (col) => col.notNull())
    .addColumn("content", "text", (col) => col.notNull())
    .addColumn("feedback", "jsonb")
    .addUniqueConstraint("messages_conversation_position_key", ["conversation_id", "position"])
    .execute();

  await db.schema
    .createTable("import_errors")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("job_id", "text", (col) => col.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("dataset_id", "text", (col) =>
      col.notNull().references("datasets.id").onDelete("cascade"),
    )
    .addColumn("line", "integer", (col) => col.notNull())
    // Elements of a JSON array written on one line share the line, so the key includes the
    // element index (0 for JSONL lines and parquet rows).
    .addColumn("record", "integer", (col) => col.notNull())
    .addColumn("reason", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("import_errors_job_line_record_key", ["job_id", "line", "record"])
    .execute();
}
