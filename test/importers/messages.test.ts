import { describe, expect, it } from "vitest";
import { MAX_METADATA_DEPTH } from "../../src/importers/conversation-rules.ts";
import { messagesMapper } from "../../src/importers/messages.importer.ts";
import type { ImportedConversation, MappedItem } from "../../src/importers/types.ts";
import { realData } from "../support/test-app.ts";
import { conversations, DEFAULT_OPTIONS, LIMIT_FIX, readItems, rejections } from "./helpers.ts";

function conversationOf(item: MappedItem): ImportedConversation {
  if (item.kind !== "conversation") throw new Error(`expected a conversation, got: ${item.reason}`);
  return item.conversation;
}

function mapOne(record: unknown, options = DEFAULT_OPTIONS): MappedItem {
  const items = messagesMapper.map(record, 3, options);
  expect(items).toHaveLength(1);
  return items[0]!;
}

const user = (content: unknown) => ({ role: "user", content });
const assistant = (content: unknown) => ({ role: "assistant", content });

describe("messages records", () => {
  it("keeps id and metadata", () => {
    const item = mapOne({
      id: 17,
      source: "arena",
      messages: [{ role: "developer", content: "Be brief." }, user("hi"), assistant("hello")],
      metadata: { country: "India", model: "gpt-4" },
    });
    expect(item).toEqual({
      kind: "conversation",
      line: 3,
      conversation: {
        externalId: "17",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "hi" },
          { role: "assistant", content: "hello" },
        ],
        metadata: { country: "India", model: "gpt-4", source: "arena" },
      },
    });
  });

  it("joins text content parts", () => {
    const item = mapOne({
      messages: [
        user([
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ]),
        assistant("c"),
      ],
    });
    expect(conversationOf(item).messages[0]!.content).toBe("a\nb");
  });

  it("names the unknown role", () => {
    expect(
      mapOne({ messages: [user("a"), assistant("b"), { role: "robot", content: "c" }] }),
    ).toEqual({
      kind: "rejected",
      line: 3,
      reason: 'unknown role "robot" in message 3; expected user, assistant or system',
    });
    expect(mapOne({ messages: [user("a"), { content: "b" }] })).toMatchObject({
      reason: "missing role in message 2; expected user, assistant or system",
    });
    expect(mapOne({ messages: [user("a"), { role: "tool", content: "{}" }] })).toMatchObject({
      reason: expect.stringMatching(/^unknown role "tool" in message 2/),
    });
  });

  it("rejects content it cannot read", () => {
    expect(mapOne({ messages: [user(null)] })).toMatchObject({
      reason: 'message 1 has no text: "content" is null',
    });
    expect(
      mapOne({ messages: [user([{ type: "image_url", image_url: { url: "x" } }])] }),
    ).toMatchObject({
      reason: 'message 1 has a content part of type "image_url"; only text parts are supported',
    });
    expect(mapOne({ messages: [user("a")], metadata: [1] })).toMatchObject({
      reason: '"metadata" is an array, expected an object',
    });
  });

  it("enforces the message size limit", () => {
    const options = { ...DEFAULT_OPTIONS, maxMessageBytes: 10 };
    expect(mapOne({ messages: [user("short"), assistant("ééééééé")] }, options)).toEqual({
      kind: "rejected",
      line: 3,
      reason: `message 2 is 14 bytes, over the limit of 10 bytes${LIMIT_FIX}`,
    });
    expect(mapOne({ messages: [user("0123456789")] }, options).kind).toBe("conversation");
  });

  it("rejects deeply nested metadata", () => {
    let nested: unknown = "leaf";
    for (let depth = 0; depth < MAX_METADATA_DEPTH; depth++) nested = [nested];
    const atLimit = mapOne({ messages: [user("a")], metadata: { tags: nested } });
    expect(atLimit.kind).toBe("conversation");
    expect(mapOne({ messages: [user("a")], metadata: { tags: [nested] } })).toEqual({
      kind: "rejected",
      line: 3,
      reason: `metadata field "tags" is nested more than ${MAX_METADATA_DEPTH} levels deep, the maximum; flatten the field or leave it out of the file`,
    });
  });

  it("replaces text Postgres cannot store", () => {
    const item = mapOne({ messages: [user("a\u0000b"), assistant("x\uD800y")] });
    expect(conversationOf(item).messages.map((message) => message.content)).toEqual([
      "a\uFFFDb",
      "x\uFFFDy",
    ]);
  });

  it("drops personal-data metadata keys", () => {
    const record = {
      messages: [user("a")],
      metadata: { country: "Peru", hashed_ip: "abc", header: { "user-agent": "x" } },
    };
    const dropped = mapOne(record);
    expect(conversationOf(dropped).metadata).toEqual({
      country: "Peru",
    });
    const kept = mapOne(record, { ...DEFAULT_OPTIONS, keepPersonalData: true });
    expect(Object.keys(conversationOf(kept).metadata)).toEqual(["country", "hashed_ip", "header"]);
  });
});

describe("messages files", () => {
  it("reads Convo-topo metadata", async () => {
    const { format, items } = await readItems(realData("wildchat/wildchat_convotopo_full.jsonl"));
    expect(format).toBe("messages");
    expect(rejections(items)).toEqual([]);
    const all = conversations(items);
    expect(all).toHaveLength(150);
    expect(
      all.filter((conversation) => conversation.metadata.country === "United States"),
    ).toHaveLength(39);
    expect(all[0]!.metadata).toMatchObject({
      model: expect.any(String),
      country: expect.any(String),
    });
  });
});
