import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { realData } from "../support/test-app.ts";

const run = promisify(execFile);
const BIN = path.resolve(import.meta.dirname, "../../bin/tailor.js");

describe("tailor CLI on the embedded default", () => {
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "tailor-cli-"));
    env = {
      ...process.env,
      TAILOR_HOME: home,
      NO_COLOR: "1",
      DATABASE_URL: "",
      REDIS_URL: "",
      TAILOR_CONFIG: path.join(home, "none.json"),
    };
  });

  async function tailor(...args: string[]) {
    return run(process.execPath, [BIN, ...args], { env, cwd: home, maxBuffer: 64 * 1024 * 1024 });
  }

  it("imports with --json and reports bad lines", async () => {
    const file = path.join(home, "mixed.jsonl");
    await writeFile(
      file,
      [
        JSON.stringify({
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
          ],
        }),
        "{not json",
        JSON.stringify({ messages: [{ role: "robot", content: "beep" }] }),
      ].join("\n"),
    );
    const { stdout } = await tailor("import", file, "--dataset", "mixed", "--json");
    const result = JSON.parse(stdout);
    expect(Object.keys(result).sort()).toEqual(["datasetId", "duplicates", "imported", "rejected"]);
    expect(result.imported).toBe(1);
    expect(result.rejected.map((rejected: { line: number }) => rejected.line)).toEqual([2, 3]);
    expect(result.rejected[1].reason).toMatch(/robot/);

    const again = JSON.parse((await tailor("import", file, "--dataset", "mixed", "--json")).stdout);
    expect(again).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it("labels the WildChat sample by region", async () => {
    await tailor("import", realData("wildchat/wildchat_1m_schema.jsonl"), "--dataset", "wildchat");
    const { stdout } = await tailor(
      "label",
      "--dataset",
      "wildchat",
      "--grouping",
      "region",
      "--json",
    );
    const summary = JSON.parse(stdout);
    expect(summary.groups.region).toEqual({ China: 8, India: 6, US: 39, other: 97 });
    expect(summary.conversations).toBe(150);
    expect(summary.judgments.SAT + summary.judgments.DSAT + summary.judgments.NA).toBeGreaterThan(
      150,
    );
  });

  it("extracts and prints a rubric table", async () => {
    const { stdout } = await tailor(
      "extract",
      "--dataset",
      "wildchat",
      "--grouping",
      "region",
      "--groups",
      "US,other",
    );
    expect(stdout).toMatch(/intent\s+comparison/);
    expect(stdout).toMatch(/shuffle ctl/);
    expect(stdout).toMatch(/US vs other/);
  });

  it("plans an answer with --json", async () => {
    const { stdout } = await tailor(
      "plan",
      "--message",
      "How do I fix this Python error?",
      "--metadata",
      '{"country": "India"}',
      "--grouping",
      "region",
      "--json",
    );
    const plan = JSON.parse(stdout);
    expect(plan.group.name).toBe("India");
    expect(plan.intent.domain).toBe("programming");
    expect(plan.decision.reason).toMatch(/^(EMPTY_RUBRIC|NO_RUBRIC|BELOW_THRESHOLD|PERSONALIZED)$/);
    expect(plan.messages.at(-1)).toEqual({
      role: "USER",
      content: "How do I fix this Python error?",
    });
  });

  it("runs the demo with --json", async () => {
    const { stdout } = await tailor("demo", "--json");
    const demo = JSON.parse(stdout);
    expect(demo.import.imported).toBe(1600);
    const debugging = demo.rubrics.find((rubric: { task: string }) => rubric.task === "debugging");
    expect(debugging.aspects.map((aspect: { name: string }) => aspect.name).sort()).toEqual([
      "numbered-steps",
      "short-reply",
    ]);
    expect(demo.plan.decision.personalize).toBe(true);
    expect(demo.plan.messages[0].content).toContain("numbered steps");
  });

  it("shows job status", async () => {
    const { stdout } = await tailor("status", "--json");
    const jobs = JSON.parse(stdout) as { kind: string; status: string }[];
    expect(jobs.map((job) => job.kind)).toEqual(
      expect.arrayContaining(["import", "label", "extract-rubrics"]),
    );
    expect(jobs.every((job) => job.status === "COMPLETED")).toBe(true);
  });

  it("fails clearly on a missing file", async () => {
    await expect(tailor("import", path.join(home, "missing.jsonl"))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/missing\.jsonl" was not found/),
    });
  });

  it("rejects an invalid environment value", async () => {
    env.PORT = "not-a-port";
    try {
      await expect(tailor("status")).rejects.toMatchObject({
        stderr: expect.stringMatching(/PORT="not-a-port"/),
      });
    } finally {
      delete env.PORT;
    }
  });
});
