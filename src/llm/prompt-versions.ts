import {
  buildBatchClassificationPrompt,
  buildConversationReviewPrompt,
  buildRubricAspectsPrompt,
  type PromptConversation,
} from "../prompts/index.ts";

const SAMPLE: PromptConversation = {
  id: "sample",
  messages: [
    { role: "user", content: "" },
    { role: "assistant", content: "" },
    { role: "user", content: "" },
  ],
};

/**
 * `<id>@<version>` of the prompts whose output the LLM jobs store, read from the builders so
 * they change with them. Stored as the labels' `plugin_version`, so labels of a reworded
 * prompt sit beside the old ones instead of overwriting them.
 */
export const PROMPT_VERSIONS = (() => {
  const label = (prompt: { id: string; version: number } | undefined) =>
    `${prompt!.id}@${prompt!.version}`;
  return {
    classification: label(buildBatchClassificationPrompt([SAMPLE], { other: ["other"] })),
    judgment: label(buildConversationReviewPrompt(SAMPLE)),
    extraction: label(
      buildRubricAspectsPrompt({
        intent: { domain: "other", task: "other" },
        groups: ["a", "b"],
        batchA: [],
        batchB: [],
        current: [],
      }),
    ),
  };
})();
