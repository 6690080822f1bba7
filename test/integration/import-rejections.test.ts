import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportResult } from "../../src/services/import.service.ts";
import { tempFile } from "../importers/helpers.ts";
import { LAYOUTS, mixedShareGptFile } from "../importers/sharegpt-samples.ts";
import { BACKENDS, createTestApp, realData, type TestApp } from "../support/test-app.ts";

const ARENA = realData("chatbot_arena/chatbot_arena_convotopo.jsonl");

describe.each(BACKENDS)("import rejections on %s", (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ backend });
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each(LAYOUTS)("stores every rejection in %s", async (layout) => {
    const { text, expected } = mixedShareGptFile(layout);
    const file = await tempFile(layout === "jsonl" ? "mixed.jsonl" : "mixed.json", text);
    const job = await app.jobs.enqueue("import", { dataset: layout, path: file });
    const row = await app.jobs.waitFor(job.id);
    expect(row.error).toBeNull();
    const result = row.result as ImportResult;

    expect(result.imported).toBe(3);
    expect(result.rejectedCount).toBe(6);
    const positions = expected.map(({ line, record }) => ({ line, record }));
    expect(result.rejected.map(({ line, record }) => ({ line, record }))).toEqual(positions);
    for (const [index, entry] of result.rejected.entries()) {
      expect(entry.reason).toMatch(expected[index]!.reason);
    }

    const stored = await app.database.db
      .selectFrom("import_errors")
      .select(["line", "record", "reason"])
      .where("job_id", "=", job.id)
      .orderBy("line")
      .orderBy("record")
      .execute();
    expect(stored).toEqual(result.rejected);
  });

  it("rejects deep metadata, not the job", async () => {
    // Nesting far past what JSON.stringify and Postgres' jsonb parser accept, written by hand
    // because JSON.stringify itself overflows on it.
    const depth = 20_000;
    const deep = `{"id": "deep", "messages": [{"role": "user", "content": "hi"}], "metadata": {"tags": ${"[".repeat(depth)}${"]".repeat(depth)}}}`;
    const real = (await readFile(ARENA, "utf8")).split("\n")[0]!;
    const file = await tempFile("deep.jsonl", `${deep}\n${real}\n`);

    const job = await app.jobs.enqueue("import", { dataset: "deep-metadata", path: file });
    const row = await app.jobs.waitFor(job.id);
    expect(row.error).toBeNull();
    const result = row.result as ImportResult;
    expect(result.imported).toBe(1);
    expect(result.rejected).toEqual([
      { line: 1, record: 0, reason: expect.stringMatching(/^metadata field "tags" is nested/) },
    ]);
  });
});
