import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExtractSummary } from "../../src/services/extraction.service.ts";
import { createGrouping, GROUPING_PRESETS } from "../../src/services/grouping.service.ts";
import { createTestApp, realData, type TestApp } from "../support/test-app.ts";

/** Every comparison ends with kept aspects or an empty rubric that says why. */
function expectExplained(summary: ExtractSummary) {
  expect(summary.comparisons.length).toBeGreaterThan(0);
  for (const comparison of summary.comparisons) {
    if (comparison.kept.length === 0) expect(comparison.emptyReason?.length).toBeGreaterThan(20);
    else expect(comparison.emptyReason).toBeNull();
  }
}

describe("rubrics from real logs", () => {
  let app: TestApp;

  async function run(kind: string, payload: unknown) {
    const queued = await app.jobs.enqueue(kind, payload);
    const done = await app.jobs.waitFor(queued.id);
    expect(done.error).toBeNull();
    return done.result as never;
  }

  beforeAll(async () => {
    app = await createTestApp({ backend: "pglite" });
    for (const preset of ["region", "us-vs-rest", "expertise"]) {
      await createGrouping(app.database.db, app.plugins, GROUPING_PRESETS[preset]!);
    }
    await run("import", {
      dataset: "wildchat",
      path: realData("wildchat/wildchat_convotopo_full.jsonl"),
    });
    await run("import", {
      dataset: "arena",
      path: realData("chatbot_arena/chatbot_arena_convotopo.jsonl"),
    });
    await run("label", { dataset: "wildchat", groupings: ["region", "us-vs-rest"] });
    await run("label", { dataset: "arena", groupings: ["expertise"] });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("WildChat: US vs the rest", async () => {
    const summary: ExtractSummary = await run("extract-rubrics", {
      dataset: "wildchat",
      grouping: "us-vs-rest",
    });
    expect(summary.groups).toEqual(["US", "other"]);
    expect(summary.ratedTurns).toBeGreaterThan(40);
    expectExplained(summary);
    for (const comparison of summary.comparisons) expect(comparison.shuffleKept).toEqual([]);
  });

  it("WildChat: each region against the rest", async () => {
    const summary: ExtractSummary = await run("extract-rubrics", {
      dataset: "wildchat",
      grouping: "region",
    });
    const sides = new Set(summary.comparisons.map((comparison) => comparison.comparison.a));
    expect(sides).toEqual(new Set(["US", "China", "India", "other"]));
    expect(summary.comparisons.every((comparison) => comparison.comparison.b === "*rest*")).toBe(
      true,
    );
    expectExplained(summary);
  });

  it("Chatbot Arena: expertise groups", async () => {
    // The heuristic classifier is strict: it leaves most Arena users unknown, so few rated
    // turns remain and every rubric comes back empty, with the reason.
    const summary: ExtractSummary = await run("extract-rubrics", {
      dataset: "arena",
      grouping: "expertise",
    });
    expect(summary.ratedTurns).toBeGreaterThan(0);
    expectExplained(summary);
    expect(summary.comparisons.every((comparison) => comparison.kept.length === 0)).toBe(true);
  });
});
