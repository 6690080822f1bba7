import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createBuiltInDetectors } from "../../plugins/aspect-detectors/detectors.ts";
import { realData } from "../support/test-app.ts";

function readJsonl<T>(relative: string): T[] {
  return readFileSync(realData(relative), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as T);
}

/** Assistant replies of the WildChat and Chatbot Arena samples. */
function assistantReplies(): string[] {
  const files = [
    "wildchat/wildchat_convotopo_full.jsonl",
    "wildchat/wildchat_convotopo_partial.jsonl",
    "chatbot_arena/chatbot_arena_convotopo.jsonl",
  ];
  return files.flatMap((file) =>
    readJsonl<{ messages: { role: string; content: string }[] }>(file).flatMap((record) =>
      record.messages
        .filter((message) => message.role === "assistant")
        .map((message) => message.content),
    ),
  );
}

describe("aspect detectors on real replies", () => {
  const replies = assistantReplies();
  const detectors = createBuiltInDetectors();
  const counts = new Map<string, number>();
  const redactedFlags: Record<string, boolean>[] = [];
  for (const content of replies) {
    const found: Record<string, boolean> = Object.assign(
      {},
      ...detectors.map((detector) => detector.detect({ content, request: "" })),
    );
    for (const [name, present] of Object.entries(found))
      if (present) counts.set(name, (counts.get(name) ?? 0) + 1);
    if (content.includes("<PRESIDIO_ANONYMIZED_") || content.includes("<NAME>"))
      redactedFlags.push(found);
  }
  const rate = (name: string) => (counts.get(name) ?? 0) / replies.length;

  it("reads thousands of replies", () => {
    expect(replies.length).toBeGreaterThan(4000);
  });

  it("fires on some replies, not most", () => {
    const names = detectors.flatMap((detector) => detector.aspects.map((aspect) => aspect.name));
    for (const name of names) {
      expect(counts.get(name) ?? 0, `${name} never fires`).toBeGreaterThan(0);
      expect(rate(name), `${name} fires on ${rate(name)}`).toBeLessThan(0.5);
    }
  });

  it("buckets lengths into sizable shares", () => {
    expect(rate("short-reply")).toBeGreaterThan(0.2);
    expect(rate("long-reply")).toBeGreaterThan(0.15);
    expect(rate("short-reply") + rate("long-reply")).toBeLessThan(0.8);
  });

  it("sees redacted replies", () => {
    // Redacted letters and contact lists carry no fenced code; placeholders must not add any.
    expect(redactedFlags.length).toBeGreaterThan(0);
    for (const found of redactedFlags) expect(found["code-block"]).toBe(false);
  });
});
