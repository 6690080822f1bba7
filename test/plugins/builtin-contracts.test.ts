import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_PLUGINS } from "../../plugins/builtin.ts";
import type { PluginConversation, PluginDefinition } from "../../src/plugin-api/index.ts";
import {
  checkAspectDetectorContract,
  checkGroupClassifierContract,
  checkIntentClassifierContract,
  checkSatisfactionJudgeContract,
  setUpPluginForTest,
} from "../../src/plugin-api/testing.ts";
import { realData } from "../support/test-app.ts";

/** Real conversations (the first 20 WildChat records) plus the kit's own edge cases. */
const SAMPLES: PluginConversation[] = readFileSync(
  realData("wildchat/wildchat_convotopo_full.jsonl"),
  "utf8",
)
  .split("\n")
  .filter((line) => line.trim() !== "")
  .slice(0, 20)
  .map((line) => {
    const record = JSON.parse(line) as {
      id: string;
      messages: { role: "user" | "assistant"; content: string }[];
      metadata: Record<string, unknown>;
    };
    return {
      id: record.id,
      messages: record.messages.map(({ role, content }) => ({ role, content })),
      metadata: record.metadata,
    };
  });

const REPLIES = SAMPLES.flatMap((conversation) =>
  conversation.messages.flatMap((message, index) =>
    message.role === "assistant"
      ? [{ content: message.content, request: conversation.messages[index - 1]?.content ?? "" }]
      : [],
  ),
);

/** Grouping options to check each built-in group classifier with. */
const GROUPING_OPTIONS: Record<string, unknown> = {
  metadata: {
    field: "country",
    table: { "United States": "US", China: "China" },
    defaultGroup: "other",
  },
  "heuristic-expertise": {},
  "llm-expertise": {},
};

const check = { sampleConversations: SAMPLES, deterministic: true };

describe.each(BUILTIN_PLUGINS)("built-in $name", ({ url }) => {
  it("keeps its contracts", async () => {
    const definition = ((await import(url)) as { default: PluginDefinition<unknown> }).default;
    const { problems, capabilities } = await setUpPluginForTest(definition);
    for (const factory of capabilities.groupClassifier) {
      expect(factory.id in GROUPING_OPTIONS, `options for ${factory.id}`).toBe(true);
      problems.push(
        ...(await checkGroupClassifierContract(factory, {
          ...check,
          options: GROUPING_OPTIONS[factory.id],
        })),
      );
    }
    for (const classifier of capabilities.intentClassifier) {
      problems.push(...(await checkIntentClassifierContract(classifier, check)));
    }
    for (const judge of capabilities.satisfactionJudge) {
      problems.push(...(await checkSatisfactionJudgeContract(judge, check)));
    }
    for (const detector of capabilities.aspectDetector) {
      problems.push(
        ...(await checkAspectDetectorContract(detector, {
          sampleReplies: REPLIES,
          deterministic: true,
        })),
      );
    }
    expect(problems).toEqual([]);
  });
});
