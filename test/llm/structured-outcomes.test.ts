import { afterEach, describe, expect, it } from "vitest";
import { buildExpertisePrompt, type PromptConversation } from "../../src/prompts/index.ts";
import { jsonReply, textReply } from "../support/openai-test-server.ts";
import { type LlmHarness, startLlmHarness } from "./llm-fixtures.ts";

const conversation: PromptConversation = {
  id: "c1",
  messages: [
    { role: "user", content: "How do I reverse a list in Python?" },
    { role: "assistant", content: "Use my_list.reverse() or my_list[::-1]." },
    { role: "user", content: "Thanks, that works." },
  ],
};
const valid = { level: "novice", confidence: 0.7, rationale: "Asks a basic question." };

describe.each([false, true])("generate outcomes (stream: %s)", (stream) => {
  let harness: LlmHarness;
  afterEach(async () => harness?.close());
  const start = async () => {
    harness = await startLlmHarness({ client: { stream } });
  };

  it("returns a valid reply", async () => {
    await start();
    harness.server.script("expertise-classifier", jsonReply(valid));
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({
      status: "ok",
      value: valid,
      repaired: false,
      reasked: false,
      requests: 1,
    });
  });

  it("repairs fenced near-JSON", async () => {
    await start();
    harness.server.script(
      "expertise-classifier",
      textReply(
        "Result:\n```json\n{level: 'Expert', confidence: 80, rationale: 'Precise terms',}\n```",
      ),
    );
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({
      status: "ok",
      value: { level: "expert", confidence: 0.8 },
      repaired: true,
      requests: 1,
    });
  });

  it("re-asks once on schema violation", async () => {
    await start();
    harness.server.script(
      "expertise-classifier",
      jsonReply({ level: "guru", confidence: 0.9 }),
      jsonReply(valid),
    );
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({ status: "ok", reasked: true, requests: 2 });
    const reask = harness.server.requests[1]!.body.messages;
    expect(reask.at(-2)).toMatchObject({
      role: "assistant",
      content: '{"level":"guru","confidence":0.9}',
    });
    expect(reask.at(-1)!.content).toContain("only the JSON object");
    expect(reask.at(-1)!.content).toContain("level");
  });

  it("gives up after one re-ask", async () => {
    await start();
    harness.server.script("expertise-classifier", textReply("novice"), textReply("still not JSON"));
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({ status: "invalid", requests: 2, reply: "still not JSON" });
    expect(harness.server.calls()).toBe(2);
  });

  it("records refusals without re-asking", async () => {
    await start();
    harness.server.script(
      "expertise-classifier",
      textReply("", { refusal: "I can't classify people." }),
      textReply("I'm sorry, but I can't help with that."),
      textReply("", { finishReason: "content_filter" }),
    );
    for (let call = 0; call < 3; call += 1) {
      const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
      expect(outcome.status).toBe("refused");
    }
    expect(harness.server.calls()).toBe(3);
  });

  it("records empty replies", async () => {
    await start();
    harness.server.script("expertise-classifier", textReply("   "));
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({ status: "empty", requests: 1 });
  });

  it("retries truncation with larger budget", async () => {
    await start();
    harness.server.script(
      "expertise-classifier",
      textReply('{"level": "nov', {
        finishReason: "length",
        usage: { prompt_tokens: 100, completion_tokens: 300 },
      }),
      jsonReply(valid, { usage: { prompt_tokens: 100, completion_tokens: 20 } }),
    );
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({ status: "ok", requests: 2 });
    const budgets = harness.server.requests.map((request) => request.body.max_tokens);
    expect(budgets).toEqual([300, 600]);
    expect(harness.client.usage.summary()).toMatchObject({
      calls: 2,
      promptTokens: 200,
      completionTokens: 320,
    });
  });

  it("gives up truncated twice", async () => {
    await start();
    harness.server.script(
      "expertise-classifier",
      textReply('{"level": "nov', {
        finishReason: "length",
        usage: { prompt_tokens: 100, completion_tokens: 300 },
      }),
      textReply('{"level": "novice", "confid', {
        finishReason: "length",
        usage: { prompt_tokens: 100, completion_tokens: 600 },
      }),
    );
    const outcome = await harness.client.generate(buildExpertisePrompt(conversation));
    expect(outcome).toMatchObject({ status: "truncated", requests: 2 });
    expect(harness.client.usage.summary().completionTokens).toBe(900);
  });
});
