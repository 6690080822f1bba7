import type { SelectQueryBuilder } from "kysely";
import type { Db } from "../db/database.ts";
import type { Database } from "../db/tables.ts";
import { builder } from "./builder.ts";

export const ConversationLabelFilter = builder.inputType("ConversationLabelFilter", {
  description: "Filters on labels written by labelling jobs.",
  fields: (t) => ({
    grouping: t.string({ required: false, description: "Grouping name; required with `group`." }),
    group: t.string({ required: false }),
    domain: t.string({ required: false, description: "Intent domain." }),
    task: t.string({ required: false, description: "Intent task." }),
    judgment: t.string({ required: false, description: "Only conversations with an assistant turn judged SAT, DSAT or NA." }),
  }),
});

type ConversationQuery = SelectQueryBuilder<Database, "conversations", Database["conversations"] extends never ? never : any>;

/** Restricts a conversations query to those with the given labels. */
export function applyLabelFilters<Q extends ConversationQuery>(
  db: Db,
  query: Q,
  labels: { grouping?: string | null; group?: string | null; domain?: string | null; task?: string | null; judgment?: string | null },
): Q {
  let result = query;
  if (labels.group) {
    const groupings = db.selectFrom("groupings").select("id");
    const byName = labels.grouping ? groupings.where("name", "=", labels.grouping) : groupings;
    result = result.where("conversations.id", "in", (eb: any) =>
      eb.selectFrom("group_labels").select("conversation_id").where("group_name", "=", labels.group).where("grouping_id", "in", byName),
    ) as Q;
  }
  if (labels.domain || labels.task) {
    result = result.where("conversations.id", "in", (eb: any) => {
      let sub = eb.selectFrom("intent_labels").select("conversation_id");
      if (labels.domain) sub = sub.where("domain", "=", labels.domain);
      if (labels.task) sub = sub.where("task", "=", labels.task);
      return sub;
    }) as Q;
  }
  if (labels.judgment) {
    result = result.where("conversations.id", "in", (eb: any) =>
      eb.selectFrom("turn_judgments").select("conversation_id").where("judgment", "=", labels.judgment),
    ) as Q;
  }
  return result;
}
