import { afterEach, describe, expect, it } from "vitest";
import {
  classifyInBatches,
  classifySeparately,
  explanationItems,
  reviewConversation,
  reviewConversationPerStep,
} from "../../src/llm/index.ts";
import { ratableTurns } from "../../src/prompts/index.ts";
import { jsonReply } from "../support/openai-test-server.ts";
import { realData } from "../support/test-app.ts";
import { type LlmHarness, startLlmHarness } from "./llm-fixtures.ts";
import { dataBlocks, loadWildchat, scriptedModel, TEST_TAXONOMY } from "./scripted-model.ts";

const conversations = loadWildchat(realData("wildchat/wildchat_convotopo_full.jsonl"), 10);

describe("labelling tasks on WildChat", () => {
  let harness: LlmHarness;
  afterEach(async () => harness?.close());

  it("labels the same turns both ways", async () => {
    harness = await startLlmHarness();
    harness.server.setHandler(scriptedModel);
    for (const conversation of conversations) {
      const combined = await reviewConversation(harness.client, conversation);
      const perStep = await reviewConversationPerStep(harness.client, conversation);
      const assistantTurns = conversation.messages.flatMap((message, index) =>
        message.role === "assistant" ? [index] : [],
      );
      expect(combined.ok && combined.turns.map((turn) => turn.index)).toEqual(assistantTurns);
      expect(perStep.ok && perStep.turns.map((turn) => [turn.index, turn.judgment])).toEqual(
        combined.ok && combined.turns.map((turn) => [turn.index, turn.judgment]),
      );
    }
    const turns = conversations.reduce(
      (sum, conversation) => sum + ratableTurns(conversation).length,
      0,
    );
    expect(harness.server.calls("conversation-review")).toBe(conversations.length);
    expect(harness.server.calls("satisfaction-judge")).toBe(turns);
    expect(harness.server.calls("preference-explanation")).toBeGreaterThan(0);
  });

  it("turns reviews into explanation items", async () => {
    harness = await startLlmHarness();
    harness.server.setHandler(scriptedModel);
    const labels = await reviewConversation(harness.client, conversations[0]!);
    const items = explanationItems(labels);
    expect(labels.ok).toBe(true);
    const rated = labels.ok ? labels.turns.filter((turn) => turn.judgment !== "NA") : [];
    expect(items.map((item) => item.id)).toEqual(
      rated.map((turn) => `${conversations[0]!.id}:${turn.index}`),
    );
  });

  it("classifies in batches", async () => {
    harness = await startLlmHarness();
    harness.server.setHandler(scriptedModel);
    const batched = await classifyInBatches(harness.client, conversations, TEST_TAXONOMY, 4);
    expect(harness.server.calls("batch-classification")).toBe(3);
    expect(batched.map((result) => result.conversationId)).toEqual(
      conversations.map((conversation) => conversation.id),
    );
    const separate = await Promise.all(
      conversations.map((conversation) =>
        classifySeparately(harness.client, conversation, TEST_TAXONOMY),
      ),
    );
    expect(harness.server.calls("expertise-classifier")).toBe(conversations.length);
    expect(harness.server.calls("intent-classifier")).toBe(conversations.length);
    expect(batched.every((result) => result.ok)).toBe(true);
    expect(separate.every((result) => result.ok)).toBe(true);
  });

  it("splits a batch that fails", async () => {
    harness = await startLlmHarness();
    harness.server.setHandler((request) => {
      const entries = dataBlocks(request.user).conversations as unknown[];
      // A model that drops the last conversation of every multi-conversation batch.
      if (entries.length > 1) return jsonReply({ results: [] });
      return scriptedModel(request);
    });
    const results = await classifyInBatches(
      harness.client,
      conversations.slice(0, 3),
      TEST_TAXONOMY,
      3,
    );
    expect(results.every((result) => result.ok)).toBe(true);
    // One batch call, its re-ask, then one call per conversation.
    expect(harness.server.calls("batch-classification")).toBe(2 + 3);
  });
});
