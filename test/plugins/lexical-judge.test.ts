import { describe, expect, it } from "vitest";
import { judgeConversation } from "../../plugins/lexical-judge/index.ts";
import type {
  PluginConversation,
  PluginMessage,
  TurnJudgment,
} from "../../src/plugin-api/index.ts";

const DEFAULTS = { rankZeroAsWeakSat: true };

function judge(
  messages: PluginMessage[],
  metadata: Record<string, unknown> = {},
  options = DEFAULTS,
): TurnJudgment[] {
  const conversation: PluginConversation = { id: "j", messages, metadata };
  return judgeConversation(conversation, options);
}

const user = (content: string): PluginMessage => ({ role: "user", content });
const assistant = (content: string, feedback?: Record<string, unknown>): PluginMessage => ({
  role: "assistant",
  content,
  ...(feedback ? { feedback } : {}),
});

describe("lexical judge", () => {
  it("judges every assistant turn", () => {
    const judgments = judge([
      user("Write a haiku about rain."),
      assistant("Rain on the tin roof..."),
      user("thanks! now one about snow"),
      assistant("Snow hides the old path..."),
      user("that's wrong, a haiku has 5-7-5 syllables"),
      assistant("You're right, here is a corrected one..."),
    ]);
    expect(judgments).toEqual([
      expect.objectContaining({ messageIndex: 1, judgment: "SAT", source: "cue" }),
      expect.objectContaining({ messageIndex: 3, judgment: "DSAT", source: "cue" }),
      {
        messageIndex: 5,
        judgment: "NA",
        confidence: 1,
        source: "no-follow-up",
        rationale: "no user message follows this turn",
      },
    ]);
  });

  it("lets votes win over cues", () => {
    const judgments = judge([
      user("Explain recursion."),
      assistant("Recursion is...", { upvotes: 3, downvotes: 1 }),
      user("that's wrong"),
      assistant("Let me try again.", { "+1": 0, "-1": 2 }),
      user("thanks!"),
      assistant("Glad to help.", { emojis: { "+1": 1, "-1": 0 } }),
    ]);
    expect(judgments.map((item) => [item.judgment, item.source])).toEqual([
      ["SAT", "explicit"],
      ["DSAT", "explicit"],
      ["SAT", "explicit"],
    ]);
  });

  it("falls back to cues on a tie", () => {
    const [judgment] = judge([
      user("Explain recursion."),
      assistant("Recursion is...", { upvotes: 2, downvotes: 2 }),
      user("still doesn't make sense"),
      assistant("Sorry."),
    ]);
    expect(judgment).toMatchObject({ judgment: "DSAT", source: "cue" });
  });

  it("treats rank zero as weak", () => {
    const judgments = judge([
      user("Name a prime."),
      assistant("7", { rank: 0 }),
      user("And an even one?"),
      assistant("2", { rank: 0 }),
      user("no, that's wrong"),
      assistant("Then 2 is the only even prime.", { rank: 0 }),
    ]);
    expect(judgments.map((item) => [item.judgment, item.source, item.confidence])).toEqual([
      ["SAT", "explicit", 0.55],
      ["DSAT", "cue", 0.8],
      ["SAT", "explicit", 0.55],
    ]);
  });

  it("ignores rank zero when disabled", () => {
    const judgments = judge(
      [user("Name a prime."), assistant("7", { rank: 0 })],
      {},
      { rankZeroAsWeakSat: false },
    );
    expect(judgments[0]).toMatchObject({ judgment: "NA", source: "no-follow-up" });
  });

  it("ignores a rank above zero", () => {
    const [judgment] = judge([user("Name a prime."), assistant("9", { rank: 2 })]);
    expect(judgment).toMatchObject({ judgment: "NA", source: "no-follow-up" });
  });

  it("reads thumbs feedback", () => {
    const judgments = judge(
      [
        user("Translate 'cat' to French."),
        assistant("chat", { thumbs: "down" }),
        user("thanks"),
        assistant("chat (masculine)"),
      ],
      { thumbs: "UP" },
    );
    expect(judgments.map((item) => [item.judgment, item.source, item.rationale])).toEqual([
      ["DSAT", "explicit", "thumbs down"],
      ["SAT", "explicit", "thumbs up"],
    ]);
  });

  it("applies conversation thumbs to the last turn", () => {
    const judgments = judge([user("Hi"), assistant("Hello!"), user("bye"), assistant("Bye!")], {
      thumbs: "down",
    });
    expect(judgments.map((item) => item.judgment)).toEqual(["NA", "DSAT"]);
  });

  it("needs a user message right after", () => {
    const judgments = judge([
      { role: "system", content: "Be brief." },
      user("Hi"),
      assistant("Hello!"),
      assistant("Anything else?"),
      { role: "system", content: "The user is typing." },
      user("thank you"),
    ]);
    expect(judgments.map((item) => [item.messageIndex, item.judgment, item.source])).toEqual([
      [2, "NA", "no-follow-up"],
      [3, "SAT", "cue"],
    ]);
  });

  it("handles an empty conversation", () => {
    expect(judge([])).toEqual([]);
  });
});
