import { afterEach, describe, expect, it } from "vitest";
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  LlmRateLimitedError,
  LlmRequestError,
  LlmUnavailableError,
} from "../../src/llm/index.ts";
import { buildExpertisePrompt, type PromptConversation } from "../../src/prompts/index.ts";
import { errorReply, jsonReply } from "../support/openai-test-server.ts";
import { FAST_RETRY, type LlmHarness, startLlmHarness } from "./llm-fixtures.ts";

const valid = { level: "expert", confidence: 0.9, rationale: "Precise terms." };
const conversation = (id: string): PromptConversation => ({
  id,
  messages: [{ role: "user", content: `Question number ${id} about kernel threads.` }],
});
const prompt = buildExpertisePrompt(conversation("c1"));

describe("retry owner", () => {
  let harness: LlmHarness;
  afterEach(async () => harness?.close());

  it("waits out a short Retry-After", async () => {
    harness = await startLlmHarness();
    harness.server.script(
      "expertise-classifier",
      errorReply(429, "slow down", { "retry-after-ms": "5" }),
      jsonReply(valid),
    );
    const outcome = await harness.client.generate(prompt);
    expect(outcome.status).toBe("ok");
    expect(harness.server.calls()).toBe(2);
    expect(harness.client.usage.summary()).toMatchObject({
      calls: 1,
      retries: 1,
      failedAttempts: 1,
    });
  });

  it("fails fast above the Retry-After ceiling", async () => {
    harness = await startLlmHarness({
      client: { retry: { ...FAST_RETRY, maxRetryAfterMs: 1_000 } },
    });
    harness.server.script(
      "expertise-classifier",
      errorReply(429, "slow down", { "retry-after": "120" }),
    );
    const error = await harness.client.generate(prompt).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmRateLimitedError);
    expect((error as LlmRateLimitedError).retryAfterMs).toBe(120_000);
    expect((error as LlmRateLimitedError).retryable).toBe(true);
    expect(harness.server.calls()).toBe(1);
  });

  it("stops after max attempts on 429", async () => {
    harness = await startLlmHarness();
    harness.server.script(
      "expertise-classifier",
      ...Array.from({ length: 3 }, () => errorReply(429, "busy")),
    );
    await expect(harness.client.generate(prompt)).rejects.toBeInstanceOf(LlmRateLimitedError);
    expect(harness.server.calls()).toBe(FAST_RETRY.maxAttempts);
  });

  it("retries 5xx then succeeds", async () => {
    harness = await startLlmHarness();
    harness.server.script(
      "expertise-classifier",
      { type: "http", status: 503, body: "<html>busy</html>", contentType: "text/html" },
      errorReply(500, "boom"),
      jsonReply(valid),
    );
    const outcome = await harness.client.generate(prompt);
    expect(outcome.status).toBe("ok");
    expect(harness.server.calls()).toBe(3);
  });

  it("gives up on persistent 5xx", async () => {
    harness = await startLlmHarness();
    harness.server.script(
      "expertise-classifier",
      ...Array.from({ length: 3 }, () => ({
        type: "http" as const,
        status: 500,
        body: "odd body",
      })),
    );
    const error = (await harness.client
      .generate(prompt)
      .catch((caught: unknown) => caught)) as LlmUnavailableError;
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect(error.status).toBe(500);
    expect(error.message).toContain("odd body");
    expect(harness.server.calls()).toBe(3);
  });

  it("does not retry a 400", async () => {
    harness = await startLlmHarness();
    harness.server.script("expertise-classifier", errorReply(400, "unknown model"));
    const error = (await harness.client
      .generate(prompt)
      .catch((caught: unknown) => caught)) as LlmRequestError;
    expect(error).toBeInstanceOf(LlmRequestError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain("unknown model");
    expect(harness.server.calls()).toBe(1);
  });

  it("times out hanging attempts", async () => {
    harness = await startLlmHarness({ client: { retry: { ...FAST_RETRY, timeoutMs: 100 } } });
    harness.server.script(
      "expertise-classifier",
      { type: "hang" },
      { type: "hang" },
      jsonReply(valid),
    );
    const outcome = await harness.client.generate(prompt);
    expect(outcome.status).toBe("ok");
    expect(harness.server.calls()).toBe(3);
    await harness.server.waitForAborts(2);
  });

  it("reports exhausted timeouts as unavailable", async () => {
    harness = await startLlmHarness({
      client: { retry: { ...FAST_RETRY, maxAttempts: 2, timeoutMs: 50 } },
    });
    harness.server.script("expertise-classifier", { type: "hang" }, { type: "hang" });
    const error = await harness.client.generate(prompt).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LlmUnavailableError);
    expect((error as Error).message).toContain("no answer within 50 ms");
  });

  it("stops on cancel during backoff", async () => {
    harness = await startLlmHarness({
      client: { retry: { ...FAST_RETRY, baseDelayMs: 60_000, maxDelayMs: 60_000 } },
    });
    harness.server.script("expertise-classifier", errorReply(500, "boom"));
    const controller = new AbortController();
    const pending = harness.client.withScope({ signal: controller.signal }).generate(prompt);
    await harness.server.waitForRequests(1);
    controller.abort(new Error("job cancelled"));
    await expect(pending).rejects.toThrow("job cancelled");
    expect(harness.server.calls()).toBe(1);
  });

  it("backs off exponentially with jitter", () => {
    for (let retry = 0; retry < 6; retry += 1) {
      const step = Math.min(
        DEFAULT_RETRY_POLICY.maxDelayMs,
        DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** retry,
      );
      const wait = backoffMs(DEFAULT_RETRY_POLICY, retry);
      expect(wait).toBeGreaterThanOrEqual(step / 2);
      expect(wait).toBeLessThanOrEqual(step);
    }
  });
});

describe("concurrency limit", () => {
  let harness: LlmHarness;
  afterEach(async () => harness?.close());

  it("caps calls in flight per provider", async () => {
    harness = await startLlmHarness({ server: { latencyMs: 30 }, client: { concurrency: 3 } });
    harness.server.setHandler(() => jsonReply(valid));
    // Two scopes share the client's limit.
    const jobA = harness.client.withScope({});
    const jobB = harness.client.withScope({});
    const prompts = Array.from({ length: 12 }, (_, index) =>
      buildExpertisePrompt(conversation(`c${index}`)),
    );
    const outcomes = await Promise.all(
      prompts.map((spec, index) => (index % 2 ? jobA : jobB).generate(spec)),
    );
    expect(outcomes.every((outcome) => outcome.status === "ok")).toBe(true);
    expect(harness.server.calls()).toBe(12);
    expect(harness.server.maxInFlight()).toBe(3);
    expect(jobA.usage.summary().calls).toBe(6);
    expect(jobB.usage.summary().calls).toBe(6);
  });

  it("survives a cancelled duplicate", async () => {
    harness = await startLlmHarness();
    harness.server.script("expertise-classifier", { type: "hang" }, jsonReply(valid));
    const controller = new AbortController();
    const cancelled = harness.client.withScope({ signal: controller.signal }).generate(prompt);
    await harness.server.waitForRequests(1);
    const other = harness.client.withScope({}).generate(prompt);
    controller.abort(new Error("job cancelled"));
    await expect(cancelled).rejects.toThrow("job cancelled");
    await expect(other).resolves.toMatchObject({ status: "ok" });
    expect(harness.server.calls()).toBe(2);
  });

  it("makes one call for identical requests", async () => {
    harness = await startLlmHarness({ server: { latencyMs: 20 } });
    harness.server.setHandler(() => jsonReply(valid));
    const outcomes = await Promise.all([
      harness.client.generate(prompt),
      harness.client.generate(prompt),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["ok", "ok"]);
    expect(harness.server.calls()).toBe(1);
    expect(harness.client.usage.summary()).toMatchObject({ calls: 1, cachedCalls: 1 });
  });
});
