import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.ts";
import { contentHash } from "../../src/importers/content-hash.ts";
import type { ImportedConversation } from "../../src/importers/types.ts";
import { realData } from "../support/test-app.ts";
import { conversations, jsonl, readItems, rejections, tempFile } from "./helpers.ts";

describe("format detection", () => {
  it.each([
    ["wildchat/wildchat_1m_schema.jsonl", "wildchat"],
    ["wildchat/wildchat_convotopo_partial.jsonl", "messages"],
    ["chatbot_arena/chatbot_arena_convotopo.jsonl", "messages"],
    ["oasst1/oasst1_en_100_trees.jsonl", "oasst"],
  ])("detects %s", async (file, expected) => {
    const { format } = await readItems(realData(file));
    expect(format).toBe(expected);
  });

  it("looks past broken first lines", async () => {
    const file = await tempFile(
      "late.jsonl",
      `not json\n${jsonl([{ conversations: [{ from: "human", value: "hi" }] }])}`,
    );
    const { format, items } = await readItems(file);
    expect(format).toBe("sharegpt");
    expect(rejections(items).map((entry) => entry.line)).toEqual([1]);
  });

  it("reports lines of an unparseable file", async () => {
    const file = await tempFile("garbage.jsonl", "one\ntwo\n");
    const { items } = await readItems(file);
    expect(rejections(items).map((entry) => entry.line)).toEqual([1, 2]);
  });

  it("fails on an unknown layout", async () => {
    const file = await tempFile("other.jsonl", jsonl([{ question: "hi", answer: "hello" }]));
    await expect(readItems(file)).rejects.toThrow(
      /Could not tell the record format .* Name the format with --format \(CLI\) or the format field of the importConversations input \(API\)/,
    );
  });

  it("obeys the format override", async () => {
    const file = await tempFile(
      "forced.jsonl",
      jsonl([{ messages: [{ role: "user", content: "hi" }] }]),
    );
    const { items } = await readItems(file, "sharegpt");
    expect(rejections(items)).toEqual([
      { line: 1, reason: '"conversations" is missing, expected a list of messages' },
    ]);
    await expect(readItems(file, "parquet")).rejects.toThrow(
      /does not start with the parquet magic bytes/,
    );
  });

  it("fails on a gzip file", async () => {
    const text = await readFile(realData("oasst1/oasst1_en_100_trees.jsonl"));
    const file = await tempFile("trees.jsonl.gz", gzipSync(text));
    await expect(readItems(file)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(readItems(file)).rejects.toThrow(/is gzip-compressed; decompress it first/);
  });

  it("fails on a missing file", async () => {
    await expect(readItems("/nonexistent/file.jsonl")).rejects.toThrow(/was not found/);
  });

  it("reads an empty file", async () => {
    const file = await tempFile("empty.jsonl", "");
    const { items } = await readItems(file);
    expect(conversations(items)).toEqual([]);
  });
});

describe("content hash", () => {
  const base: ImportedConversation = {
    externalId: "c1",
    messages: [
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ],
    metadata: { country: "Peru" },
  };

  it("ignores metadata and feedback", () => {
    const changed = structuredClone(base);
    changed.metadata = { country: "Chile" };
    changed.messages[1]!.feedback = { upvotes: 2 };
    expect(contentHash(changed)).toBe(contentHash(base));
  });

  it("covers id, roles and texts", () => {
    const hashes = new Set([
      contentHash(base),
      contentHash({ ...base, externalId: "c2" }),
      contentHash({ ...base, externalId: null }),
      contentHash({
        ...base,
        messages: [
          { role: "user", content: "hi" },
          { role: "user", content: "hello" },
        ],
      }),
      contentHash({
        ...base,
        messages: [
          { role: "user", content: "hih" },
          { role: "assistant", content: "ello" },
        ],
      }),
    ]);
    expect(hashes.size).toBe(5);
  });
});
