import { afterEach, describe, expect, it } from "vitest";
import { chunk, extractRubricWithLlm, mergeUpdate, pairBatches } from "../../src/llm/index.ts";
import type { ExplanationItem } from "../../src/prompts/index.ts";
import { jsonReply, textReply } from "../support/openai-test-server.ts";
import { type LlmHarness, startLlmHarness } from "./llm-fixtures.ts";
import { dataBlocks, scriptedModel } from "./scripted-model.ts";

const explanations = (prefix: string, count: number): ExplanationItem[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `${prefix}-${index}`,
    judgment: index % 2 ? "DSAT" : "SAT",
    intent: "Debug a crash.",
    expectation: prefix === "novice" ? "Step-by-step instructions." : "Only the root cause.",
    reason: "The reply matched or missed that.",
  }));

const input = {
  intent: { domain: "programming", task: "debugging" },
  groups: ["novice", "expert"] as const,
  explanations: { novice: explanations("novice", 5), expert: explanations("expert", 3) },
};

describe("minibatch rubric extraction", () => {
  let harness: LlmHarness;
  afterEach(async () => harness?.close());

  it("walks every minibatch pair", async () => {
    harness = await startLlmHarness();
    harness.server.setHandler(scriptedModel);
    const progress: [number, number][] = [];
    const result = await extractRubricWithLlm(harness.client, input, {
      minibatchSize: 2,
      threshold: 3,
      onProgress: (done, total) => {
        progress.push([done, total]);
      },
    });
    // novice: 3 batches (2, 2, 1), expert: 2 batches (2, 1) → 6 pairs.
    expect(harness.server.calls("rubric-aspects")).toBe(6);
    expect(result.pairs).toEqual({ done: 6, total: 6 });
    expect(progress.at(-1)).toEqual([6, 6]);
    expect(result.failures).toEqual([]);

    const depth = result.aspects.find((aspect) => aspect.name === "depth-of-explanation")!;
    expect(depth).toMatchObject({
      significance: 5,
      kept: true,
      preferences: { novice: "Wants the reasoning spelled out.", expert: "Wants the answer only." },
    });
    expect(new Set(depth.evidence)).toEqual(
      new Set(["novice-0", "novice-2", "novice-4", "expert-0", "expert-2"]),
    );
    const tone = result.aspects.find((aspect) => aspect.name === "tone")!;
    expect(tone).toMatchObject({ significance: 2, kept: false });
    expect(result.aspects.map((aspect) => aspect.name)).toEqual(["depth-of-explanation", "tone"]);
  });

  it("passes the list forward", async () => {
    harness = await startLlmHarness();
    harness.server.setHandler(scriptedModel);
    await extractRubricWithLlm(harness.client, input, { minibatchSize: 3, pairing: "zip" });
    const sentLists = harness.server.requests.map(
      (request) => dataBlocks(request.user).current_aspects as { name: string }[],
    );
    expect(sentLists[0]).toEqual([]);
    expect(sentLists[1]!.map((aspect) => aspect.name)).toEqual(["depth-of-explanation", "tone"]);
    const batches = harness.server.requests.map(
      (request) => (dataBlocks(request.user).explanations_group_a as unknown[]).length,
    );
    expect(batches).toEqual([3, 2]);
  });

  it("keeps the list when a pair fails", async () => {
    harness = await startLlmHarness();
    harness.server.script(
      "rubric-aspects",
      jsonReply({
        aspects: [
          {
            name: "examples",
            description: "Use of examples.",
            significance: 4,
            groupA: "Many.",
            groupB: "None.",
            evidence: ["A1", "B1"],
          },
        ],
      }),
      textReply("I'm sorry, I can't compare these groups."),
    );
    const result = await extractRubricWithLlm(
      harness.client,
      {
        ...input,
        explanations: { novice: explanations("novice", 2), expert: explanations("expert", 2) },
      },
      { minibatchSize: 1, pairing: "zip" },
    );
    expect(result.failures).toEqual([{ batchA: 1, batchB: 1, status: "refused" }]);
    expect(result.aspects).toEqual([
      {
        name: "examples",
        description: "Use of examples.",
        significance: 4,
        preferences: { novice: "Many.", expert: "None." },
        evidence: ["novice-0", "expert-0"],
        kept: true,
      },
    ]);
  });

  it("returns nothing without both groups", async () => {
    harness = await startLlmHarness();
    const result = await extractRubricWithLlm(harness.client, {
      ...input,
      explanations: { novice: explanations("novice", 4) },
    });
    expect(result).toEqual({
      aspects: [],
      pairs: { done: 0, total: 0 },
      failures: [],
      unknownEvidence: 0,
    });
    expect(harness.server.calls()).toBe(0);
  });
});

describe("extraction helpers", () => {
  it("chunks and pairs batches", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(pairBatches(2, 3, "all")).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
    ]);
    expect(pairBatches(2, 3, "zip")).toEqual([
      [0, 0],
      [1, 1],
      [0, 2],
    ]);
    expect(pairBatches(0, 3, "all")).toEqual([]);
  });

  it("merges evidence by name", () => {
    const aspect = {
      name: "tone",
      description: "d",
      significance: 2,
      preferences: {},
      evidence: ["a"],
    };
    const merged = mergeUpdate(
      [aspect],
      [
        { ...aspect, significance: 3, evidence: ["b"] },
        { ...aspect, significance: 4, evidence: ["c"] },
      ],
    );
    expect(merged).toEqual([{ ...aspect, significance: 4, evidence: ["a", "b", "c"] }]);
  });
});
