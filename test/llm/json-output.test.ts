import { describe, expect, it } from "vitest";
import { extractJsonObject, looksLikeRefusal } from "../../src/llm/json-output.ts";

describe("extractJsonObject", () => {
  it("reads bare JSON directly", () => {
    expect(extractJsonObject('{"a":1}')).toEqual({ ok: true, value: { a: 1 }, how: "direct" });
  });

  it("cuts JSON out of fences", () => {
    const reply = 'Sure:\n```json\n{"judgment": "SAT"}\n```\nAnything else?';
    expect(extractJsonObject(reply)).toEqual({
      ok: true,
      value: { judgment: "SAT" },
      how: "extracted",
    });
  });

  it("cuts JSON out of prose", () => {
    const reply = 'Here is my answer: {"level": "expert", "note": "uses {braces}"} Hope it helps.';
    expect(extractJsonObject(reply)).toEqual({
      ok: true,
      value: { level: "expert", note: "uses {braces}" },
      how: "extracted",
    });
  });

  it("repairs nearly valid JSON", () => {
    const reply = "{level: 'novice', confidence: 0.5, // unsure\n 'tags': ['a', 'b',],}";
    expect(extractJsonObject(reply)).toEqual({
      ok: true,
      value: { level: "novice", confidence: 0.5, tags: ["a", "b"] },
      how: "repaired",
    });
  });

  it("repairs JSON after prose", () => {
    const reply = 'The result is {"a": 1, "b": 2,} as requested';
    expect(extractJsonObject(reply)).toEqual({ ok: true, value: { a: 1, b: 2 }, how: "repaired" });
  });

  it("rejects replies without an object", () => {
    expect(extractJsonObject("SAT").ok).toBe(false);
    expect(extractJsonObject('["SAT"]').ok).toBe(false);
    expect(extractJsonObject("").ok).toBe(false);
  });

  it("recognises refusal wording", () => {
    expect(looksLikeRefusal("I'm sorry, but I can't help with that request.")).toBe(true);
    expect(looksLikeRefusal("I cannot assist with this.")).toBe(true);
    expect(looksLikeRefusal("As an AI, I won't rate this.")).toBe(true);
    expect(looksLikeRefusal("SAT")).toBe(false);
    expect(looksLikeRefusal("The judgment is SAT because the user thanked the assistant.")).toBe(
      false,
    );
  });
});
