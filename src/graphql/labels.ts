import { builder } from "./builder.ts";
import { ConversationRef, MessageRef } from "./conversation.ts";

import { JudgmentEnum } from "./judgment.ts";

interface LabelSource {
  plugin: string;
  plugin_version: string;
  confidence: number;
}

const GroupLabelRef = builder
  .objectRef<LabelSource & { grouping: string; group_name: string; rationale: string | null }>(
    "GroupLabel",
  )
  .implement({
    fields: (t) => ({
      grouping: t.exposeString("grouping"),
      group: t.exposeString("group_name"),
      confidence: t.exposeFloat("confidence"),
      rationale: t.exposeString("rationale", { nullable: true }),
      plugin: t.exposeString("plugin"),
      pluginVersion: t.exposeString("plugin_version"),
    }),
  });

const IntentLabelRef = builder
  .objectRef<LabelSource & { domain: string; task: string }>("IntentLabel")
  .implement({
    fields: (t) => ({
      domain: t.exposeString("domain"),
      task: t.exposeString("task"),
      confidence: t.exposeFloat("confidence"),
      plugin: t.exposeString("plugin"),
      pluginVersion: t.exposeString("plugin_version"),
    }),
  });

const TurnJudgmentRef = builder
  .objectRef<
    LabelSource & { judgment: "SAT" | "DSAT" | "NA"; source: string; rationale: string | null }
  >("TurnJudgment")
  .implement({
    fields: (t) => ({
      judgment: t.field({ type: JudgmentEnum, resolve: (row) => row.judgment }),
      confidence: t.exposeFloat("confidence"),
      source: t.exposeString("source", {
        description: "explicit (votes, thumbs), cue (the next user message), no-follow-up, or llm.",
      }),
      rationale: t.exposeString("rationale", { nullable: true }),
      plugin: t.exposeString("plugin"),
      pluginVersion: t.exposeString("plugin_version"),
    }),
  });

builder.objectFields(ConversationRef, (t) => ({
  groups: t.field({
    type: [GroupLabelRef],
    description: "The conversation's current group in each grouping.",
    resolve: (conversation, _args, { app }) =>
      app.database.db
        .selectFrom("current_group_labels as label")
        .innerJoin("groupings", "groupings.id", "label.grouping_id")
        .select([
          "groupings.name as grouping",
          "label.group_name",
          "label.confidence",
          "label.rationale",
          "label.plugin",
          "label.plugin_version",
        ])
        .where("label.conversation_id", "=", conversation.id)
        .orderBy("groupings.name")
        .execute(),
  }),
  intent: t.field({
    type: IntentLabelRef,
    nullable: true,
    resolve: async (conversation, _args, { app }) =>
      (await app.database.db
        .selectFrom("current_intent_labels")
        .selectAll()
        .where("conversation_id", "=", conversation.id)
        .executeTakeFirst()) ?? null,
  }),
}));

builder.objectFields(MessageRef, (t) => ({
  judgment: t.field({
    type: TurnJudgmentRef,
    nullable: true,
    description: "For assistant turns: the current satisfaction judgment.",
    resolve: async (message, _args, { app }) =>
      message.role !== "assistant"
        ? null
        : ((await app.database.db
            .selectFrom("current_turn_judgments")
            .selectAll()
            .where("message_id", "=", message.id)
            .executeTakeFirst()) ?? null),
  }),
}));
