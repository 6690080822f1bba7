import type { ExpressionBuilder } from "kysely";
import type { Database } from "../db/tables.ts";
import { builder } from "./builder.ts";
import { JudgmentEnum } from "./judgment.ts";

export const ConversationLabelFilter = builder.inputType("ConversationLabelFilter", {
  description: "Filters on the current labels written by labelling jobs.",
  fields: (t) => ({
    grouping: t.string({
      required: false,
      description: "Grouping name; with `group`, only that grouping's labels count.",
    }),
    group: t.string({ required: false }),
    domain: t.string({ required: false, description: "Intent domain." }),
    task: t.string({ required: false, description: "Intent task." }),
    judgment: t.field({
      type: JudgmentEnum,
      required: false,
      description: "Only conversations with an assistant turn judged so.",
    }),
  }),
});

export interface LabelFilter {
  grouping?: string | null;
  group?: string | null;
  domain?: string | null;
  task?: string | null;
  judgment?: string | null;
}

/** Conditions on `conversations.id` for each label filter that is set. */
export function labelConditions(
  eb: ExpressionBuilder<Database, "conversations">,
  labels: LabelFilter,
) {
  const conditions = [];
  if (labels.group) {
    let labelled = eb
      .selectFrom("current_group_labels")
      .select("conversation_id")
      .where("group_name", "=", labels.group);
    if (labels.grouping) {
      labelled = labelled.where(
        "grouping_id",
        "in",
        eb
          .selectFrom("groupings")
          .select("groupings.id")
          .where("groupings.name", "=", labels.grouping),
      );
    }
    conditions.push(eb("conversations.id", "in", labelled));
  }
  if (labels.domain || labels.task) {
    let labelled = eb.selectFrom("current_intent_labels").select("conversation_id");
    if (labels.domain) labelled = labelled.where("domain", "=", labels.domain);
    if (labels.task) labelled = labelled.where("task", "=", labels.task);
    conditions.push(eb("conversations.id", "in", labelled));
  }
  if (labels.judgment) {
    const judged = eb
      .selectFrom("current_turn_judgments")
      .select("conversation_id")
      .where("judgment", "=", labels.judgment as "SAT" | "DSAT" | "NA");
    conditions.push(eb("conversations.id", "in", judged));
  }
  return eb.and(conditions);
}
