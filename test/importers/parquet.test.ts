import { readFileSync } from "node:fs";
import { asyncBufferFromFile, parquetMetadataAsync } from "hyparquet";
import { beforeAll, describe, expect, it } from "vitest";
import type { ImportedConversation } from "../../src/importers/types.ts";
import { realData } from "../support/test-app.ts";
import { conversations, readItems, rejections, tempFile } from "./helpers.ts";
import { writeWildchatParquet } from "./wildchat-parquet.ts";

const JSONL = realData("wildchat/wildchat_1m_schema.jsonl");
const rows = readFileSync(JSONL, "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line));

let fromJsonl: ImportedConversation[];
beforeAll(async () => {
  const { items } = await readItems(JSONL);
  fromJsonl = conversations(items);
  expect(fromJsonl).toHaveLength(150);
});

describe.each(["SNAPPY", "ZSTD"] as const)("parquet with %s", (codec) => {
  let file: string;
  beforeAll(async () => {
    file = await tempFile("wildchat.parquet", "");
    writeWildchatParquet(file, rows, { codec, rowGroupSize: 40, pageSize: 8 * 1024 });
  });

  it("spans row groups and pages", async () => {
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([40, 40, 40, 30]);
    const content = metadata.row_groups[0]!.columns.find(
      (chunk) => chunk.meta_data?.path_in_schema.join(".") === "conversation.list.element.content",
    )!.meta_data!;
    expect(content.codec).toBe(codec);
    // More bytes than one page holds, so the column spans several pages.
    expect(Number(content.total_uncompressed_size)).toBeGreaterThan(8 * 1024 * 4);
  });

  it("matches the JSONL export", async () => {
    const { format, items } = await readItems(file);
    expect(format).toBe("parquet");
    expect(rejections(items)).toEqual([]);
    const fromParquet = conversations(items);
    expect(fromParquet).toHaveLength(fromJsonl.length);
    for (const [index, conversation] of fromParquet.entries()) {
      const expected = fromJsonl[index]!;
      expect(conversation.externalId).toBe(expected.externalId);
      expect(conversation.messages.length).toBe(expected.messages.length);
      expect(conversation.messages.map((message) => message.role)).toEqual(
        expected.messages.map((message) => message.role),
      );
      const texts = conversation.messages.map((message) => Buffer.from(message.content, "utf8"));
      expect(
        Buffer.concat(texts).equals(
          Buffer.concat(expected.messages.map((message) => Buffer.from(message.content, "utf8"))),
        ),
      ).toBe(true);
      expect(conversation.metadata).toEqual(expected.metadata);
    }
  });

  it("keeps null states as null", async () => {
    const { items } = await readItems(file);
    const nullStates = conversations(items).filter(
      (conversation) => conversation.metadata.state === null,
    );
    expect(nullStates).toHaveLength(rows.filter((row) => row.state === null).length);
    expect(nullStates.length).toBeGreaterThan(0);
  });
});

describe("parquet failures", () => {
  it("rejects an unsupported codec up front", async () => {
    const file = await tempFile("lzo.parquet", "");
    writeWildchatParquet(file, rows.slice(0, 10), { codec: "LZO", rowGroupSize: 5 });
    const failure = readItems(file);
    await expect(failure).rejects.toThrow(/compressed with LZO/);
    await expect(readItems(file)).rejects.toThrow(/column "conversation_hash"/);
  });

  it("rejects a fake parquet file", async () => {
    const file = await tempFile("fake.parquet", "not parquet at all\n");
    await expect(readItems(file)).rejects.toThrow(/does not start with the parquet magic bytes/);
  });

  it("reads rows with a forced layout", async () => {
    const file = await tempFile("small.parquet", "");
    writeWildchatParquet(file, rows.slice(0, 3), { codec: "UNCOMPRESSED", rowGroupSize: 2 });
    const { items } = await readItems(file, "wildchat");
    expect(items.map((item) => item.line)).toEqual([1, 2, 3]);
    const ids = conversations(items).map((conversation) => conversation.externalId);
    expect(ids).toEqual(rows.slice(0, 3).map((row) => row.conversation_hash));
  });
});
