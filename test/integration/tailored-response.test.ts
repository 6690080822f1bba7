import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GenerateTailoredResponseDocument,
  type GenerateTailoredResponseInput,
  TailoredResponseStreamDocument,
} from "../../src/graphql/generated/graphql.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { createGrouping, GROUPING_PRESETS } from "../../src/services/grouping.service.ts";
import { postGraphQL, subscribeSse } from "../support/graphql-http.ts";
import {
  errorReply,
  type OpenAiTestServer,
  type RecordedRequest,
  startOpenAiTestServer,
  textReply,
  writeProviderConfig,
} from "../support/openai-test-server.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

const DEMO_FILE = path.resolve(import.meta.dirname, "../../examples/demo-conversations.jsonl");
const QUESTION =
  "I get this error in Python: TypeError: 'NoneType' object is not subscriptable. How do I fix this bug?";
const US_USER = {
  messages: [{ role: "USER" as const, content: QUESTION }],
  userMetadata: { country: "United States" },
};

describe("generateTailoredResponse", () => {
  let llm: OpenAiTestServer;
  let app: TestApp;
  let server: RunningServer;
  let bare: TestApp;
  let bareServer: RunningServer;

  beforeAll(async () => {
    llm = await startOpenAiTestServer();
    const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-generate-"));
    const configFile = await writeProviderConfig(folder, {
      baseUrl: llm.url,
      apiKey: "test-key",
      model: "test-model",
    });
    app = await createTestApp({ env: { TAILOR_CONFIG: configFile } });
    for (const [kind, payload] of [
      ["import", { dataset: "demo", path: DEMO_FILE }],
      ["label", { dataset: "demo" }],
      ["extract-rubrics", { dataset: "demo", grouping: "us-vs-rest" }],
    ] as const) {
      if (kind === "label")
        await createGrouping(app.database.db, app.plugins, GROUPING_PRESETS["us-vs-rest"]!);
      const queued = await app.jobs.enqueue(kind, payload);
      expect((await app.jobs.waitFor(queued.id)).status).toBe("completed");
    }
    server = await startServer(app, 0, "127.0.0.1");
    bare = await createTestApp();
    bareServer = await startServer(bare, 0, "127.0.0.1");
  });
  afterAll(async () => {
    await server?.close();
    await bareServer?.close();
    await app?.close();
    await bare?.close();
    await llm?.close();
  });

  async function generate(input: GenerateTailoredResponseInput) {
    const body = await postGraphQL(server.url, GenerateTailoredResponseDocument, { input });
    expect(body.errors).toBeUndefined();
    return body.data!.generateTailoredResponse;
  }

  function lastRequest(): RecordedRequest {
    return llm.requests.at(-1)!;
  }

  it("CONTEXT sends the rubric rules", async () => {
    llm.script("*", textReply("1. Check the config.\n2. Guard the None."));
    const result = await generate({ ...US_USER, mode: "CONTEXT" });
    if (result.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(JSON.stringify(result));
    expect(result.data).toMatchObject({
      mode: "CONTEXT",
      group: "US",
      task: "debugging",
      personalized: true,
      model: "test-model",
    });
    expect(result.data.aspectsApplied.map((rule) => rule.aspect)).toEqual(["numbered-steps"]);
    expect(result.data.text).toBe("1. Check the config.\n2. Guard the None.");
    const sent = lastRequest().body.messages;
    expect(sent[0]?.role).toBe("system");
    expect(sent[0]?.content).toContain("numbered steps");
    expect(sent.at(-1)).toEqual({ role: "user", content: QUESTION });
    expect(result.data.usage?.promptTokens).toBeGreaterThan(0);
  });

  it("BASE sends the conversation alone", async () => {
    llm.script("*", textReply("Plain answer."));
    const result = await generate({ ...US_USER, mode: "BASE" });
    if (result.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(result.__typename);
    expect(result.data.mode).toBe("BASE");
    expect(result.data.aspectsApplied).toEqual([]);
    expect(lastRequest().body.messages).toEqual([{ role: "user", content: QUESTION }]);
  });

  it("PERSONA names the group, not the rules", async () => {
    llm.script("*", textReply("Persona answer."));
    const result = await generate({ ...US_USER, mode: "PERSONA" });
    if (result.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(result.__typename);
    const system = lastRequest().body.messages[0]!.content;
    expect(system).toContain('"US"');
    expect(system).toContain('"programming"');
    expect(system).not.toContain("numbered steps");
  });

  it("STATIC generates criteria, then uses them", async () => {
    llm.script(
      "static-criteria",
      textReply(JSON.stringify({ criteria: ["Lead with the fix.", "Show the corrected line."] })),
    );
    llm.script("static-criteria-reply", textReply("Static answer."));
    const result = await generate({ ...US_USER, mode: "STATIC" });
    if (result.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(JSON.stringify(result));
    expect(result.data.text).toBe("Static answer.");
    const system = lastRequest().body.messages[0]!.content;
    expect(system).toContain("1. Lead with the fix.");
    expect(system).toContain("2. Show the corrected line.");
  });

  it("AUTO falls back to BASE and says why", async () => {
    llm.script("*", textReply("A poem."), textReply("Unknown user answer."));
    const poem = await generate({
      messages: [{ role: "USER", content: "Write a short poem about the sea." }],
      group: "US",
    });
    if (poem.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(poem.__typename);
    expect(poem.data).toMatchObject({
      requestedMode: "AUTO",
      mode: "BASE",
      personalized: false,
      decisionReason: "EMPTY_RUBRIC",
    });

    const unknown = await generate({
      messages: [{ role: "USER", content: QUESTION }],
      userMetadata: {},
    });
    if (unknown.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(unknown.__typename);
    expect(unknown.data).toMatchObject({
      mode: "BASE",
      group: null,
      decisionReason: "UNKNOWN_GROUP",
    });
  });

  it("AUTO tailors when the rubric has rules", async () => {
    llm.script("*", textReply("Tailored."));
    const result = await generate(US_USER);
    if (result.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(result.__typename);
    expect(result.data).toMatchObject({
      requestedMode: "AUTO",
      mode: "CONTEXT",
      personalized: true,
      rubricVersion: 1,
    });
  });

  it("FINETUNED uses the registered model, else CONTEXT", async () => {
    llm.script("*", textReply("Fallback."));
    const fallback = await generate({ ...US_USER, mode: "FINETUNED" });
    if (fallback.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(fallback.__typename);
    expect(fallback.data.mode).toBe("CONTEXT");
    expect(fallback.data.fallback).toMatch(/no fine-tuned model is registered for group US/);

    const grouping = await app.database.db
      .selectFrom("groupings")
      .select("id")
      .where("name", "=", "us-vs-rest")
      .executeTakeFirstOrThrow();
    await app.database.db
      .insertInto("models")
      .values({
        id: "m1",
        grouping_id: grouping.id,
        group_name: "US",
        provider: "openai",
        model: "us-dpo-v1",
        status: "ready",
        details: "{}",
      })
      .execute();
    llm.script("*", textReply("From the fine-tuned model."));
    const tuned = await generate({ ...US_USER, mode: "FINETUNED" });
    if (tuned.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(tuned.__typename);
    expect(tuned.data).toMatchObject({ mode: "FINETUNED", model: "us-dpo-v1", fallback: null });
    expect(lastRequest().body.model).toBe("us-dpo-v1");
    expect(lastRequest().body.messages).toEqual([{ role: "user", content: QUESTION }]);
  });

  it("maps provider failures to ProviderError", async () => {
    llm.script("*", errorReply(401, "Incorrect API key provided"));
    const result = await generate({ ...US_USER, mode: "BASE" });
    expect(result).toMatchObject({
      __typename: "ProviderError",
      status: 401,
      code: "PROVIDER_FAILED",
    });
    if (result.__typename === "ProviderError") expect(result.message).toMatch(/Incorrect API key/);
  });

  it("rejects an unknown group and bad input", async () => {
    const unknown = await generate({ ...US_USER, group: "Mars" });
    expect(unknown).toMatchObject({
      __typename: "UnknownGroupError",
      group: "Mars",
      knownGroups: ["US", "other"],
    });
    const empty = await generate({ messages: [] });
    expect(empty).toMatchObject({ __typename: "InvalidInputError", field: "messages" });
  });

  it("returns the stored answer for a repeated key", async () => {
    llm.script("*", textReply("Stored answer."));
    const before = llm.calls();
    const first = await generate({ ...US_USER, idempotencyKey: "req-1" });
    const second = await generate({ ...US_USER, idempotencyKey: "req-1" });
    expect(llm.calls()).toBe(before + 1);
    if (
      first.__typename !== "MutationGenerateTailoredResponseSuccess" ||
      second.__typename !== "MutationGenerateTailoredResponseSuccess"
    ) {
      throw new Error("expected two answers");
    }
    expect(second.data.text).toBe(first.data.text);
    expect(second.data.replayed).toBe(true);
    const reused = await generate({
      messages: [{ role: "USER", content: "Something else" }],
      idempotencyKey: "req-1",
    });
    expect(reused).toMatchObject({ __typename: "InvalidInputError", field: "idempotencyKey" });
  });

  it("streams tokens that add up to the mutation's answer", async () => {
    const answer = "1. Find where the value is None.\n2. Add a guard before the lookup.";
    llm.script("*", textReply(answer), textReply(answer));
    const plain = await generate({ ...US_USER, mode: "CONTEXT" });
    if (plain.__typename !== "MutationGenerateTailoredResponseSuccess")
      throw new Error(plain.__typename);

    let streamed = "";
    let final: unknown;
    let deltas = 0;
    for await (const event of subscribeSse(server.url, TailoredResponseStreamDocument, {
      input: { ...US_USER, mode: "CONTEXT" },
    })) {
      expect(event.errors).toBeUndefined();
      const item = event.data!.tailoredResponse;
      if (item.delta) {
        deltas += 1;
        streamed += item.delta;
      }
      if (item.response) final = item.response;
    }
    expect(deltas).toBeGreaterThan(1);
    expect(lastRequest().stream).toBe(true);
    expect(streamed).toBe(plain.data.text);
    const { latencyMs: _a, usage: _b, ...expected } = plain.data;
    expect(final).toMatchObject(expected);
  });

  it("returns NoProviderError without a provider", async () => {
    const body = await postGraphQL(bareServer.url, GenerateTailoredResponseDocument, {
      input: { messages: [{ role: "USER", content: QUESTION }] },
    });
    expect(body.data?.generateTailoredResponse).toMatchObject({
      __typename: "NoProviderError",
      code: "NO_PROVIDER",
    });
    if (body.data?.generateTailoredResponse.__typename === "NoProviderError") {
      expect(body.data.generateTailoredResponse.message).toMatch(/tailor\.config\.json/);
    }
  });
});

describe("example client", () => {
  it("runs against tailor serve", async () => {
    const { execFile } = await import("node:child_process");
    const { promisify } = await import("node:util");
    const llm = await startOpenAiTestServer({
      handler: () => textReply("An answer for the example."),
    });
    const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-example-"));
    const configFile = await writeProviderConfig(folder, {
      baseUrl: llm.url,
      model: "example-model",
    });
    const app = await createTestApp({ env: { TAILOR_CONFIG: configFile } });
    const server = await startServer(app, 0, "127.0.0.1");
    try {
      await createGrouping(app.database.db, app.plugins, GROUPING_PRESETS["us-vs-rest"]!);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          "--import",
          "tsx",
          path.resolve(import.meta.dirname, "../../examples/client.ts"),
          "Why is the sky blue?",
          '{"country": "India"}',
        ],
        {
          env: { ...process.env, TAILOR_URL: server.url },
          cwd: path.resolve(import.meta.dirname, "../.."),
        },
      );
      expect(stdout).toContain("group other, intent information-seeking/factual");
      expect(stdout).toContain("An answer for the example.");
      expect(stdout).toContain("[BASE, example-model");
    } finally {
      await server.close();
      await app.close();
      await llm.close();
    }
  });
});
