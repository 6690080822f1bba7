import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/database.ts";
import {
  classifyInBatches,
  LlmClient,
  type LlmClientOptions,
  reviewConversation,
  runItems,
} from "../../src/llm/index.ts";
import { buildExpertisePrompt } from "../../src/prompts/index.ts";
import { jsonReply, textReply } from "../support/openai-test-server.ts";
import { BACKENDS, POSTGRES_URL, realData } from "../support/test-app.ts";
import { FAST_RETRY, type LlmHarness, startLlmHarness } from "./llm-fixtures.ts";
import { loadWildchat, scriptedModel, TEST_TAXONOMY } from "./scripted-model.ts";

const conversations = loadWildchat(realData("wildchat/wildchat_convotopo_full.jsonl"), 12);

describe.each(BACKENDS)("response cache on %s", (backend) => {
  let database: DatabaseHandle;
  let harness: LlmHarness;
  const schema = `test_${randomUUID().replaceAll("-", "")}`;
  beforeAll(async () => {
    database =
      backend === "pglite"
        ? await openDatabase({ pgliteDataDir: "memory://" })
        : await openDatabase({ databaseUrl: POSTGRES_URL, schema });
    harness = await startLlmHarness({ client: { db: database.db } });
    harness.server.setHandler(scriptedModel);
  });
  afterAll(async () => {
    await harness?.close();
    if (backend === "postgres")
      await sql`drop schema ${sql.id(schema)} cascade`.execute(database.db);
    await database?.close();
  });

  /** A fresh client, as a new process or a retried job would build it. */
  const freshClient = (options: Partial<LlmClientOptions> = {}) =>
    new LlmClient({ provider: harness.provider, db: database.db, retry: FAST_RETRY, ...options });

  async function labelAll(client: LlmClient) {
    const classified = await classifyInBatches(client, conversations, TEST_TAXONOMY, 4);
    const reviewed = await runItems(conversations, (conversation) =>
      reviewConversation(client, conversation),
    );
    return { classified, reviewed: reviewed.done.map((entry) => entry.result) };
  }

  it("second run makes no provider call", async () => {
    const first = freshClient();
    const firstRun = await labelAll(first);
    const providerCalls = harness.server.calls();
    expect(providerCalls).toBeGreaterThan(conversations.length);
    expect(first.usage.summary().calls).toBe(providerCalls);

    const second = freshClient();
    const secondRun = await labelAll(second);
    expect(harness.server.calls()).toBe(providerCalls);
    expect(second.usage.summary()).toMatchObject({
      calls: 0,
      cachedCalls: providerCalls,
      promptTokens: 0,
    });
    expect(secondRun).toEqual(firstRun);

    const stored = await database.db
      .selectFrom("llm_cache")
      .select(["prompt_id", "provider", "model"])
      .execute();
    expect(stored).toHaveLength(providerCalls);
    expect(new Set(stored.map((row) => row.prompt_id))).toEqual(
      new Set(["batch-classification", "conversation-review"]),
    );
  });

  it("keys on model and parameters", async () => {
    const before = harness.server.calls();
    const prompt = buildExpertisePrompt(conversations[0]!);
    await freshClient().generate(prompt);
    await freshClient().generate(prompt);
    await freshClient({ model: "another-model" }).generate(prompt);
    await freshClient({ temperature: 0.7 }).generate(prompt);
    expect(harness.server.calls() - before).toBe(3);
  });

  it("replays truncations and usage", async () => {
    const prompt = buildExpertisePrompt(conversations[1]!);
    harness.server.script(
      "expertise-classifier",
      textReply('{"level":', { finishReason: "length", usage: null }),
      jsonReply(
        { level: "novice", confidence: 0.5, rationale: "Short request." },
        { usage: { prompt_tokens: 50, completion_tokens: 9 } },
      ),
    );
    const before = harness.server.calls();
    const first = freshClient();
    expect((await first.generate(prompt)).status).toBe("ok");
    expect(first.usage.summary()).toMatchObject({
      calls: 2,
      unreportedUsageCalls: 1,
      promptTokens: 50,
    });

    const second = freshClient();
    const replay = await second.generate(prompt);
    expect(replay).toMatchObject({ status: "ok", requests: 2, cachedRequests: 2 });
    expect(harness.server.calls() - before).toBe(2);
  });

  it("stays off without cache", async () => {
    const before = harness.server.calls();
    const prompt = buildExpertisePrompt(conversations[2]!);
    await freshClient({ cache: false }).generate(prompt);
    await freshClient({ cache: false }).generate(prompt);
    expect(harness.server.calls() - before).toBe(2);
  });
});
