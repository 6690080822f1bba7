import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError, UnavailableError } from "../../src/errors.ts";
import {
  PluginCallError,
  type PluginHost,
  type PluginResult,
} from "../../src/plugin-host/plugin-host.ts";
import { abortedCalls, hangingCalls } from "./fixtures/misbehaving.plugin.ts";
import { conversation, fixture, loadHost, okValue, writeConfig } from "./host-support.ts";

let host: PluginHost;
beforeAll(async () => {
  const configFile = await writeConfig({ plugins: [{ module: fixture("misbehaving.plugin.ts") }] });
  host = await loadHost(configFile, { timeoutMs: 100 });
});
afterAll(() => host.close());

/** Asserts a failed result and returns its error. */
function failure<T>(result: PluginResult<T>): PluginCallError {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error("expected a failure");
  expect(result.plugin).toBe("misbehaving");
  expect(result.version).toBe("0.0.1");
  expect(result.error).toBeInstanceOf(PluginCallError);
  return result.error;
}

describe("plugin host calls", () => {
  it("returns a valid classification", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", { label: "fine" });
    expect(classifier.groups).toEqual(["fine", "b"]);
    expect(classifier.options).toEqual({ label: "fine" });
    const result = await classifier.classify(conversation("hello"));
    expect(result).toEqual({
      ok: true,
      value: { group: "fine", confidence: 0.9 },
      plugin: "misbehaving",
      version: "0.0.1",
    });
  });

  it("records a throwing classifier", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const error = failure(await classifier.classify(conversation("throw", "42")));
    expect(error.code).toBe("PLUGIN_THREW");
    expect(error.kind).toBe("groupClassifier");
    expect(error.capability).toBe("misbehaving-groups");
    expect(error.message).toBe(
      'Plugin "misbehaving" (groupClassifier "misbehaving-groups") threw "classifier exploded" on conversation "42".',
    );
    expect((error.cause as Error).message).toBe("classifier exploded");
  });

  it("times out a hanging classifier", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const error = failure(await classifier.classify(conversation("hang", "hung")));
    expect(error.code).toBe("PLUGIN_TIMEOUT");
    expect(error.message).toContain("timed out after 100 ms");
    expect(abortedCalls).toContain("groups:hung");
  });

  it("times out slow synchronous work", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    expect(failure(await classifier.classify(conversation("slow-sync"))).code).toBe(
      "PLUGIN_TIMEOUT",
    );
  });

  it("rejects an undeclared group", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const error = failure(await classifier.classify(conversation("undeclared")));
    expect(error.code).toBe("PLUGIN_INVALID_OUTPUT");
    expect(error.message).toContain(
      'group: "c" is not declared; expected one of "a", "b", "unknown"',
    );
  });

  it("rejects an invalid confidence", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const error = failure(await classifier.classify(conversation("bad-confidence")));
    expect(error.code).toBe("PLUGIN_INVALID_OUTPUT");
    expect(error.message).toContain("confidence");
  });

  it("accepts unknown", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const result = await classifier.classify(conversation("none"));
    expect(okValue(result).group).toBe("unknown");
  });

  it("keeps working after failures", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const results = await Promise.all(
      ["throw", "hang", "fine", "undeclared", "fine"].map((text, index) =>
        classifier.classify(conversation(text, String(index))),
      ),
    );
    expect(results.map((result) => result.ok)).toEqual([false, false, true, false, true]);
  });

  it("reports the caller's abort", async () => {
    const classifier = host.createGroupClassifier("misbehaving-groups", {});
    const controller = new AbortController();
    const started = once(hangingCalls, "groups:cancelled");
    const pending = classifier.classify(conversation("hang", "cancelled"), controller.signal);
    await started;
    controller.abort(new Error("job cancelled"));
    const error = failure(await pending);
    expect(error.code).toBe("PLUGIN_ABORTED");
    expect(abortedCalls).toContain("groups:cancelled");
    const before = failure(await classifier.classify(conversation("fine"), controller.signal));
    expect(before.code).toBe("PLUGIN_ABORTED");
  });

  it("rejects an unknown classifier", () => {
    expect(() => host.createGroupClassifier("astrology", {})).toThrow(InvalidInputError);
    expect(() => host.createGroupClassifier("astrology", {})).toThrow(
      'No group classifier "astrology" is loaded. Loaded: metadata, heuristic-expertise, llm-expertise, misbehaving-groups.',
    );
  });

  it("rejects invalid grouping options", () => {
    const attempt = () => host.createGroupClassifier("metadata", { field: "country" });
    expect(attempt).toThrow(InvalidInputError);
    expect(attempt).toThrow(
      'Invalid options for group classifier "metadata" (plugin "metadata-groups")',
    );
    expect(attempt).toThrow("table");
    const rejected = () =>
      host.createGroupClassifier("metadata", { field: "country", table: { US: "unknown" } });
    expect(rejected).toThrow("rejected its options");
  });

  it("rejects an intent outside the taxonomy", async () => {
    const classifier = host.intentClassifier("misbehaving-intent");
    expect(classifier.taxonomy).toEqual({ chat: ["small-talk"] });
    expect((await classifier.classify(conversation("fine"))).ok).toBe(true);
    const error = failure(await classifier.classify(conversation("undeclared")));
    expect(error.message).toContain('task: "rocket-science" is not a task of domain "chat"');
  });

  it("rejects a judge missing a turn", async () => {
    const judge = host.satisfactionJudge("misbehaving-judge");
    const result = await judge.judge(conversation("fine"));
    expect(okValue(result).map((judgment) => judgment.messageIndex)).toEqual([1, 3]);
    const error = failure(await judge.judge(conversation("missing-turn")));
    expect(error.message).toContain("assistant message 1 has no judgment");
  });

  it("guards aspect detectors", () => {
    const detector = host.aspectDetectors().find((item) => item.id === "misbehaving-detector");
    expect(detector?.detect({ content: "LOUD", request: "" })).toEqual({
      ok: true,
      value: { shouting: true },
      plugin: "misbehaving",
      version: "0.0.1",
    });
    const quiet = detector?.detect({ content: "quiet", request: "" });
    expect(okValue(quiet!)).toEqual({ shouting: false });
    expect(failure(detector!.detect({ content: "throw", request: "" })).code).toBe("PLUGIN_THREW");
    expect(failure(detector!.detect({ content: "undeclared", request: "" })).message).toContain(
      "whispering: is not a declared aspect",
    );
    expect(failure(detector!.detect({ content: "slow-sync", request: "" })).code).toBe(
      "PLUGIN_TIMEOUT",
    );
  });

  it("picks the last registered default", () => {
    expect(host.intentClassifier().id).toBe("misbehaving-intent");
    expect(host.satisfactionJudge().id).toBe("misbehaving-judge");
    expect(host.satisfactionJudge("lexical-judge").id).toBe("lexical-judge");
    expect(() => host.satisfactionJudge("oracle")).toThrow(InvalidInputError);
    expect(() => host.llmProvider()).toThrow(UnavailableError);
  });

  it("honours configured defaults", async () => {
    const configured = await loadHost(
      await writeConfig({
        plugins: [{ module: fixture("misbehaving.plugin.ts") }],
        defaults: { intentClassifier: "keyword-intent" },
      }),
    );
    expect(configured.intentClassifier().id).toBe("keyword-intent");
    expect(configured.satisfactionJudge().id).toBe("misbehaving-judge");
    await configured.close();
  });
});
