import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import example from "../../plugins/example-grouping/index.ts";
import type { PluginConversation } from "../../src/plugin-api/index.ts";
import { checkGroupClassifierContract, setUpPluginForTest } from "../../src/plugin-api/testing.ts";
import type { PluginHost } from "../../src/plugin-host/plugin-host.ts";
import { loadHost, okValue, writeConfig } from "../plugin-host/host-support.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../../plugins/example-grouping/index.ts");

function said(text: string, id = "x"): PluginConversation {
  return {
    id,
    messages: [
      { role: "user", content: text },
      { role: "assistant", content: "Happy to help with your homework or your boss." },
    ],
    metadata: {},
  };
}

let host: PluginHost;
beforeAll(async () => {
  // A relative path, as an integrator writes it, resolved against the config file's folder.
  const configFile = await writeConfig({});
  const relative = path.relative(path.dirname(configFile), EXAMPLE);
  host = await loadHost(await writeConfig({ plugins: [{ module: `./${relative}` }] }), {
    timeoutMs: 5000,
  });
  expect(relative.startsWith("..")).toBe(true);
});
afterAll(() => host.close());

describe("example grouping plugin", () => {
  it("loads from tailor.config.json", () => {
    const listed = host.list().find((plugin) => plugin.name === "example-grouping");
    expect(listed).toMatchObject({ builtin: false, kinds: ["groupClassifier"], version: "1.0.0" });
    expect(listed?.capabilities).toEqual({ groupClassifier: ["student-or-professional"] });
  });

  it("groups by cues", async () => {
    const classifier = host.createGroupClassifier("student-or-professional", {});
    expect(classifier.groups).toEqual(["student", "professional"]);
    const cases: [string, string][] = [
      ["Can you check my homework before the exam?", "student"],
      ["老师布置的作业太难了", "student"],
      ["My boss wants the report for our clients by Friday.", "professional"],
      ["帮我给客户写一封邮件，公司下周放假", "professional"],
      ["What is the tallest mountain?", "unknown"],
      ["My teacher and my boss both want this done.", "unknown"],
    ];
    for (const [text, group] of cases) {
      const result = await classifier.classify(said(text));
      expect(okValue(result).group, text).toBe(group);
    }
  });

  it("honours minCues", async () => {
    const classifier = host.createGroupClassifier("student-or-professional", { minCues: 2 });
    const result = await classifier.classify(said("Help with my homework please"));
    expect(okValue(result)).toMatchObject({ group: "unknown" });
  });

  it("rejects a misspelt option", () => {
    expect(() => host.createGroupClassifier("student-or-professional", { minCue: 2 })).toThrow(
      /Invalid options for group classifier "student-or-professional".*minCue/,
    );
  });

  it("passes the contract kit", async () => {
    const { problems, capabilities } = await setUpPluginForTest(example);
    expect(problems).toEqual([]);
    const [factory] = capabilities.groupClassifier;
    expect(
      await checkGroupClassifierContract(factory!, {
        options: { extraStudentCues: ["semester"] },
        sampleConversations: [said("This semester is hard", "s"), said("Ask my manager", "m")],
        deterministic: true,
      }),
    ).toEqual([]);
  });
});
