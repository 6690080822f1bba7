import { describe, expect, it } from "vitest";
import { composeTailoredMessages, decidePersonalization } from "../../src/domain/tailoring/plan.ts";
import { type GroupRule, ruleInstruction } from "../../src/domain/tailoring/rules.ts";

const steps: GroupRule = {
  aspect: "numbered-steps",
  phrase: "used numbered steps",
  significance: 5,
  effectPoints: 38.4,
  direction: "prefer",
  description: "US users were more satisfied when replies used numbered steps.",
};
const intent = { domain: "programming", task: "debugging" };

describe("decidePersonalization", () => {
  it("personalizes with rules above threshold", () => {
    const decision = decidePersonalization({
      group: "US",
      intent,
      rubric: { version: 2, emptyReason: null },
      rules: [steps],
      minSignificance: 3,
    });
    expect(decision).toMatchObject({ personalize: true, reason: "PERSONALIZED" });
  });

  it("names each reason not to", () => {
    const base = {
      intent,
      rubric: { version: 1, emptyReason: "no aspect diverges" },
      minSignificance: 3,
    };
    expect(decidePersonalization({ ...base, group: null, rules: [steps] }).reason).toBe(
      "UNKNOWN_GROUP",
    );
    expect(decidePersonalization({ ...base, group: "US", rubric: null, rules: [] }).reason).toBe(
      "NO_RUBRIC",
    );
    const empty = decidePersonalization({ ...base, group: "US", rules: [] });
    expect(empty.reason).toBe("EMPTY_RUBRIC");
    expect(empty.explanation).toContain("no aspect diverges");
    expect(
      decidePersonalization({ ...base, group: "US", rules: [steps], minSignificance: 5 }).reason,
    ).toBe("BELOW_THRESHOLD");
  });
});

describe("ruleInstruction", () => {
  it("states measured rules with their effect", () => {
    expect(ruleInstruction(steps)).toBe(
      "Do this: the reply used numbered steps. (satisfaction +38 points when present, significance 5/5)",
    );
    expect(ruleInstruction({ ...steps, direction: "avoid", effectPoints: -21 })).toMatch(
      /^Avoid this: .* −21 points/,
    );
  });

  it("states LLM rules as preferences", () => {
    const rule = {
      ...steps,
      phrase: "prefers a short fix first, then the reason.",
      effectPoints: null,
    };
    expect(ruleInstruction(rule)).toBe(
      "This group's preference: prefers a short fix first, then the reason (significance 5/5).",
    );
  });
});

describe("composeTailoredMessages", () => {
  it("puts the rules before the conversation", () => {
    const conversation = [
      { role: "system" as const, content: "You are the ACME helpdesk." },
      { role: "user" as const, content: "It crashes." },
    ];
    const messages = composeTailoredMessages("US", [steps], conversation);
    expect(messages).toHaveLength(3);
    expect(messages[0]?.role).toBe("system");
    expect(messages[0]?.content).toContain("1. Do this: the reply used numbered steps.");
    expect(messages[0]?.content).toContain("redaction placeholders");
    expect(messages.slice(1)).toEqual(conversation);
  });
});
