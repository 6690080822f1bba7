import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PluginConversation } from "../../src/plugin-api/index.ts";
import type { PluginHost } from "../../src/plugin-host/plugin-host.ts";
import { loadHost } from "../plugin-host/host-support.ts";
import { realData } from "../support/test-app.ts";

/**
 * Judgment counts of the lexical judge over the real samples, pinned after reading the
 * judged follow-ups by hand. A change in the cue lists moves these numbers: check the turns
 * that changed label before updating them.
 */

interface SourceRecord {
  id: string;
  messages: { role: "user" | "assistant"; content: string }[];
  metadata?: Record<string, unknown>;
}

function readConversations(file: string): PluginConversation[] {
  return readFileSync(realData(file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as SourceRecord)
    .map((record) => ({
      id: record.id,
      messages: record.messages.map(({ role, content }) => ({ role, content })),
      metadata: record.metadata ?? {},
    }));
}

let host: PluginHost;
beforeAll(async () => {
  host = await loadHost(null, { timeoutMs: 5000 });
});
afterAll(() => host.close());

async function countJudgments(file: string): Promise<Record<string, number>> {
  const judge = host.satisfactionJudge("lexical-judge");
  const counts: Record<string, number> = { SAT: 0, DSAT: 0, NA: 0, "no-follow-up": 0 };
  for (const conversation of readConversations(file)) {
    const result = await judge.judge(conversation);
    if (!result.ok) throw result.error;
    for (const judgment of result.value) {
      counts[judgment.judgment] = (counts[judgment.judgment] ?? 0) + 1;
      if (judgment.source === "no-follow-up")
        counts["no-follow-up"] = (counts["no-follow-up"] ?? 0) + 1;
    }
  }
  return counts;
}

describe("lexical judge on real logs", () => {
  it("pins WildChat counts", async () => {
    expect(await countJudgments("wildchat/wildchat_convotopo_full.jsonl")).toEqual({
      SAT: 6,
      DSAT: 55,
      NA: 550,
      "no-follow-up": 151,
    });
  });

  it("pins Chatbot Arena counts", async () => {
    expect(await countJudgments("chatbot_arena/chatbot_arena_convotopo.jsonl")).toEqual({
      SAT: 75,
      DSAT: 177,
      NA: 3595,
      "no-follow-up": 1389,
    });
  });
});
