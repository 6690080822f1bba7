import {
  definePlugin,
  type GroupClassifierFactory,
  UNKNOWN_GROUP,
  z,
} from "../../src/plugin-api/index.ts";

/** The expertise levels the LLM labelling job assigns, besides `unknown`. */
export const LLM_EXPERTISE_GROUPS = ["novice", "intermediate", "expert"] as const;

/**
 * Marks a grouping as labelled by the LLM: the `label-llm` job classifies the expertise of each
 * conversation with the configured model, in batches, and stores the levels under groupings
 * with this classifier. The heuristic `label` job skips such groupings.
 *
 * A plugin cannot call the LLM layer. So `classify`, which the tailoring plan calls for a live
 * request, returns `unknown` with a rationale that explains this; pass the user's group instead.
 */
export const llmExpertiseClassifier: GroupClassifierFactory<Record<string, never>> = {
  id: "llm-expertise",
  description:
    "User expertise (novice, intermediate, expert) as judged by an LLM; labelled by the label-llm job, which needs an LLM provider.",
  optionsSchema: z.strictObject({}),
  create: () => ({
    groups: LLM_EXPERTISE_GROUPS,
    classify: () => ({
      group: UNKNOWN_GROUP,
      confidence: 0,
      rationale:
        "llm-expertise groups are assigned by the label-llm job, not per request; give the user's group explicitly.",
    }),
  }),
};

export default definePlugin({
  name: "llm-expertise",
  version: "1.0.0",
  apiVersion: 1,
  description: "Group classifier id for expertise groupings labelled by the LLM labelling job.",
  setup(context) {
    context.registerGroupClassifier(llmExpertiseClassifier);
  },
});
