import { type Kysely, sql } from "kysely";

/** Versioned rubrics and their aspects; model registry and evaluations for later stages. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rubrics")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("dataset_id", "text", (col) =>
      col.notNull().references("datasets.id").onDelete("cascade"),
    )
    .addColumn("grouping_id", "text", (col) =>
      col.notNull().references("groupings.id").onDelete("cascade"),
    )
    .addColumn("domain", "text", (col) => col.notNull())
    .addColumn("task", "text", (col) => col.notNull())
    .addColumn("comparison", "text", (col) => col.notNull())
    .addColumn("method", "text", (col) => col.notNull())
    .addColumn("version", "integer", (col) => col.notNull())
    .addColumn("active", "boolean", (col) => col.notNull())
    .addColumn("job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("parameters", "jsonb", (col) => col.notNull())
    .addColumn("summary", "jsonb", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("rubrics_scope_version_key", [
      "grouping_id",
      "domain",
      "task",
      "comparison",
      "version",
    ])
    .execute();
  await db.schema
    .createIndex("rubrics_active_idx")
    .on("rubrics")
    .columns(["grouping_id", "domain", "task", "active"])
    .execute();

  await db.schema
    .createTable("rubric_aspects")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("rubric_id", "text", (col) =>
      col.notNull().references("rubrics.id").onDelete("cascade"),
    )
    .addColumn("aspect", "text", (col) => col.notNull())
    .addColumn("kept", "boolean", (col) => col.notNull())
    .addColumn("significance", "integer", (col) => col.notNull())
    .addColumn("description", "text", (col) => col.notNull())
    .addColumn("preferences", "jsonb", (col) => col.notNull())
    .addColumn("statistics", "jsonb", (col) => col.notNull())
    .addColumn("evidence", "jsonb", (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex("rubric_aspects_rubric_idx")
    .on("rubric_aspects")
    .column("rubric_id")
    .execute();

  await db.schema
    .createTable("models")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("grouping_id", "text", (col) =>
      col.notNull().references("groupings.id").onDelete("cascade"),
    )
    .addColumn("group_name", "text", (col) => col.notNull())
    .addColumn("provider", "text", (col) => col.notNull())
    .addColumn("model", "text", (col) => col.notNull())
    .addColumn("status", "text", (col) => col.notNull())
    .addColumn("details", "jsonb", (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("evaluations")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("kind", "text", (col) => col.notNull())
    .addColumn("job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("parameters", "jsonb", (col) => col.notNull())
    .addColumn("result", "jsonb")
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}
