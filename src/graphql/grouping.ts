import type { Selectable } from "kysely";
import { toSnapshot } from "../../jobs/progress-bus.ts";
import type { GroupingsTable } from "../db/tables.ts";
import { InvalidInputError, NotFoundError, UnavailableError } from "../errors.ts";
import { requireDataset } from "../services/catalog.lookup.ts";
import { createGrouping, updateGrouping } from "../services/grouping.service.ts";
import { builder } from "./builder.ts";
import { JobRef } from "./job.ts";

type GroupingRow = Selectable<GroupingsTable>;

export const GroupingRef = builder.objectRef<GroupingRow>("Grouping");

const GroupCountRef = builder
  .objectRef<{ name: string; conversations: number }>("GroupCount")
  .implement({
    fields: (t) => ({
      name: t.exposeString("name"),
      conversations: t.exposeInt("conversations", {
        description: "Conversations currently labelled with this group.",
      }),
    }),
  });

GroupingRef.implement({
  description: "A dimension that splits users into groups, such as region or expertise.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    classifier: t.exposeString("classifier", {
      description: "The group classifier plugin capability.",
    }),
    options: t.field({ type: "JSON", resolve: (grouping) => grouping.options }),
    declaredGroups: t.stringList({ resolve: (grouping) => grouping.groups }),
    groups: t.field({
      type: [GroupCountRef],
      description:
        "Groups with their labelled conversations, `unknown` included; optionally within one dataset.",
      args: { dataset: t.arg.string({ required: false }) },
      resolve: async (grouping, args, { app }) => {
        const { db } = app.database;
        let query = db
          .selectFrom("current_group_labels")
          .select(["group_name", (eb) => eb.fn.countAll<number>().as("count")])
          .where("grouping_id", "=", grouping.id);
        if (args.dataset) {
          query = query.where("conversation_id", "in", (eb) =>
            eb
              .selectFrom("conversations")
              .innerJoin("datasets", "datasets.id", "conversations.dataset_id")
              .select("conversations.id")
              .where("datasets.name", "=", args.dataset!),
          );
        }
        const rows = await query.groupBy("group_name").execute();
        const counts = new Map(rows.map((row) => [row.group_name, Number(row.count)]));
        const names = [...new Set([...grouping.groups, ...counts.keys()])];
        return names.map((name) => ({ name, conversations: counts.get(name) ?? 0 }));
      },
    }),
    createdAt: t.field({ type: "DateTime", resolve: (grouping) => grouping.created_at }),
    updatedAt: t.field({ type: "DateTime", resolve: (grouping) => grouping.updated_at }),
  }),
});

const IntentCountRef = builder
  .objectRef<{ domain: string; task: string; conversations: number }>("IntentCount")
  .implement({
    fields: (t) => ({
      domain: t.exposeString("domain"),
      task: t.exposeString("task"),
      conversations: t.exposeInt("conversations"),
    }),
  });

const PluginRef = builder
  .objectRef<ReturnType<import("../plugin-host/plugin-host.ts").PluginHost["list"]>[number]>(
    "Plugin",
  )
  .implement({
    description: "A loaded plugin; secret options are shown as ***.",
    fields: (t) => ({
      name: t.exposeString("name"),
      version: t.exposeString("version"),
      description: t.exposeString("description", { nullable: true }),
      module: t.exposeString("module"),
      builtin: t.exposeBoolean("builtin"),
      kinds: t.stringList({ resolve: (plugin) => plugin.kinds }),
      capabilities: t.field({ type: "JSON", resolve: (plugin) => plugin.capabilities }),
      options: t.field({ type: "JSON", resolve: (plugin) => plugin.options }),
    }),
  });

builder.queryFields((t) => ({
  groupings: t.field({
    type: [GroupingRef],
    resolve: (_root, _args, { app }) =>
      app.database.db.selectFrom("groupings").selectAll().orderBy("name").execute(),
  }),
  grouping: t.field({
    type: GroupingRef,
    nullable: true,
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, { name }, { app }) =>
      (await app.database.db
        .selectFrom("groupings")
        .selectAll()
        .where("name", "=", name)
        .executeTakeFirst()) ?? null,
  }),
  intents: t.field({
    type: [IntentCountRef],
    description: "Intents with their labelled conversations, optionally within one dataset.",
    args: { dataset: t.arg.string({ required: false }) },
    resolve: async (_root, args, { app }) => {
      const { db } = app.database;
      let query = db
        .selectFrom("current_intent_labels")
        .select(["domain", "task", (eb) => eb.fn.countAll<number>().as("count")]);
      if (args.dataset) {
        query = query.where("conversation_id", "in", (eb) =>
          eb
            .selectFrom("conversations")
            .innerJoin("datasets", "datasets.id", "conversations.dataset_id")
            .select("conversations.id")
            .where("datasets.name", "=", args.dataset!),
        );
      }
      const rows = await query
        .groupBy(["domain", "task"])
        .orderBy("domain")
        .orderBy("task")
        .execute();
      return rows.map((row) => ({
        domain: row.domain,
        task: row.task,
        conversations: Number(row.count),
      }));
    },
  }),
  plugins: t.field({
    type: [PluginRef],
    resolve: (_root, _args, { app }) => app.plugins.list(),
  }),
}));

const GroupingInput = builder.inputType("CreateGroupingInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: "Lower-case letters, digits and hyphens." }),
    classifier: t.string({
      required: true,
      description: "Group classifier id, e.g. metadata or heuristic-expertise.",
    }),
    options: t.field({ type: "JSON", required: false, description: "The classifier's options." }),
  }),
});

const UpdateGroupingInput = builder.inputType("UpdateGroupingInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    classifier: t.string({ required: false }),
    options: t.field({ type: "JSON", required: false }),
  }),
});

const LabelConversationsInput = builder.inputType("LabelConversationsInput", {
  fields: (t) => ({
    dataset: t.string({ required: true }),
    groupings: t.stringList({ required: false, description: "Grouping names; all when omitted." }),
    intent: t.string({
      required: false,
      description: "Intent classifier id; the default when omitted.",
    }),
    judge: t.string({
      required: false,
      description: "Satisfaction judge id; the default when omitted.",
    }),
  }),
});

builder.mutationFields((t) => ({
  createGrouping: t.field({
    type: GroupingRef,
    errors: { types: [InvalidInputError, UnavailableError] },
    args: { input: t.arg({ type: GroupingInput, required: true }) },
    resolve: (_root, { input }, { app }) =>
      createGrouping(app.database.db, app.plugins, {
        name: input.name,
        classifier: input.classifier,
        options: input.options ?? {},
      }),
  }),
  updateGrouping: t.field({
    type: GroupingRef,
    errors: { types: [InvalidInputError, NotFoundError, UnavailableError] },
    args: { input: t.arg({ type: UpdateGroupingInput, required: true }) },
    resolve: (_root, { input }, { app }) => updateGrouping(app.database.db, app.plugins, input),
  }),
  labelConversations: t.field({
    type: JobRef,
    description: "Starts a labelling job: groups, intents and turn judgments for a dataset.",
    errors: { types: [InvalidInputError, NotFoundError, UnavailableError] },
    args: { input: t.arg({ type: LabelConversationsInput, required: true }) },
    resolve: async (_root, { input }, { app }) => {
      const { db } = app.database;
      await requireDataset(db, input.dataset);
      // Fail fast on unknown plugins instead of in the job.
      app.plugins.intentClassifier(input.intent ?? undefined);
      app.plugins.satisfactionJudge(input.judge ?? undefined);
      const row = await app.jobs.enqueue("label", {
        dataset: input.dataset,
        ...(input.groupings ? { groupings: input.groupings } : {}),
        ...(input.intent ? { intent: input.intent } : {}),
        ...(input.judge ? { judge: input.judge } : {}),
      });
      return toSnapshot(row);
    },
  }),
}));
