import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportResult } from "../../src/services/import.service.ts";
import { tempFile } from "../importers/helpers.ts";
import { writeWildchatParquet } from "../importers/wildchat-parquet.ts";
import { BACKENDS, createTestApp, realData, type TestApp } from "../support/test-app.ts";

const JSONL = realData("wildchat/wildchat_1m_schema.jsonl");
const rows = readFileSync(JSONL, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));

describe.each(BACKENDS)("parquet import on %s", (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ backend });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function stored(datasetId: string) {
    const { db } = app.database;
    const conversations = await db
      .selectFrom("conversations")
      .select(["id", "external_id", "turn_count", "metadata", "content_hash"])
      .where("dataset_id", "=", datasetId)
      .orderBy("external_id")
      .execute();
    const messages = await db
      .selectFrom("messages")
      .innerJoin("conversations", "conversations.id", "messages.conversation_id")
      .select([
        "conversations.external_id",
        "messages.position",
        "messages.role",
        "messages.content",
      ])
      .where("conversations.dataset_id", "=", datasetId)
      .orderBy("conversations.external_id")
      .orderBy("messages.position")
      .execute();
    return {
      conversations: conversations.map(({ id: _id, ...rest }) => rest),
      messages,
    };
  }

  it("matches the JSONL import", async () => {
    const parquet = await tempFile("wildchat.parquet", "");
    writeWildchatParquet(parquet, rows, { codec: "SNAPPY", rowGroupSize: 32, pageSize: 8 * 1024 });

    const fromJsonl = await app.jobs.waitFor(
      (await app.jobs.enqueue("import", { dataset: "from-jsonl", path: JSONL })).id,
    );
    const fromParquet = await app.jobs.waitFor(
      (await app.jobs.enqueue("import", { dataset: "from-parquet", path: parquet })).id,
    );
    expect(fromParquet.error).toBeNull();
    const jsonlResult = fromJsonl.result as ImportResult;
    const parquetResult = fromParquet.result as ImportResult;
    expect(parquetResult).toMatchObject({
      format: "parquet",
      recordFormat: "wildchat",
      imported: 150,
      rejectedCount: 0,
    });

    const expected = await stored(jsonlResult.datasetId);
    const actual = await stored(parquetResult.datasetId);
    expect(actual.conversations).toHaveLength(150);
    expect(actual.conversations).toEqual(expected.conversations);
    expect(actual.messages.length).toBe(expected.messages.length);
    for (const [index, message] of actual.messages.entries()) {
      const original = expected.messages[index]!;
      expect(
        Buffer.from(message.content, "utf8").equals(Buffer.from(original.content, "utf8")),
      ).toBe(true);
      expect(message.role).toBe(original.role);
    }
    const nullStates = actual.conversations.filter(
      (conversation) => conversation.metadata.state === null,
    );
    expect(nullStates).toHaveLength(13);
  });

  it("fails up front on an unsupported codec", async () => {
    const file = await tempFile("lzo.parquet", "");
    writeWildchatParquet(file, rows.slice(0, 20), { codec: "LZO", rowGroupSize: 10 });
    const job = await app.jobs.enqueue("import", { dataset: "lzo", path: file });
    const row = await app.jobs.waitFor(job.id);
    expect(row.status).toBe("failed");
    expect(row.error?.message).toMatch(
      /Parquet column "conversation_hash" .* is compressed with LZO/,
    );
    expect(row.attempts).toBe(1);

    const { db } = app.database;
    const datasets = await db
      .selectFrom("datasets")
      .select("id")
      .where("name", "=", "lzo")
      .execute();
    expect(datasets).toEqual([]);
    const imported = await db
      .selectFrom("conversations")
      .select("id")
      .where("import_job_id", "=", job.id)
      .execute();
    expect(imported).toEqual([]);
  });
});
