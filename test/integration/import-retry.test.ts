import { copyFile, readFile, stat } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RetryableJobError } from "../../jobs/errors.ts";
import { importPayload } from "../../jobs/import.job.ts";
import type { JobContext, JobProgress } from "../../jobs/types.ts";
import { runImport } from "../../src/services/import.service.ts";
import { tempFile } from "../importers/helpers.ts";
import { BACKENDS, createTestApp, realData, type TestApp } from "../support/test-app.ts";

const ARENA = realData("chatbot_arena/chatbot_arena_convotopo.jsonl");

describe.each(BACKENDS)("import retries on %s", (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ backend });
  });
  afterAll(async () => {
    await app?.close();
  });

  function context(jobId: string, attempt: number, progress: JobContext["progress"]): JobContext {
    return {
      jobId,
      attempt,
      services: app.services,
      signal: new AbortController().signal,
      progress,
    };
  }

  async function count(table: "conversations" | "messages", jobId: string): Promise<number> {
    const { db } = app.database;
    const query =
      table === "conversations"
        ? db.selectFrom("conversations").where("import_job_id", "=", jobId)
        : db
            .selectFrom("messages")
            .innerJoin("conversations", "conversations.id", "messages.conversation_id")
            .where("conversations.import_job_id", "=", jobId);
    const row = await query
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it("resumes after a crash without duplicates", async () => {
    const payload = importPayload.parse({ dataset: "arena", path: ARENA });
    const job = await app.jobStore.create("import", payload);

    // The first attempt dies right after its second batch committed.
    let reports = 0;
    const crash = runImport(
      context(job.id, 1, async () => {
        if (++reports === 2) throw new RetryableJobError("worker lost");
      }),
      payload,
    );
    await expect(crash).rejects.toThrow("worker lost");
    const partial = await count("conversations", job.id);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(1389);

    const updates: JobProgress[] = [];
    const result = await runImport(
      context(job.id, 2, async (update) => {
        updates.push(update);
      }),
      payload,
    );
    expect(result).toMatchObject({ imported: 1389, duplicates: 0, rejectedCount: 0 });
    expect(await count("conversations", job.id)).toBe(1389);

    const expectedMessages = (await readFile(ARENA, "utf8"))
      .split("\n")
      .filter((line) => line !== "")
      .reduce((sum, line) => sum + JSON.parse(line).messages.length, 0);
    expect(await count("messages", job.id)).toBe(expectedMessages);

    const size = (await stat(ARENA)).size;
    expect(updates.length).toBeGreaterThan(2);
    expect(updates.every((update) => update.stage === "import" && update.total === size)).toBe(
      true,
    );
    const done = updates.map((update) => update.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done.at(-1)).toBe(size);
  });

  it("deletes the upload afterwards", async () => {
    const upload = await tempFile("upload.jsonl", "");
    await copyFile(realData("wildchat/wildchat_convotopo_partial.jsonl"), upload);
    const job = await app.jobs.enqueue("import", {
      dataset: "uploaded",
      path: upload,
      deleteAfter: true,
    });
    const row = await app.jobs.waitFor(job.id);
    expect(row.status).toBe("completed");
    await expect(stat(upload)).rejects.toMatchObject({ code: "ENOENT" });

    const garbage = await tempFile("garbage.jsonl", '{"question": "no known layout"}\n');
    const failed = await app.jobs.waitFor(
      (await app.jobs.enqueue("import", { dataset: "g", path: garbage, deleteAfter: true })).id,
    );
    expect(failed.status).toBe("failed");
    expect(failed.error?.message).toMatch(/Could not tell the record format/);
    await expect(stat(garbage)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
