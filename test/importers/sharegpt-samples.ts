import { readFileSync } from "node:fs";
import { realData } from "../support/test-app.ts";

const ARENA = realData("chatbot_arena/chatbot_arena_convotopo.jsonl");

/** One ShareGPT element as JSON text, and the start of its expected rejection reason when bad. */
interface Sample {
  text: string;
  rejected?: RegExp;
}

/** Reads the first `count` real Chatbot Arena conversations and rewrites them as ShareGPT. */
function arenaAsShareGpt(count: number): Record<string, unknown>[] {
  return readFileSync(ARENA, "utf8")
    .split("\n")
    .slice(0, count)
    .map((line) => JSON.parse(line))
    .map((row) => ({
      id: row.id,
      conversations: row.messages.map((message: { role: string; content: string }) => ({
        from: message.role === "user" ? "human" : "gpt",
        value: message.content,
      })),
    }));
}

/**
 * Nine ShareGPT records: three real conversations and six broken records between them, each
 * broken in its own way (invalid JSON among them), so every layout must report all six.
 */
export function mixedShareGpt(pretty: boolean): Sample[] {
  const [a, b, c] = arenaAsShareGpt(3).map((record) => ({
    text: JSON.stringify(record, null, pretty ? 2 : undefined),
  }));
  return [
    a!,
    {
      text: '{"id": "robot", "conversations": [{"from": "robot", "value": "beep"}]}',
      rejected: /^unknown role "robot" in message 1/,
    },
    { text: '{"id": oops}', rejected: /^invalid JSON/ },
    b!,
    { text: '{"id": "no-list", "conversations": "hi"}', rejected: /^"conversations" is a string/ },
    { text: "7", rejected: /^record is a number, expected a JSON object/ },
    { text: '{"id": "empty", "conversations": []}', rejected: /^empty conversation/ },
    c!,
    {
      text: '{"id": "blank", "conversations": [{"from": "human", "value": " "}]}',
      rejected: /^empty conversation: all 1 messages are empty/,
    },
  ];
}

export type Layout = "one-line array" | "pretty array" | "jsonl";
export const LAYOUTS: Layout[] = ["one-line array", "pretty array", "jsonl"];

/**
 * Writes the mixed records in one layout. Returns the file text and, for each bad record, the
 * line and record index its rejection must carry, with the expected reason.
 */
export function mixedShareGptFile(layout: Layout): {
  text: string;
  expected: { line: number; record: number; reason: RegExp }[];
} {
  const samples = mixedShareGpt(layout === "pretty array");
  const expected: { line: number; record: number; reason: RegExp }[] = [];
  if (layout === "one-line array") {
    samples.forEach((sample, index) => {
      if (sample.rejected) expected.push({ line: 1, record: index, reason: sample.rejected });
    });
    return { text: `[${samples.map((sample) => sample.text).join(",")}]\n`, expected };
  }
  if (layout === "jsonl") {
    samples.forEach((sample, index) => {
      if (sample.rejected) expected.push({ line: index + 1, record: 0, reason: sample.rejected });
    });
    return { text: `${samples.map((sample) => sample.text).join("\n")}\n`, expected };
  }
  // Pretty: "[" on line 1, then each element (possibly several lines) followed by ",\n".
  let line = 2;
  samples.forEach((sample, index) => {
    if (sample.rejected) expected.push({ line, record: index, reason: sample.rejected });
    line += sample.text.split("\n").length;
  });
  return { text: `[\n${samples.map((sample) => sample.text).join(",\n")}\n]\n`, expected };
}
