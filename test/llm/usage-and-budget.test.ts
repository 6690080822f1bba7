import { afterEach, describe, expect, it } from "vitest";
import {
  BudgetExceededError,
  estimateLlmWorkload,
  LlmConfigurationError,
  reviewConversation,
  runItems,
  UsageMeter,
} from "../../src/llm/index.ts";
import { buildExpertisePrompt } from "../../src/prompts/index.ts";
import { jsonReply } from "../support/openai-test-server.ts";
import { realData } from "../support/test-app.ts";
import { type LlmHarness, startLlmHarness } from "./llm-fixtures.ts";
import { loadWildchat, scriptedModel, TEST_TAXONOMY } from "./scripted-model.ts";

const conversations = loadWildchat(realData("wildchat/wildchat_convotopo_full.jsonl"), 20);
const PRICES = { "test-model": { inputPerMillion: 2.5, outputPerMillion: 10 } };

describe("usage and budget", () => {
  let harness: LlmHarness;
  afterEach(async () => harness?.close());

  it("accumulates tokens and cost", async () => {
    harness = await startLlmHarness({ client: { prices: PRICES } });
    harness.server.setHandler(() =>
      jsonReply(
        { level: "novice", confidence: 0.5, rationale: "Basic." },
        { usage: { prompt_tokens: 1000, completion_tokens: 200 } },
      ),
    );
    const job = harness.client.withScope({});
    await job.generate(buildExpertisePrompt(conversations[0]!));
    await job.generate(buildExpertisePrompt(conversations[1]!));
    const summary = job.usage.summary();
    expect(summary).toMatchObject({
      calls: 2,
      promptTokens: 2000,
      completionTokens: 400,
      unreportedUsageCalls: 0,
    });
    // 2,000 × 2.5 / 1M + 400 × 10 / 1M
    expect(summary.costUsd).toBeCloseTo(0.009, 10);
    expect(job.usage.toJobUsage()).toMatchObject({
      calls: 2,
      promptTokens: 2000,
      costUsd: summary.costUsd,
    });
    expect(harness.client.usage.summary().calls).toBe(0);
  });

  it("leaves unknown cost out", () => {
    const meter = new UsageMeter({});
    meter.recordCall("unpriced", { promptTokens: 10, completionTokens: 5 }, 0);
    meter.recordCall("unpriced", null, 40);
    expect(meter.summary()).toMatchObject({
      costUsd: null,
      promptTokens: 10,
      unreportedUsageCalls: 1,
      estimatedUnreportedTokens: 40,
    });
    expect(meter.toJobUsage()).not.toHaveProperty("costUsd");
  });

  it("stops cleanly at the token budget", async () => {
    harness = await startLlmHarness({ client: { concurrency: 1 } });
    harness.server.setHandler(scriptedModel);
    const job = harness.client.withScope({ budget: { maxTokens: 20_000 } });
    const run = await runItems(conversations, (conversation) =>
      reviewConversation(job, conversation),
    );

    expect(run.budget).toBeInstanceOf(BudgetExceededError);
    expect(run.budget!.limit).toBe("tokens");
    expect(run.done.length).toBeGreaterThan(0);
    expect(run.skipped.length).toBeGreaterThan(0);
    expect(run.done.length + run.skipped.length).toBe(conversations.length);
    const used = job.usage.summary();
    expect(used.promptTokens + used.completionTokens).toBeLessThanOrEqual(20_000);
    expect(harness.server.calls()).toBe(used.calls);
  });

  it("stops at the cost budget", async () => {
    harness = await startLlmHarness({ client: { concurrency: 1, prices: PRICES } });
    harness.server.setHandler(() =>
      jsonReply(
        { level: "novice", confidence: 0.5, rationale: "Basic." },
        { usage: { prompt_tokens: 100_000, completion_tokens: 0 } },
      ),
    );
    // Each call costs 0.25 USD. The budget is checked before each call: the third starts with
    // 0.50 spent, the fourth would start with 0.75 spent and does not.
    const job = harness.client.withScope({ budget: { maxCostUsd: 0.6 } });
    const run = await runItems(conversations.slice(0, 5), (conversation) =>
      job.generate(buildExpertisePrompt(conversation)),
    );
    expect(run.done).toHaveLength(3);
    expect(run.skipped).toHaveLength(2);
    expect(run.budget?.limit).toBe("cost");
    expect(run.budget?.used).toBeCloseTo(0.75, 10);
    expect(harness.server.calls()).toBe(3);
  });

  it("rejects a cost budget without price", async () => {
    harness = await startLlmHarness();
    expect(() => harness.client.withScope({ budget: { maxCostUsd: 1 } })).toThrow(
      LlmConfigurationError,
    );
  });
});

describe("workload estimate", () => {
  it("counts calls per plan", () => {
    const combined = estimateLlmWorkload({
      conversations,
      taxonomy: TEST_TAXONOMY,
      plan: "combined",
      batchSize: 8,
    });
    const perStep = estimateLlmWorkload({
      conversations,
      taxonomy: TEST_TAXONOMY,
      plan: "per-step",
    });
    expect(combined.calls.classification).toBe(3);
    expect(combined.calls.judgment).toBe(conversations.length);
    expect(perStep.calls.classification).toBe(2 * conversations.length);
    expect(perStep.calls.total).toBeGreaterThan(2 * combined.calls.total);
    expect(perStep.promptTokens).toBeGreaterThan(combined.promptTokens);
    expect(combined.costUsd).toBeNull();
  });

  it("tracks measured calls", async () => {
    const harness = await startLlmHarness();
    try {
      harness.server.setHandler(scriptedModel);
      const estimate = estimateLlmWorkload({
        conversations,
        taxonomy: TEST_TAXONOMY,
        plan: "combined",
      });
      await runItems(conversations, (conversation) =>
        reviewConversation(harness.client, conversation),
      );
      const measured = harness.client.usage.summary();
      expect(measured.calls).toBe(estimate.calls.judgment);
      // The estimate counts the same prompt characters the test server counts.
      const reviewPrompt = harness.server.requests.reduce(
        (sum, request) => sum + Math.ceil((request.system.length + request.user.length) / 4),
        0,
      );
      expect(measured.promptTokens).toBe(reviewPrompt);
    } finally {
      await harness.close();
    }
  });
});
