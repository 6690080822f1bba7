import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGrouping } from "../../src/services/grouping.service.ts";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let app: TestApp;

beforeAll(async () => {
  const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-flaky-"));
  const configFile = path.join(folder, "tailor.config.json");
  await writeFile(
    configFile,
    JSON.stringify({
      plugins: [
        { module: path.resolve(import.meta.dirname, "../support/plugins/flaky-groups.plugin.ts") },
      ],
    }),
  );
  const log = path.join(folder, "log.jsonl");
  const texts = [
    "hello there",
    "boom goes the plugin",
    "please hang on",
    "going to mars",
    "one more calm one",
  ];
  await writeFile(
    log,
    texts
      .map((text) =>
        JSON.stringify({
          messages: [
            { role: "user", content: text },
            { role: "assistant", content: "Sure." },
          ],
        }),
      )
      .join("\n"),
  );
  app = await createTestApp({
    env: { TAILOR_CONFIG: configFile, TAILOR_PLUGIN_TIMEOUT_MS: "1500" },
  });
  const imported = await app.jobs.enqueue("import", { dataset: "flaky", path: log });
  await app.jobs.waitFor(imported.id);
  await createGrouping(app.database.db, app.plugins, {
    name: "mood",
    classifier: "flaky",
    options: {},
  });
});
afterAll(async () => {
  await app?.close();
});

it("a misbehaving plugin fails only its items", async () => {
  const queued = await app.jobs.enqueue("label", { dataset: "flaky", groupings: ["mood"] });
  const done = await app.jobs.waitFor(queued.id);
  expect(done.status).toBe("completed");
  const result = done.result as {
    groups: Record<string, Record<string, number>>;
    failures: number;
  };
  expect(result.groups.mood).toEqual({ calm: 2 });
  expect(result.failures).toBe(3);

  const failures = await app.database.db
    .selectFrom("label_failures")
    .select(["plugin", "error"])
    .where("job_id", "=", queued.id)
    .execute();
  expect(failures.every((failure) => failure.plugin === "test-flaky-groups")).toBe(true);
  const errors = failures.map((failure) => failure.error).join("\n");
  expect(errors).toMatch(/exploded on purpose/);
  expect(errors).toMatch(/timed out|time/i);
  expect(errors).toMatch(/martian/);
});
