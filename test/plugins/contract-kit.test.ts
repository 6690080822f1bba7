import { describe, expect, it } from "vitest";
import {
  definePlugin,
  type GroupClassifierFactory,
  type PluginConversation,
  z,
} from "../../src/plugin-api/index.ts";
import {
  checkAspectDetectorContract,
  checkGroupClassifierContract,
  checkIntentClassifierContract,
  checkSatisfactionJudgeContract,
  setUpPluginForTest,
} from "../../src/plugin-api/testing.ts";

const SAMPLES: PluginConversation[] = [
  {
    id: "s1",
    messages: [
      { role: "user", content: "Help me with my homework." },
      { role: "assistant", content: "Sure, what is it?" },
    ],
    metadata: { plan: "free" },
  },
];

/** A group classifier that breaks its contract in the ways the kit must catch. */
function brokenFactory(fault: string): GroupClassifierFactory<unknown> {
  let calls = 0;
  return {
    id: "broken",
    description: "Breaks the contract.",
    optionsSchema: z.object({}),
    create: () => ({
      groups: fault === "declares-unknown" ? ["unknown", "a"] : ["a", "b"],
      classify(conversation) {
        calls += 1;
        if (fault === "undeclared") return { group: "z", confidence: 1 };
        if (fault === "mutates") (conversation.metadata as Record<string, unknown>).seen = true;
        if (fault === "empty" && conversation.messages.length === 0) throw new Error("no messages");
        if (fault === "random") return { group: calls % 2 ? "a" : "b", confidence: 1 };
        return { group: "a", confidence: 1 };
      },
    }),
  };
}

describe("contract test kit", () => {
  it("passes a valid classifier", async () => {
    const problems = await checkGroupClassifierContract(brokenFactory("none"), {
      options: {},
      sampleConversations: SAMPLES,
      deterministic: true,
    });
    expect(problems).toEqual([]);
  });

  it.each([
    ["undeclared", 'group: "z" is not declared'],
    ["mutates", "Cannot add property seen"],
    ["empty", 'classify(conversation "edge-empty"): threw "no messages"'],
    ["random", "for the same input"],
    ["declares-unknown", '"unknown" is implied and must not be declared'],
  ])("catches %s", async (fault, expected) => {
    const problems = await checkGroupClassifierContract(brokenFactory(fault), {
      options: {},
      sampleConversations: SAMPLES,
      deterministic: true,
    });
    expect(problems.join("\n")).toContain(expected);
  });

  it("catches options the schema rejects", async () => {
    const problems = await checkGroupClassifierContract(brokenFactory("none"), {
      options: { field: 1 },
      sampleConversations: SAMPLES,
    });
    expect(problems).toEqual([]);
    const strict = { ...brokenFactory("none"), optionsSchema: z.strictObject({}) };
    const rejected = await checkGroupClassifierContract(strict, {
      options: { field: 1 },
      sampleConversations: SAMPLES,
    });
    expect(rejected.join("\n")).toContain("optionsSchema rejects options");
  });

  it("catches a judge that skips turns", async () => {
    const problems = await checkSatisfactionJudgeContract(
      { id: "lazy", description: "Judges nothing.", judge: () => [] },
      { sampleConversations: SAMPLES },
    );
    expect(problems).toContain(
      'judge(conversation "s1"): judgments: assistant message 1 has no judgment',
    );
  });

  it("catches an intent outside the taxonomy", async () => {
    const problems = await checkIntentClassifierContract(
      {
        id: "drifting",
        description: "Returns an undeclared task.",
        taxonomy: { help: ["homework"] },
        classify: () => ({ domain: "help", task: "taxes", confidence: 0.5 }),
      },
      { sampleConversations: SAMPLES },
    );
    expect(problems[0]).toContain('task: "taxes" is not a task of domain "help"');
  });

  it("catches an asynchronous detector", async () => {
    const problems = await checkAspectDetectorContract(
      {
        id: "async-detector",
        aspects: [{ name: "polite", description: "The reply says please.", phrase: "said please" }],
        detect: (() => Promise.resolve({ polite: true })) as never,
      },
      { sampleReplies: [{ content: "please", request: "" }] },
    );
    expect(problems[0]).toContain("detect must be synchronous");
  });

  it("checks a plugin's setup", async () => {
    const empty = await setUpPluginForTest(
      definePlugin({ name: "empty", version: "1.0.0", apiVersion: 1, setup() {} }),
    );
    expect(empty.problems).toEqual(["setup: registered no capability"]);
    const future = await setUpPluginForTest({
      name: "future",
      version: "1.0.0",
      apiVersion: 2 as 1,
      setup(context) {
        context.registerGroupClassifier(brokenFactory("none"));
      },
    });
    expect(future.problems).toEqual(["apiVersion: is 2, expected 1"]);
    expect(future.capabilities.groupClassifier).toHaveLength(1);
  });
});
