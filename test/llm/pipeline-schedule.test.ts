import { describe, expect, it } from "vitest";
import {
  extractRubricWithLlm,
  type GenerationOutcome,
  type Generator,
  PriorityPool,
  planMinibatches,
  RubricChains,
} from "../../src/llm/index.ts";
import type { ExplanationItem, PromptSpec } from "../../src/prompts/index.ts";

/** Builds a model stand-in that records every prompt and replies with one aspect citing A1 and B1. */
function recordingModel(): Generator & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    prompts,
    async generate<T>(prompt: PromptSpec<T>): Promise<GenerationOutcome<T>> {
      prompts.push(prompt.messages.map((message) => message.content).join("\n"));
      await new Promise((resolve) => setImmediate(resolve));
      const value = prompt.schema.parse({
        aspects: [
          {
            name: `aspect ${prompts.length}`,
            description: "A property.",
            significance: 4,
            groupA: "More.",
            groupB: "Less.",
            evidence: ["A1", "B1"],
          },
        ],
      });
      return {
        status: "ok",
        value,
        repaired: false,
        reasked: false,
        promptId: prompt.id,
        requests: 1,
        cachedRequests: 0,
      };
    },
  };
}

/** Conversations with 0–3 explanations each; capacity is one more, as ratable turns exceed them. */
function side(prefix: string, counts: number[]) {
  return counts.map((count, index) => ({
    key: `${prefix}${index}`,
    capacity: count + 1,
    items: Array.from(
      { length: count },
      (_, turn): ExplanationItem => ({
        id: `${prefix}${index}:${turn}`,
        judgment: turn % 2 ? "DSAT" : "SAT",
        intent: `Task of ${prefix}${index}.`,
        expectation: `Expectation ${turn}.`,
        reason: "Because.",
      }),
    ),
  }));
}

/** Caps that make the minibatches grow past 3 but leave several pairs. */
const MAX_PAIRS = { zip: 5, all: 12 };

async function streamed(
  sides: [ReturnType<typeof side>, ReturnType<typeof side>],
  pairing: "all" | "zip",
  order: number[],
) {
  const maxPairs = MAX_PAIRS[pairing];
  const model = recordingModel();
  const pending = new Set<Promise<unknown>>();
  const members = [...sides[0], ...sides[1]];
  const keys = new Map(members.map((member, index) => [member.key, index]));
  const chains = new RubricChains<string>(
    model,
    new PriorityPool(3),
    { minibatchSize: 3, pairing, maxPairs, threshold: 3 },
    {
      track: (work) => {
        const settled = work.finally(() => pending.delete(settled));
        pending.add(settled);
      },
      finished: async () => {},
      stepped: async () => {},
    },
  );
  chains.add({
    meta: "test",
    intent: { domain: "programming", task: "debugging" },
    names: ["novice", "expert"],
    sides: [
      sides[0].map((member) => ({ key: keys.get(member.key)!, capacity: member.capacity })),
      sides[1].map((member) => ({ key: keys.get(member.key)!, capacity: member.capacity })),
    ],
  });
  for (const index of order) {
    chains.deliver(index, members[index]!.items);
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (pending.size > 0) await Promise.allSettled([...pending]);
  return model.prompts;
}

describe("pipeline schedule", () => {
  const novices = side("n", [3, 0, 2, 3, 1, 3, 2, 0, 3]);
  const experts = side("e", [2, 1, 0, 3]);

  it.each(["zip", "all"] as const)("streams the same %s pairs", async (pairing) => {
    const reference = recordingModel();
    const capacity = (members: ReturnType<typeof side>) =>
      members.reduce((sum, member) => sum + member.capacity, 0);
    await extractRubricWithLlm(
      reference,
      {
        intent: { domain: "programming", task: "debugging" },
        groups: ["novice", "expert"],
        explanations: {
          novice: novices.flatMap((member) => member.items),
          expert: experts.flatMap((member) => member.items),
        },
      },
      {
        minibatchSize: 3,
        pairing,
        maxPairs: MAX_PAIRS[pairing],
        planFor: { a: capacity(novices), b: capacity(experts) },
      },
    );
    expect(reference.prompts.length).toBeGreaterThan(2);

    const count = novices.length + experts.length;
    const forward = Array.from({ length: count }, (_, index) => index);
    const shuffled = [7, 12, 0, 3, 9, 11, 1, 5, 2, 10, 4, 8, 6];
    expect(await streamed([novices, experts], pairing, forward)).toEqual(reference.prompts);
    expect(await streamed([novices, experts], pairing, shuffled)).toEqual(reference.prompts);
  });

  it("caps pairs by growing batches", () => {
    expect(planMinibatches(100, 20, { minibatchSize: 10, pairing: "zip", maxPairs: 4 })).toEqual({
      minibatchSize: 25,
      pairing: "zip",
      pairs: 4,
    });
    expect(planMinibatches(30, 30, { minibatchSize: 10, pairing: "all", maxPairs: 4 })).toEqual({
      minibatchSize: 15,
      pairing: "all",
      pairs: 4,
    });
    expect(planMinibatches(30, 30, { minibatchSize: 10, pairing: "all" }).pairs).toBe(9);
  });

  it("pool runs highest priority first", async () => {
    const pool = new PriorityPool(1);
    const order: string[] = [];
    let release: () => void = () => {};
    const blocker = pool.run(0, () => new Promise<void>((resolve) => (release = resolve)));
    const ranks = new Map([["late", 0]]);
    const runs = [
      pool.run(1, async () => order.push("low")),
      pool.run(5, async () => order.push("high")),
      pool.run(
        () => ranks.get("late")!,
        async () => order.push("late"),
      ),
      pool.run(5, async () => order.push("high too")),
    ];
    // Priorities are read when a slot frees, so raising one after queueing counts.
    ranks.set("late", 9);
    release();
    await Promise.all([blocker, ...runs]);
    expect(order).toEqual(["late", "high", "high too", "low"]);
  });

  it("stopped pool drops queued tasks", async () => {
    const pool = new PriorityPool(1);
    let release: () => void = () => {};
    const running = pool.run(0, () => new Promise<void>((resolve) => (release = resolve)));
    const queued = pool.run(0, async () => "ran");
    pool.stop(new Error("budget"));
    release();
    await expect(running).resolves.toBeUndefined();
    await expect(queued).rejects.toMatchObject({ name: "TaskDroppedError" });
    await expect(pool.run(0, async () => "late")).rejects.toMatchObject({
      name: "TaskDroppedError",
    });
  });
});
