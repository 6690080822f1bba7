import { type Kysely, sql } from "kysely";

/** Groupings and the labels that plugins attach to conversations and assistant turns. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("groupings")
    .addColumn("id", "text", (col) => col.primaryKey())
    .addColumn("name", "text", (col) => col.notNull())
    .addColumn("classifier", "text", (col) => col.notNull())
    .addColumn("options", "jsonb", (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("groups", "jsonb", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("groupings_name_key", ["name"])
    .execute();

  await db.schema
    .createTable("group_labels")
    .addColumn("conversation_id", "bigint", (col) =>
      col.notNull().references("conversations.id").onDelete("cascade"),
    )
    .addColumn("grouping_id", "text", (col) =>
      col.notNull().references("groupings.id").onDelete("cascade"),
    )
    .addColumn("group_name", "text", (col) => col.notNull())
    .addColumn("confidence", "double precision", (col) => col.notNull())
    .addColumn("rationale", "text")
    .addColumn("plugin", "text", (col) => col.notNull())
    .addColumn("plugin_version", "text", (col) => col.notNull())
    .addColumn("job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("group_labels_pkey", [
      "conversation_id",
      "grouping_id",
      "plugin",
      "plugin_version",
    ])
    .execute();
  await db.schema
    .createIndex("group_labels_grouping_group_idx")
    .on("group_labels")
    .columns(["grouping_id", "group_name"])
    .execute();

  await db.schema
    .createTable("intent_labels")
    .addColumn("conversation_id", "bigint", (col) =>
      col.notNull().references("conversations.id").onDelete("cascade"),
    )
    .addColumn("domain", "text", (col) => col.notNull())
    .addColumn("task", "text", (col) => col.notNull())
    .addColumn("confidence", "double precision", (col) => col.notNull())
    .addColumn("plugin", "text", (col) => col.notNull())
    .addColumn("plugin_version", "text", (col) => col.notNull())
    .addColumn("job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("intent_labels_pkey", ["conversation_id", "plugin", "plugin_version"])
    .execute();
  await db.schema
    .createIndex("intent_labels_domain_task_idx")
    .on("intent_labels")
    .columns(["domain", "task"])
    .execute();

  await db.schema
    .createTable("turn_judgments")
    .addColumn("message_id", "bigint", (col) =>
      col.notNull().references("messages.id").onDelete("cascade"),
    )
    .addColumn("conversation_id", "bigint", (col) =>
      col.notNull().references("conversations.id").onDelete("cascade"),
    )
    .addColumn("judgment", "text", (col) => col.notNull())
    .addColumn("confidence", "double precision", (col) => col.notNull())
    .addColumn("source", "text", (col) => col.notNull())
    .addColumn("rationale", "text")
    .addColumn("plugin", "text", (col) => col.notNull())
    .addColumn("plugin_version", "text", (col) => col.notNull())
    .addColumn("job_id", "text", (col) => col.references("jobs.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("turn_judgments_pkey", ["message_id", "plugin", "plugin_version"])
    .execute();
  await db.schema
    .createIndex("turn_judgments_conversation_idx")
    .on("turn_judgments")
    .column("conversation_id")
    .execute();

  // Labels from several plugins (or versions of one) may coexist; readers use the newest.
  await sql`
    create view current_group_labels as
    select distinct on (conversation_id, grouping_id) *
    from group_labels
    order by conversation_id, grouping_id, created_at desc, plugin, plugin_version
  `.execute(db);
  await sql`
    create view current_intent_labels as
    select distinct on (conversation_id) *
    from intent_labels
    order by conversation_id, created_at desc, plugin, plugin_version
  `.execute(db);
  await sql`
    create view current_turn_judgments as
    select distinct on (message_id) *
    from turn_judgments
    order by message_id, created_at desc, plugin, plugin_version
  `.execute(db);

  await db.schema
    .createTable("label_failures")
    .addColumn("id", "bigint", (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn("job_id", "text", (col) => col.notNull().references("jobs.id").onDelete("cascade"))
    .addColumn("conversation_id", "bigint", (col) =>
      col.notNull().references("conversations.id").onDelete("cascade"),
    )
    .addColumn("plugin", "text", (col) => col.notNull())
    .addColumn("error", "text", (col) => col.notNull())
    .addColumn("created_at", "timestamptz", (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("label_failures_job_idx")
    .on("label_failures")
    .column("job_id")
    .execute();
}
