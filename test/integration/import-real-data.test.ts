import { readFile } from "node:fs/promises";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportResult } from "../../src/services/import.service.ts";
import { tempFile } from "../importers/helpers.ts";
import { BACKENDS, createTestApp, realData, type TestApp } from "../support/test-app.ts";

const WILDCHAT = realData("wildchat/wildchat_1m_schema.jsonl");

/** Country counts of the 150 shared WildChat conversations, as listed with the data. */
const TOP_COUNTRIES = {
  "United States": 39,
  "United Kingdom": 15,
  Russia: 9,
  China: 8,
  India: 6,
  "Hong Kong": 6,
  Canada: 5,
};

describe.each(BACKENDS)("real data import on %s", (backend) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ backend });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function runImport(
    payload: Record<string, unknown>,
  ): Promise<{ id: string; result: ImportResult }> {
    const job = await app.jobs.enqueue("import", payload);
    const row = await app.jobs.waitFor(job.id);
    expect(row.error).toBeNull();
    expect(row.status).toBe("completed");
    return { id: job.id, result: row.result as ImportResult };
  }

  async function countryCounts(datasetId: string): Promise<Map<string, number>> {
    const rows = await app.database.db
      .selectFrom("conversations")
      .select([
        sql<string>`metadata->>'country'`.as("country"),
        (eb) => eb.fn.countAll<number>().as("count"),
      ])
      .where("dataset_id", "=", datasetId)
      .groupBy(sql`metadata->>'country'`)
      .execute();
    return new Map(rows.map((row) => [row.country, Number(row.count)]));
  }

  it("imports WildChat rows", async () => {
    const { result } = await runImport({ dataset: "wildchat", path: WILDCHAT });
    expect(result).toMatchObject({
      format: "wildchat",
      imported: 150,
      duplicates: 0,
      rejectedCount: 0,
    });

    const counts = await countryCounts(result.datasetId);
    for (const [country, count] of Object.entries(TOP_COUNTRIES))
      expect(counts.get(country)).toBe(count);
    expect(counts.size).toBe(51);

    const { db } = app.database;
    const texts = await db
      .selectFrom("conversations")
      .select(sql<string>`metadata::text`.as("text"))
      .where("dataset_id", "=", result.datasetId)
      .execute();
    expect(texts).toHaveLength(150);
    for (const { text } of texts)
      expect(text).not.toMatch(/hashed_ip|HASHED_IP|header|USER_AGENT|ACCEPT_LANGUAGE/);
  });

  it("re-import adds nothing", async () => {
    const { result } = await runImport({ dataset: "wildchat-again", path: WILDCHAT });
    expect(result.imported).toBe(150);
    const { result: again } = await runImport({ dataset: "wildchat-again", path: WILDCHAT });
    expect(again).toMatchObject({
      datasetId: result.datasetId,
      imported: 0,
      duplicates: 150,
      rejectedCount: 0,
    });
    const total = await app.database.db
      .selectFrom("conversations")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("dataset_id", "=", result.datasetId)
      .executeTakeFirstOrThrow();
    expect(Number(total.count)).toBe(150);
  });

  it.each([
    ["wildchat/wildchat_convotopo_full.jsonl", 150],
    ["wildchat/wildchat_convotopo_partial.jsonl", 138],
    ["chatbot_arena/chatbot_arena_convotopo.jsonl", 1389],
  ])("imports %s as messages", async (file, expected) => {
    const { result } = await runImport({ dataset: file, path: realData(file) });
    expect(result).toMatchObject({
      format: "messages",
      imported: expected,
      duplicates: 0,
      rejectedCount: 0,
    });
    if (file.endsWith("convotopo_full.jsonl")) {
      const counts = await countryCounts(result.datasetId);
      for (const [country, count] of Object.entries(TOP_COUNTRIES))
        expect(counts.get(country)).toBe(count);
    }
  });

  it("imports OpenAssistant feedback", async () => {
    const { result } = await runImport({
      dataset: "oasst",
      path: realData("oasst1/oasst1_en_100_trees.jsonl"),
    });
    expect(result).toMatchObject({ format: "oasst", imported: 487, rejectedCount: 0 });

    const replies = await app.database.db
      .selectFrom("messages")
      .innerJoin("conversations", "conversations.id", "messages.conversation_id")
      .select("messages.feedback")
      .where("conversations.dataset_id", "=", result.datasetId)
      .where("messages.role", "=", "assistant")
      .execute();
    const feedback = replies.map((reply) => reply.feedback as Record<string, number> | null);
    expect(feedback).toHaveLength(763);
    expect(feedback.filter((entry) => entry?.rank === 0)).toHaveLength(239);
    expect(feedback.filter((entry) => entry?.rank === undefined)).toHaveLength(29);
    expect(feedback.reduce((sum, entry) => sum + (entry?.upvotes ?? 0), 0)).toBe(1605);
    expect(feedback.reduce((sum, entry) => sum + (entry?.downvotes ?? 0), 0)).toBe(506);
  });

  it("reports broken WildChat lines", async () => {
    const lines = (await readFile(WILDCHAT, "utf8")).split("\n").filter((line) => line !== "");
    const row = (index: number) => JSON.parse(lines[index]!);
    const robot = row(3);
    robot.conversation_hash = "robot";
    robot.conversation[2].role = "robot";
    const oversize = row(4);
    oversize.conversation_hash = "oversize";
    oversize.conversation[0].content = "x".repeat(300_000);

    const bad: [after: number, bytes: Buffer, reason: RegExp][] = [
      [10, Buffer.from('{"conversation_hash": "broken", "conversation": ['), /^invalid JSON/],
      [
        20,
        Buffer.from(JSON.stringify(robot)),
        /^unknown role "robot" in message 3; expected user, assistant or system$/,
      ],
      [
        30,
        Buffer.from(JSON.stringify({ ...row(5), conversation_hash: "empty", conversation: [] })),
        /^empty conversation/,
      ],
      [
        40,
        Buffer.from(JSON.stringify(oversize)),
        /^message 1 is 300000 bytes, over the limit of 262144 bytes/,
      ],
      [
        50,
        Buffer.from([
          ...Buffer.from(
            '{"conversation_hash": "utf", "conversation": [{"role": "user", "content": "ab',
          ),
          0xc3,
          0x28,
          ...Buffer.from('"}]}'),
        ]),
        /^invalid UTF-8/,
      ],
    ];
    const parts: Buffer[] = [];
    const expected: { line: number; reason: RegExp }[] = [];
    let lineNumber = 0;
    lines.forEach((line, index) => {
      parts.push(Buffer.from(`${line}\n`));
      lineNumber++;
      for (const [after, bytes, reason] of bad) {
        if (after !== index + 1) continue;
        parts.push(bytes, Buffer.from("\n"));
        expected.push({ line: ++lineNumber, reason });
      }
    });
    parts.push(Buffer.from(lines[0]!.slice(0, 500)));
    expected.push({ line: lineNumber + 1, reason: /^truncated/ });
    const file = await tempFile("wildchat-broken.jsonl", Buffer.concat(parts));

    const { id, result } = await runImport({ dataset: "wildchat-broken", path: file });
    expect(result.imported).toBe(150);
    expect(result.rejectedCount).toBe(6);
    expect(result.rejected.map((entry) => entry.line)).toEqual(expected.map((entry) => entry.line));
    for (const [index, entry] of result.rejected.entries()) {
      expect(entry.reason).toMatch(expected[index]!.reason);
    }

    const stored = await app.database.db
      .selectFrom("import_errors")
      .select(["line", "record", "reason", "dataset_id"])
      .where("job_id", "=", id)
      .orderBy("line")
      .execute();
    expect(stored.map(({ line, record, reason }) => ({ line, record, reason }))).toEqual(
      result.rejected,
    );
    expect(result.rejected.every((entry) => entry.record === 0)).toBe(true);
    expect(new Set(stored.map((entry) => entry.dataset_id))).toEqual(new Set([result.datasetId]));
  });
});
