import { describe, expect, it } from "vitest";
import { ArrayScanner } from "../../src/importers/json-array.source.ts";
import { sharegptMapper } from "../../src/importers/sharegpt.importer.ts";
import type { MappedItem } from "../../src/importers/types.ts";
import {
  conversations,
  DEFAULT_OPTIONS,
  jsonl,
  readItems,
  rejections,
  tempFile,
} from "./helpers.ts";
import { LAYOUTS, mixedShareGptFile } from "./sharegpt-samples.ts";

function mapOne(record: unknown): MappedItem {
  const items = sharegptMapper.map(record, 7, DEFAULT_OPTIONS);
  expect(items).toHaveLength(1);
  return items[0]!;
}

function roles(item: MappedItem): string[] {
  if (item.kind !== "conversation") throw new Error(`expected a conversation, got: ${item.reason}`);
  return item.conversation.messages.map((message) => message.role);
}

const turn = (from: unknown, value: unknown) => ({ from, value });

describe("sharegpt speakers", () => {
  it("maps the known names", () => {
    const names = ["human", "gpt", "user", "chatgpt", "Human", "bing", " USER ", "assistant"];
    const item = mapOne({
      id: "x",
      conversations: names.map((name, index) => turn(name, `text ${index}`)),
    });
    expect(roles(item)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
  });

  it("keeps the system message", () => {
    const item = mapOne({
      conversations: [turn("system", "Be brief."), turn("human", "hi"), turn("gpt", "hello")],
    });
    expect(roles(item)).toEqual(["system", "user", "assistant"]);
  });

  it("keeps a top-level system prompt", () => {
    const item = mapOne({
      system: "Be brief.",
      conversations: [turn("human", "hi"), turn("gpt", "hello")],
    });
    expect(roles(item)).toEqual(["system", "user", "assistant"]);
  });

  it("keeps a greeting and repeated turns", () => {
    const item = mapOne({
      conversations: [
        turn("gpt", "How can I help?"),
        turn("human", "hi"),
        turn("human", "are you there?"),
        turn("gpt", "yes"),
      ],
    });
    expect(roles(item)).toEqual(["assistant", "user", "user", "assistant"]);
  });

  it("keeps empty values as empty", () => {
    const item = mapOne({
      conversations: [
        turn("human", "hi"),
        turn("gpt", ""),
        turn("human", "hello?"),
        turn("gpt", null),
      ],
    });
    if (item.kind !== "conversation") throw new Error(item.reason);
    expect(item.conversation.messages.map((message) => message.content)).toEqual([
      "hi",
      "",
      "hello?",
      "",
    ]);
  });

  it("rejects misspelled and unknown names", () => {
    expect(mapOne({ conversations: [turn("human", "hi"), turn("gtp", "hello")] })).toEqual({
      kind: "rejected",
      line: 7,
      reason:
        'unknown role "gtp" in message 2; expected one of human, user, gpt, chatgpt, bing, assistant, system',
    });
    expect(
      mapOne({ conversations: [turn("human", "hi"), turn("robot", "beep"), turn("gpt", "x")] }),
    ).toMatchObject({
      reason: expect.stringMatching(/^unknown role "robot" in message 2;/),
    });
    expect(mapOne({ conversations: [{ value: "no speaker" }] })).toMatchObject({
      reason: expect.stringMatching(/^missing role in message 1;/),
    });
  });

  it("rejects malformed records", () => {
    expect(mapOne({ conversations: "hi" })).toMatchObject({ kind: "rejected" });
    expect(mapOne({ conversations: ["hi"] })).toMatchObject({
      reason: "message 1 is a string, expected an object",
    });
    expect(mapOne({ conversations: [turn("human", 42)] })).toMatchObject({
      reason: 'message 1 has no text: "value" is a number',
    });
    expect(mapOne({ conversations: [] })).toMatchObject({
      reason: "empty conversation: the record has no messages",
    });
    expect(mapOne({ conversations: [turn("human", " "), turn("gpt", "")] })).toMatchObject({
      reason: "empty conversation: all 2 messages are empty",
    });
  });
});

describe("json array scanner", () => {
  const text = '[\n  {"a": "x]}\\"{"},\n  {"b": [1, {"c": 2}]},\n  7,\n  {"d": "\\\\"}\n]\n';

  it("splits elements with line numbers", () => {
    const scanner = new ArrayScanner(1024);
    const pieces = [...scanner.push(Buffer.from(text)), ...scanner.end()];
    expect(
      pieces.map((piece) => [
        "bytes" in piece ? piece.bytes?.toString() : piece.reason,
        piece.line,
      ]),
    ).toEqual([
      ['{"a": "x]}\\"{"}', 2],
      ['{"b": [1, {"c": 2}]}', 3],
      ["7", 4],
      ['{"d": "\\\\"}', 5],
    ]);
  });

  it("splits across byte-sized chunks", () => {
    const scanner = new ArrayScanner(1024);
    const pieces = [];
    for (const byte of Buffer.from(text)) pieces.push(...scanner.push(Buffer.from([byte])));
    pieces.push(...scanner.end());
    expect(
      pieces.map((piece) =>
        "bytes" in piece ? JSON.parse(piece.bytes!.toString()) : piece.reason,
      ),
    ).toEqual([{ a: 'x]}"{' }, { b: [1, { c: 2 }] }, 7, { d: "\\" }]);
  });
});

describe("sharegpt files", () => {
  const good = (id: string) => ({
    id,
    conversations: [turn("human", `q ${id}`), turn("gpt", `a ${id}`)],
  });

  it("streams a JSON array file", async () => {
    const body = [good("a"), { id: "b", conversations: [turn("alien", "x")] }, good("c")]
      .map((record) => JSON.stringify(record, null, 2))
      .join(",\n");
    const file = await tempFile("dump.json", `[\n${body},\n{"id": "d", "conversations": [\n`);
    const { format, items } = await readItems(file);
    expect(format).toBe("sharegpt");
    expect(conversations(items).map((conversation) => conversation.externalId)).toEqual(["a", "c"]);
    const lineOfB = body.split("\n").findIndex((line) => line.includes('"b"')) + 1;
    const lineOfD = body.split("\n").length + 2;
    expect(rejections(items)).toEqual([
      {
        line: lineOfB,
        record: 1,
        reason: expect.stringMatching(/^unknown role "alien" in message 1/),
      },
      { line: lineOfD, record: 3, reason: "truncated: the file ends inside this record" },
    ]);
  });

  it("reports broken array elements", async () => {
    const file = await tempFile(
      "broken.json",
      `[${JSON.stringify(good("a"))},\n{"id": oops},\n${JSON.stringify(good("c"))}] x`,
    );
    const { items } = await readItems(file, "sharegpt");
    expect(conversations(items)).toHaveLength(2);
    expect(rejections(items)).toEqual([
      { line: 2, record: 1, reason: expect.stringMatching(/^invalid JSON/) },
      { line: 3, record: 3, reason: "unexpected content after the end of the JSON array" },
    ]);
  });

  it("reads ShareGPT JSONL", async () => {
    const file = await tempFile("dump.jsonl", jsonl([good("a"), good("b")]));
    const { format, items } = await readItems(file);
    expect(format).toBe("sharegpt");
    expect(conversations(items)).toHaveLength(2);
  });
});

describe("sharegpt rejections", () => {
  it.each(LAYOUTS)("locates every rejection in %s", async (layout) => {
    const { text, expected } = mixedShareGptFile(layout);
    const file = await tempFile(layout === "jsonl" ? "mixed.jsonl" : "mixed.json", text);
    const { format, items } = await readItems(file);
    expect(format).toBe("sharegpt");
    expect(conversations(items)).toHaveLength(3);
    const rejected = items.flatMap((item) => (item.kind === "rejected" ? [item] : []));
    expect(rejected.map(({ line, record }) => ({ line, record }))).toEqual(
      expected.map(({ line, record }) => ({ line, record })),
    );
    for (const [index, item] of rejected.entries()) {
      expect(item.reason).toMatch(expected[index]!.reason);
    }
  });
});
