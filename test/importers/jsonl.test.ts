import { describe, expect, it } from "vitest";
import { LineReader } from "../../src/importers/line-reader.ts";
import { conversations, jsonl, readItems, rejections, tempFile } from "./helpers.ts";

const chat = (id: string) => ({
  id,
  messages: [
    { role: "user", content: `question ${id}` },
    { role: "assistant", content: `answer ${id}` },
  ],
});

describe("line reader", () => {
  it("numbers lines and flags the tail", async () => {
    const file = await tempFile("lines.txt", "a\nbb\n\nccc");
    const reader = new LineReader(file, 1024);
    const lines = [];
    for await (const line of reader.lines()) lines.push({ ...line, text: line.bytes?.toString() });
    expect(lines.map((line) => [line.number, line.text, line.terminated])).toEqual([
      [1, "a", true],
      [2, "bb", true],
      [3, "", true],
      [4, "ccc", false],
    ]);
    expect(reader.bytesRead).toBe(9);
  });

  it("skips lines over the limit", async () => {
    const file = await tempFile("long.txt", `short\n${"x".repeat(5000)}\nafter\n`);
    const lines = [];
    for await (const line of new LineReader(file, 100).lines()) lines.push(line);
    expect(lines.map((line) => line.bytes?.toString() ?? null)).toEqual(["short", null, "after"]);
    expect(lines[1]!.byteLength).toBe(5000);
  });

  it("joins lines across read chunks", async () => {
    const long = "y".repeat(3 * 1024 * 1024);
    const file = await tempFile("chunks.txt", `${long}\nend\n`);
    const lines = [];
    for await (const line of new LineReader(file, 10 * 1024 * 1024).lines())
      lines.push(line.bytes!.toString());
    expect(lines).toEqual([long, "end"]);
  });
});

describe("jsonl records", () => {
  it("reports each broken line", async () => {
    const content = Buffer.concat([
      Buffer.from(jsonl([chat("a")])),
      Buffer.from('{"id": "b", "messages": [\n'),
      Buffer.from('{"id": "c", "messages": [{"role": "user", "content": "caf'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}]}\n\n'),
      Buffer.from(jsonl([chat("d")])),
      Buffer.from('{"id": "e", "messages": [{"role": "user"'),
    ]);
    const file = await tempFile("broken.jsonl", content);
    const { items } = await readItems(file, "messages");
    expect(conversations(items).map((conversation) => conversation.externalId)).toEqual(["a", "d"]);
    const rejected = rejections(items);
    expect(rejected.map((entry) => entry.line)).toEqual([2, 3, 6]);
    expect(rejected[0]!.reason).toMatch(/^invalid JSON: /);
    expect(rejected[1]!.reason).toMatch(/^invalid UTF-8/);
    expect(rejected[2]!.reason).toMatch(/^truncated/);
  });

  it("accepts CRLF, BOM and no final newline", async () => {
    const text = `\uFEFF${JSON.stringify(chat("a"))}\r\n${JSON.stringify(chat("b"))}`;
    const file = await tempFile("windows.jsonl", text);
    const { items } = await readItems(file);
    expect(rejections(items)).toEqual([]);
    expect(conversations(items).map((conversation) => conversation.externalId)).toEqual(["a", "b"]);
  });

  it("rejects a line that is not an object", async () => {
    const file = await tempFile("array.jsonl", `${JSON.stringify(chat("a"))}\n[1, 2]\n"text"\n`);
    const { items } = await readItems(file);
    expect(rejections(items)).toEqual([
      { line: 2, reason: "record is an array, expected a JSON object" },
      { line: 3, reason: "record is a string, expected a JSON object" },
    ]);
  });
});
