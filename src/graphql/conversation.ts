import { sql } from "kysely";
import type { ConversationRow, MessageRow } from "../db/tables.ts";
import { InvalidInputError } from "../errors.ts";
import { builder } from "./builder.ts";
import { cursorConnection, decodeIdCursor, encodeCursor } from "./cursor.ts";
import { DatasetRef } from "./dataset.ts";
import { ConversationLabelFilter, labelConditions } from "./label-filters.ts";

export const ConversationRef = builder.objectRef<ConversationRow>("Conversation");
export const MessageRef = builder.objectRef<MessageRow>("Message");

const RoleEnum = builder.enumType("Role", {
  values: {
    SYSTEM: { value: "system" },
    USER: { value: "user" },
    ASSISTANT: { value: "assistant" },
  } as const,
});

builder.node(MessageRef, {
  id: { resolve: (message) => message.id },
  loadOne: async (id, { app }) =>
    (await app.database.db
      .selectFrom("messages")
      .selectAll()
      .where("id", "=", Number(id))
      .executeTakeFirst()) ?? null,
  fields: (t) => ({
    position: t.exposeInt("position", { description: "0-based index in the conversation." }),
    role: t.field({ type: RoleEnum, resolve: (message) => message.role }),
    content: t.exposeString("content"),
    feedback: t.field({
      type: "JSON",
      nullable: true,
      description: "Explicit feedback the source recorded on this turn: votes, rank, thumbs.",
      resolve: (message) => message.feedback,
    }),
  }),
});

builder.node(ConversationRef, {
  id: { resolve: (conversation) => conversation.id },
  loadOne: async (id, { app }) =>
    (await app.database.db
      .selectFrom("conversations")
      .selectAll()
      .where("id", "=", Number(id))
      .executeTakeFirst()) ?? null,
  fields: (t) => ({
    externalId: t.exposeString("external_id", {
      nullable: true,
      description: "The source's own id.",
    }),
    sourceFormat: t.exposeString("source_format"),
    turnCount: t.exposeInt("turn_count", { description: "Number of user messages." }),
    metadata: t.field({ type: "JSON", resolve: (conversation) => conversation.metadata }),
    createdAt: t.field({ type: "DateTime", resolve: (conversation) => conversation.created_at }),
    dataset: t.field({
      type: DatasetRef,
      resolve: async (conversation, _args, { app }) =>
        app.database.db
          .selectFrom("datasets")
          .selectAll()
          .where("id", "=", conversation.dataset_id)
          .executeTakeFirstOrThrow(),
    }),
    messages: t.field({
      type: [MessageRef],
      resolve: (conversation, _args, { app }) =>
        app.database.db
          .selectFrom("messages")
          .selectAll()
          .where("conversation_id", "=", conversation.id)
          .orderBy("position")
          .execute(),
    }),
  }),
});

const ConversationFilter = builder.inputType("ConversationFilter", {
  fields: (t) => ({
    dataset: t.string({ required: false, description: "Dataset name." }),
    country: t.string({ required: false }),
    language: t.string({ required: false }),
    model: t.string({ required: false }),
    metadata: t.field({
      type: "JSON",
      required: false,
      description:
        'Metadata that must be contained in the conversation\'s, e.g. {"state": "Texas"}.',
    }),
    labels: t.field({ type: ConversationLabelFilter, required: false }),
  }),
});

builder.queryFields((t) => ({
  conversation: t.field({
    type: ConversationRef,
    nullable: true,
    description: "One conversation with its messages, by its global id.",
    args: { id: t.arg.globalID({ required: true, for: [ConversationRef] }) },
    resolve: async (_root, { id }, { app }) =>
      (await app.database.db
        .selectFrom("conversations")
        .selectAll()
        .where("id", "=", Number(id.id))
        .executeTakeFirst()) ?? null,
  }),
  conversations: t.connection({
    type: ConversationRef,
    description: "Conversations in import order, filtered by dataset, metadata and labels.",
    args: { filter: t.arg({ type: ConversationFilter, required: false }) },
    resolve: (_root, args, { app }) =>
      cursorConnection(
        args,
        (conversation: ConversationRow) => encodeCursor([conversation.id]),
        async ({ before, after, limit, inverted }) => {
          const filter = args.filter ?? {};
          const { db } = app.database;
          let query = db.selectFrom("conversations").selectAll("conversations");
          if (filter.dataset) {
            query = query.where(
              "dataset_id",
              "in",
              db.selectFrom("datasets").select("id").where("name", "=", filter.dataset),
            );
          }
          const contained = metadataFilter(filter);
          if (Object.keys(contained).length > 0) {
            query = query.where(sql<boolean>`metadata @> ${JSON.stringify(contained)}::jsonb`);
          }
          const labels = filter.labels;
          if (labels) query = query.where((eb) => labelConditions(eb, labels));
          const id = decodeIdCursor(after ?? before);
          if (id !== undefined) query = query.where("conversations.id", after ? ">" : "<", id);
          return query
            .orderBy("conversations.id", inverted ? "desc" : "asc")
            .limit(limit)
            .execute();
        },
      ),
  }),
}));

function metadataFilter(filter: {
  country?: string | null;
  language?: string | null;
  model?: string | null;
  metadata?: unknown;
}): Record<string, unknown> {
  const contained: Record<string, unknown> = {};
  if (filter.metadata !== undefined && filter.metadata !== null) {
    if (typeof filter.metadata !== "object" || Array.isArray(filter.metadata)) {
      throw new InvalidInputError(
        "filter.metadata",
        `metadata must be a JSON object; got ${JSON.stringify(filter.metadata)}.`,
      );
    }
    Object.assign(contained, filter.metadata);
  }
  if (filter.country) contained.country = filter.country;
  if (filter.language) contained.language = filter.language;
  if (filter.model) contained.model = filter.model;
  return contained;
}
