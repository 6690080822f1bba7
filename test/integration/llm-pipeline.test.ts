import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRetryable } from "../../jobs/errors.ts";
import {
  BudgetExceededError,
  LlmRateLimitedError,
  LlmRequestError,
  LlmUnavailableError,
} from "../../src/llm/index.ts";
import { createGrouping } from "../../src/services/grouping.service.ts";
import type { LlmExtractSummary } from "../../src/services/llm-extraction.service.ts";
import type { LlmLabelSummary } from "../../src/services/llm-labelling.service.ts";
import type { SidePreference } from "../../src/services/rubric.repository.ts";
import { planTailoring } from "../../src/services/tailoring-plan.service.ts";
import { scriptedModel } from "../llm/scripted-model.ts";
import { type OpenAiTestServer, startOpenAiTestServer } from "../support/openai-test-server.ts";
import { BACKENDS, createTestApp, type TestApp } from "../support/test-app.ts";
import {
  expectCompleteLabels,
  labelCounts,
  llmEnv,
  runJob,
  TEST_MODEL,
  wildchatSlice,
} from "./llm-support.ts";

describe.each(BACKENDS)("LLM pipeline on %s", (backend) => {
  let server: OpenAiTestServer;
  let app: TestApp;

  beforeAll(async () => {
    server = await startOpenAiTestServer({ handler: scriptedModel });
    app = await createTestApp({ backend, env: llmEnv(server.url) });
    await createGrouping(app.database.db, app.plugins, {
      name: "llm-expertise",
      classifier: "llm-expertise",
    });
    for (const [dataset, start] of [
      ["slice", 0],
      ["budget", 40],
    ] as const) {
      const done = await runJob(app, "import", { dataset, path: await wildchatSlice(start, 40) });
      expect(done.status).toBe("completed");
    }
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it("labels and extracts end to end", async () => {
    const labelled = await runJob(app, "label-llm", { dataset: "slice" });
    expect(labelled.error).toBeNull();
    const summary = labelled.result as LlmLabelSummary;
    expect(summary.conversations).toBe(40);
    expect(summary.stoppedByBudget).toBeNull();
    expect(summary.models.judgment).toBe(`llm:${TEST_MODEL}`);
    expectCompleteLabels(await labelCounts(app.database.db, "slice"));
    // One classification call per 8 conversations and one review per conversation.
    expect(server.calls("batch-classification")).toBe(5);
    expect(server.calls("conversation-review")).toBeLessThanOrEqual(40);
    expect(summary.judgments.SAT + summary.judgments.DSAT).toBeGreaterThan(0);

    const usage = labelled.usage as Record<string, number>;
    expect(usage.calls).toBe(server.requests.length);
    expect(usage.promptTokens).toBeGreaterThan(10_000);
    expect(usage.completionTokens).toBeGreaterThan(1_000);
    expect(usage.costUsd).toBeCloseTo((usage.promptTokens! + 2 * usage.completionTokens!) / 1e6, 9);

    const extracted = await runJob(app, "extract-rubrics", {
      dataset: "slice",
      grouping: "llm-expertise",
      method: "LLM",
    });
    expect(extracted.error).toBeNull();
    const rubrics = extracted.result as LlmExtractSummary;
    expect(rubrics.method).toBe("LLM");
    expect(rubrics.explanations).toBeGreaterThan(0);
    expect(rubrics.comparisons.length).toBeGreaterThan(0);
    expect(server.calls("rubric-aspects")).toBeGreaterThan(0);
    const kept = rubrics.comparisons.find((comparison) => comparison.kept.length > 0)!;
    expect(kept.kept).toContain("depth-of-explanation");

    const aspect = await app.database.db
      .selectFrom("rubric_aspects")
      .innerJoin("rubrics", "rubrics.id", "rubric_aspects.rubric_id")
      .selectAll("rubric_aspects")
      .where("rubrics.id", "=", kept.rubricId)
      .where("rubric_aspects.aspect", "=", "depth-of-explanation")
      .executeTakeFirstOrThrow();
    const preferences = aspect.preferences as unknown as Record<"a" | "b", SidePreference>;
    expect(preferences.a).toMatchObject({ group: kept.comparison.a, effectPoints: null });
    expect(preferences.a.preference).toBe("Wants the reasoning spelled out.");
    expect(aspect.evidence.length).toBeGreaterThan(0);

    const plan = await planTailoring(app, {
      messages: [{ role: "user", content: "Explain how to fix this bug." }],
      grouping: "llm-expertise",
      group: kept.comparison.a,
      intent: { domain: kept.domain, task: kept.task },
    });
    expect(plan.rubric?.method).toBe("LLM");
    expect(plan.rules.map((rule) => rule.aspect)).toContain("depth-of-explanation");
  });

  it("second run makes no call", async () => {
    const before = server.requests.length;
    const labelled = await runJob(app, "label-llm", { dataset: "slice" });
    const extracted = await runJob(app, "extract-rubrics", {
      dataset: "slice",
      grouping: "llm-expertise",
      method: "LLM",
    });
    expect(server.requests.length).toBe(before);
    expect(labelled.usage).toMatchObject({ calls: 0, promptTokens: 0 });
    expect((labelled.usage as Record<string, number>).cachedCalls).toBeGreaterThan(40);
    expect(extracted.usage).toMatchObject({ calls: 0 });
    expectCompleteLabels(await labelCounts(app.database.db, "slice"));
  });

  it("heuristic label skips LLM grouping", async () => {
    const done = await runJob(app, "label", { dataset: "slice" });
    expect(done.status).toBe("completed");
    const plugins = await app.database.db
      .selectFrom("group_labels")
      .innerJoin("groupings", "groupings.id", "group_labels.grouping_id")
      .select("group_labels.plugin")
      .distinct()
      .where("groupings.name", "=", "llm-expertise")
      .execute();
    expect(plugins).toEqual([{ plugin: `llm:${TEST_MODEL}` }]);
    const named = await app.jobs.enqueue("label", {
      dataset: "slice",
      groupings: ["llm-expertise"],
    });
    const failed = await app.jobs.waitFor(named.id);
    expect(failed.error?.message).toContain("label-llm");
  });

  it("budget stops it cleanly", async () => {
    const budgetTokens = 40_000;
    const done = await runJob(app, "label-llm", { dataset: "budget", budgetTokens });
    expect(done.status).toBe("completed");
    const summary = done.result as LlmLabelSummary;
    expect(summary.stoppedByBudget).toMatchObject({ limit: "tokens", maximum: budgetTokens });
    const counts = await labelCounts(app.database.db, "budget");
    expect(counts.judgments).toBeGreaterThan(0);
    expect(counts.judgments).toBeLessThan(counts.assistantTurns);
    expect(counts.distinctJudgedTurns).toBe(counts.judgments);
    expect(counts.explanations).toBe(counts.ratedTurns);
    const usage = done.usage as Record<string, number>;
    // Calls already in flight when the budget ran out may pass it, by at most one round.
    expect(usage.promptTokens! + usage.completionTokens!).toBeLessThan(budgetTokens * 1.5);
  });
});

describe("LLM job errors", () => {
  it("retry follows LlmError.retryable", () => {
    expect(isRetryable(new LlmUnavailableError("env", 4, 503, "server overloaded"))).toBe(true);
    expect(isRetryable(new LlmRateLimitedError("env", 4, 30_000, "429"))).toBe(true);
    expect(isRetryable(new LlmRequestError("env", 400, "bad request"))).toBe(false);
    expect(isRetryable(new BudgetExceededError("tokens", 100, 120))).toBe(false);
  });
});

describe("LLM jobs without a provider", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    const done = await runJob(app, "import", { dataset: "slice", path: await wildchatSlice(0, 5) });
    expect(done.status).toBe("completed");
  });
  afterAll(async () => {
    await app?.close();
  });

  it("rejects jobs at enqueue", async () => {
    expect(app.llm).toBeUndefined();
    await expect(app.jobs.enqueue("label-llm", { dataset: "slice" })).rejects.toMatchObject({
      name: "UnavailableError",
      message: expect.stringContaining("TAILOR_LLM_BASE_URL"),
    });
    await expect(
      app.jobs.enqueue("extract-rubrics", { dataset: "slice", grouping: "g", method: "LLM" }),
    ).rejects.toMatchObject({ name: "UnavailableError" });
  });

  it("estimates a dry run", async () => {
    const done = await runJob(app, "label-llm", { dataset: "slice", dryRun: true });
    expect(done.status).toBe("completed");
    const summary = done.result as LlmLabelSummary;
    expect(summary.estimate?.calls).toMatchObject({ classification: 1, judgment: 5 });
    expect(summary.estimate?.promptTokens).toBeGreaterThan(1_000);
  });
});
