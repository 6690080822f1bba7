import { afterEach, describe, expect, it } from "vitest";
import plugin, {
  createOpenAiProvider,
  OpenAiProviderError,
} from "../../plugins/openai-provider/index.ts";
import type { ChatResponse, LlmProvider, PluginDefinition } from "../../src/plugin-api/index.ts";
import { setUpPluginForTest } from "../../src/plugin-api/testing.ts";
import {
  errorReply,
  type OpenAiTestServer,
  startOpenAiTestServer,
  textReply,
} from "../support/openai-test-server.ts";

const request = {
  model: "test-model",
  messages: [
    { role: "system" as const, content: "tailor-prompt: probe@1\nAnswer in JSON." },
    { role: "user" as const, content: "hello" },
  ],
  maxTokens: 64,
  json: true,
};
const context = () => ({ signal: new AbortController().signal });

/** Returns the error a call failed with, and fails the test when the call succeeds. */
async function failure(call: Promise<unknown>): Promise<OpenAiProviderError> {
  try {
    await call;
  } catch (error) {
    return error as OpenAiProviderError;
  }
  throw new Error("expected the call to fail");
}

describe("openai provider plugin", () => {
  let server: OpenAiTestServer;
  let provider: LlmProvider;
  afterEach(async () => server?.close());

  async function start(options: Record<string, unknown> = {}) {
    server = await startOpenAiTestServer();
    provider = createOpenAiProvider({
      id: "openai",
      baseUrl: server.url,
      apiKey: "sk-test",
      model: "test-model",
      ...options,
    });
  }

  it("registers through setup with options", async () => {
    server = await startOpenAiTestServer();
    const { problems, capabilities } = await setUpPluginForTest(
      plugin as PluginDefinition<unknown>,
      {
        baseUrl: server.url,
        apiKey: "sk-test",
        model: "m1",
      },
    );
    expect(problems).toEqual([]);
    expect(capabilities.llmProvider).toHaveLength(1);
    expect(capabilities.llmProvider[0]!.id).toBe("openai");
    expect(capabilities.llmProvider[0]!.defaultModel).toBe("m1");
    expect(plugin.secretOptions).toContain("apiKey");
  });

  it("rejects options without base URL", async () => {
    const { problems } = await setUpPluginForTest(plugin as PluginDefinition<unknown>, {
      model: "m1",
    });
    expect(problems.some((problem) => problem.startsWith("options.baseUrl"))).toBe(true);
  });

  it("requires an API key for Azure", async () => {
    const { problems } = await setUpPluginForTest(plugin as PluginDefinition<unknown>, {
      baseUrl: "http://127.0.0.1:1/openai",
      model: "deployment",
      azureApiVersion: "2024-10-21",
    });
    expect(problems).toEqual([
      "options.apiKey: apiKey is required when azureApiVersion is set (Azure OpenAI)",
    ]);
  });

  it("sends a non-streaming request", async () => {
    await start();
    server.script(
      "probe",
      textReply('{"ok":true}', { usage: { prompt_tokens: 11, completion_tokens: 3 } }),
    );
    const response = await provider.chat(request, context());
    expect(response).toEqual({
      content: '{"ok":true}',
      finishReason: "stop",
      usage: { promptTokens: 11, completionTokens: 3 },
      refusal: null,
    });
    const sent = server.requests[0]!;
    expect(sent.headers.authorization).toBe("Bearer sk-test");
    expect(sent.body.model).toBe("test-model");
    expect(sent.body.max_tokens).toBe(64);
    expect(sent.body.response_format).toEqual({ type: "json_object" });
    expect(sent.stream).toBe(false);
  });

  it("reports missing usage as null", async () => {
    await start();
    server.script("probe", textReply("hi", { usage: null }));
    const response = await provider.chat(request, context());
    expect(response.usage).toBeNull();
  });

  it("maps finish reasons and refusals", async () => {
    await start();
    server.script(
      "probe",
      textReply("partial", { finishReason: "length" }),
      textReply("", { refusal: "I can't help with that." }),
      textReply("x", { finishReason: "tool_calls" }),
    );
    expect((await provider.chat(request, context())).finishReason).toBe("length");
    expect((await provider.chat(request, context())).refusal).toBe("I can't help with that.");
    expect((await provider.chat(request, context())).finishReason).toBe("other");
  });

  it("streams with usage counted once", async () => {
    await start();
    for (const streamUsage of ["final", "every-chunk"] as const) {
      server.script(
        "probe",
        textReply("a fairly long streamed reply text", {
          streamUsage,
          usage: { prompt_tokens: 20, completion_tokens: 8 },
        }),
      );
      const deltas: string[] = [];
      let final: ChatResponse | undefined;
      for await (const item of provider.stream!(request, context())) {
        if ("delta" in item) deltas.push(item.delta);
        else final = item;
      }
      expect(deltas.join("")).toBe("a fairly long streamed reply text");
      expect(deltas.length).toBeGreaterThan(1);
      expect(final?.usage).toEqual({ promptTokens: 20, completionTokens: 8 });
      expect(final?.finishReason).toBe("stop");
    }
    expect(server.requests[0]!.body.stream_options).toEqual({ include_usage: true });
  });

  it("streams missing usage as null", async () => {
    await start();
    server.script("probe", textReply("no usage here", { streamUsage: "none" }));
    let final: ChatResponse | undefined;
    for await (const item of provider.stream!(request, context()))
      if (!("delta" in item)) final = item;
    expect(final?.usage).toBeNull();
    expect(final?.content).toBe("no usage here");
  });

  it("surfaces odd error bodies raw", async () => {
    await start();
    server.script(
      "probe",
      {
        type: "http",
        status: 502,
        body: "<html>upstream exploded</html>",
        contentType: "text/html",
      },
      {
        type: "http",
        status: 500,
        body: '{"detail":"model worker crashed"}',
        contentType: "application/json",
      },
      errorReply(400, "bad field"),
    );
    const html = await failure(provider.chat(request, context()));
    expect(html).toBeInstanceOf(OpenAiProviderError);
    expect(html.status).toBe(502);
    expect(html.body).toBe("<html>upstream exploded</html>");
    expect(html.message).toContain("HTTP 502: <html>upstream exploded</html>");

    const detail = await failure(provider.chat(request, context()));
    expect(detail.status).toBe(500);
    expect(detail.message).toContain("model worker crashed");

    const bad = await failure(provider.chat(request, context()));
    expect(bad.status).toBe(400);
    expect(bad.message).toContain("bad field");
    expect(bad.message).not.toContain("sk-test");
  });

  it("makes one request per call", async () => {
    await start();
    server.script(
      "probe",
      errorReply(500, "down"),
      errorReply(429, "slow down", { "retry-after": "7" }),
    );
    await expect(provider.chat(request, context())).rejects.toMatchObject({ status: 500 });
    await expect(provider.chat(request, context())).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 7000,
    });
    expect(server.calls()).toBe(2);
  });

  it("reads retry-after-ms first", async () => {
    await start();
    server.script(
      "probe",
      errorReply(429, "slow down", { "retry-after-ms": "250", "retry-after": "9" }),
    );
    await expect(provider.chat(request, context())).rejects.toMatchObject({ retryAfterMs: 250 });
  });

  it("rejects a non-completion 200 body", async () => {
    await start();
    server.script("probe", {
      type: "http",
      status: 200,
      body: "maintenance page",
      contentType: "text/plain",
    });
    await expect(provider.chat(request, context())).rejects.toMatchObject({
      status: 200,
      body: "maintenance page",
    });
  });

  it("drops response_format when rejected", async () => {
    await start();
    server.script(
      "probe",
      {
        type: "http",
        status: 400,
        body: '{"detail":"response_format is not supported"}',
        contentType: "application/json",
      },
      textReply("{}"),
      textReply("{}"),
    );
    await provider.chat(request, context());
    await provider.chat(request, context());
    expect(server.requests.map((sent) => sent.body.response_format)).toEqual([
      { type: "json_object" },
      undefined,
      undefined,
    ]);
  });

  it("aborts a hanging request", async () => {
    await start();
    server.script("probe", { type: "hang" });
    const controller = new AbortController();
    const pending = provider.chat(request, { signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await server.waitForAborts(1);
  });

  it("speaks the Azure dialect", async () => {
    server = await startOpenAiTestServer();
    provider = createOpenAiProvider({
      id: "azure",
      baseUrl: server.url.replace(/\/v1$/, "/openai"),
      apiKey: "azure-key",
      model: "my-deployment",
      azureApiVersion: "2024-10-21",
    });
    server.script("probe", textReply("{}"));
    await provider.chat({ ...request, model: "my-deployment" }, context());
    const sent = server.requests[0]!;
    expect(sent.path).toBe(
      "/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21",
    );
    expect(sent.headers["api-key"]).toBe("azure-key");
  });
});
