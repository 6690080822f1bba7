import { toSnapshot } from "../../jobs/progress-bus.ts";
import { NotFoundError, UnavailableError } from "../errors.ts";
import { requireDataset } from "../services/catalog.lookup.ts";
import { builder } from "./builder.ts";
import { JobRef } from "./job.ts";

const LlmTaskEnum = builder.enumType("LlmLabelTask", {
  values: {
    CLASSIFICATION: {
      value: "classification",
      description: "Expertise group and intent, several conversations per call.",
    },
    JUDGMENT: {
      value: "judgment",
      description: "Every assistant turn's judgment, with an explanation for SAT and DSAT turns.",
    },
  } as const,
});

const LabelWithLlmInput = builder.inputType("LabelWithLlmInput", {
  fields: (t) => ({
    dataset: t.string({ required: true }),
    grouping: t.string({
      required: false,
      description: "A grouping whose classifier is llm-expertise; all such when omitted.",
    }),
    tasks: t.field({ type: [LlmTaskEnum], required: false }),
    budgetTokens: t.int({
      required: false,
      description: "Prompt plus completion tokens the job may spend.",
    }),
    dryRun: t.boolean({
      required: false,
      defaultValue: false,
      description: "Estimate calls, tokens and cost without calling the model.",
    }),
    extract: t.boolean({
      required: false,
      defaultValue: false,
      description: "Also extract LLM rubrics as explanations arrive.",
    }),
  }),
});

builder.mutationFields((t) => ({
  labelConversationsWithLlm: t.field({
    type: JobRef,
    description:
      "Starts an LLM labelling job: expertise, intent, turn judgments and preference explanations; needs an LLM provider unless dryRun.",
    errors: { types: [NotFoundError, UnavailableError] },
    args: { input: t.arg({ type: LabelWithLlmInput, required: true }) },
    resolve: async (_root, { input }, { app }) => {
      await requireDataset(app.database.db, input.dataset);
      const row = await app.jobs.enqueue("label-llm", {
        dataset: input.dataset,
        ...(input.grouping ? { grouping: input.grouping } : {}),
        ...(input.tasks?.length ? { tasks: input.tasks } : {}),
        ...(input.budgetTokens ? { budgetTokens: input.budgetTokens } : {}),
        dryRun: input.dryRun ?? false,
        ...(input.extract ? { extract: {} } : {}),
      });
      return toSnapshot(row);
    },
  }),
}));
