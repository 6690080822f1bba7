import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { MappedItem } from "../../src/importers/types.ts";
import { wildchatMapper } from "../../src/importers/wildchat.importer.ts";
import { realData } from "../support/test-app.ts";
import { conversations, DEFAULT_OPTIONS, readItems, rejections } from "./helpers.ts";

const FILE = realData("wildchat/wildchat_1m_schema.jsonl");
const firstRow = () => JSON.parse(readFileSync(FILE, "utf8").split("\n")[0]!);

function mapOne(record: unknown, options = DEFAULT_OPTIONS): MappedItem {
  const items = wildchatMapper.map(record, 1, options);
  expect(items).toHaveLength(1);
  return items[0]!;
}

function metadataOf(item: MappedItem): Record<string, unknown> {
  if (item.kind !== "conversation") throw new Error(`expected a conversation, got: ${item.reason}`);
  return item.conversation.metadata;
}

describe("wildchat rows", () => {
  it("maps metadata of a real row", () => {
    const row = firstRow();
    const item = mapOne(row);
    expect(metadataOf(item)).toEqual({
      source: "wildchat",
      model: row.model,
      timestamp: new Date(row.timestamp).toISOString(),
      turn_count: row.turn,
      language: row.language,
      country: "Australia",
      state: "Queensland",
      toxic: false,
      redacted: false,
    });
    if (item.kind !== "conversation") throw new Error(item.reason);
    expect(item.conversation.externalId).toBe(row.conversation_hash);
    expect(item.conversation.messages.map((message) => message.content)).toEqual(
      row.conversation.map((turn: { content: string }) => turn.content),
    );
  });

  it("stores no personal data by default", () => {
    const text = JSON.stringify(mapOne(firstRow()));
    expect(text).not.toMatch(/hashed_ip|HASHED_IP|header|USER_AGENT|ACCEPT_LANGUAGE/);
  });

  it("keeps personal data on request", () => {
    const metadata = metadataOf(mapOne(firstRow(), { ...DEFAULT_OPTIONS, keepPersonalData: true }));
    expect(metadata.hashed_ip).toBe("<HASHED_IP>");
    expect(metadata.header).toEqual({
      "accept-language": "<ACCEPT_LANGUAGE>",
      "user-agent": "<USER_AGENT>",
    });
  });

  it("keeps nulls as null", () => {
    const row = { ...firstRow(), state: null, country: null };
    expect(metadataOf(mapOne(row))).toMatchObject({ state: null, country: null });
  });

  it("rejects broken turns", () => {
    const row = firstRow();
    row.conversation[2].role = "robot";
    expect(mapOne(row)).toEqual({
      kind: "rejected",
      line: 1,
      reason: 'unknown role "robot" in message 3; expected user, assistant or system',
    });
    expect(mapOne({ ...firstRow(), conversation: [] })).toMatchObject({
      reason: "empty conversation: the record has no messages",
    });
    expect(
      mapOne({ ...firstRow(), conversation: [{ role: "user", content: null }] }),
    ).toMatchObject({
      reason: 'message 1 has no text: "content" is null',
    });
  });

  it("imports the real file", async () => {
    const { format, items } = await readItems(FILE);
    expect(format).toBe("wildchat");
    expect(rejections(items)).toEqual([]);
    expect(conversations(items)).toHaveLength(150);
  });
});
