import { describe, expect, it } from "vitest";
import { readFollowUp } from "../../plugins/lexical-judge/read-follow-up.ts";
import type { Judgment } from "../../src/plugin-api/index.ts";

/**
 * Hand-checked follow-ups and the label each should get for the assistant turn before it.
 * Every turn replied to `REQUEST` with `CODE_REPLY`.
 */
const REQUEST = "Write a Python function that parses the date column of my CSV file.";
const CODE_REPLY = "Here is a function:\n```python\ndef parse(path):\n    ...\n```";

const CASES: [followUp: string, expected: Judgment][] = [
  // Thanks, praise and confirmation.
  ["Thanks!", "SAT"],
  ["thank you so much, that was really helpful", "SAT"],
  ["ty", "SAT"],
  ["Perfect, now can you add a docstring?", "SAT"],
  ["Great! Now make it handle time zones too.", "SAT"],
  ["It works, thanks.", "SAT"],
  ["That worked perfectly.", "SAT"],
  ["Awesome!", "SAT"],
  ["That makes sense now.", "SAT"],
  ["Ok thanks, that's enough", "SAT"],
  ["Incredible, such a smart text!", "SAT"],
  ["谢谢", "SAT"],
  ["太好了，可以用了", "SAT"],
  ["完美！再帮我加个注释", "SAT"],
  ["明白了，感谢", "SAT"],
  // Corrections, complaints and failures; mixed cues and sarcasm count as DSAT.
  ["thanks but it still fails", "DSAT"],
  ["Thanks, but I still get the same error.", "DSAT"],
  ["great, another error", "DSAT"],
  ["Thanks for nothing.", "DSAT"],
  ["That's wrong.", "DSAT"],
  ["No, I meant the second column.", "DSAT"],
  ["no", "DSAT"],
  ["still not working", "DSAT"],
  ["It doesn't work on Windows.", "DSAT"],
  ["You forgot the header row.", "DSAT"],
  ["That's not what I asked for.", "DSAT"],
  ["I got this error: ValueError: unconverted data remains", "DSAT"],
  ['Traceback (most recent call last):\n  File "main.py", line 3', "DSAT"],
  ["Fantastic! It is still missing the time zone.", "DSAT"],
  ["Are you sure? The docs say otherwise.", "DSAT"],
  ["This is too long, please shorten it", "DSAT"],
  ["Your answer is incorrect, try again.", "DSAT"],
  ["You keep ignoring my instructions.", "DSAT"],
  ["不对", "DSAT"],
  ["不对，我要的是第二列", "DSAT"],
  ["还是报错", "DSAT"],
  ["谢谢，但是还是不行", "DSAT"],
  ["你理解错了，我问的是日期格式", "DSAT"],
  // Repeating the request word for word is a DSAT: the reply did not serve it.
  [REQUEST, "DSAT"],
  // Continuations, acknowledgements and new requests carry no verdict on the reply.
  ["continue", "NA"],
  ["go on", "NA"],
  ["继续", "NA"],
  ["ok", "NA"],
  ["yes", "NA"],
  ["What is the capital of Australia?", "NA"],
  ["Write a poem about autumn leaves.", "NA"],
  ["Write a story about a robot whose code doesn't work, and it makes no sense to him.", "NA"],
  ["A game that you can tell doesn't work in your favor: how likely am I to win?", "NA"],
  ["No problem, next question: how do I sort a list?", "NA"],
  ["no thanks", "NA"],
  ["What's wrong with this code? for i in range(3) print(i)", "NA"],
  ["I made a mistake in my question, the file is a TSV.", "NA"],
  ["帮我写一首关于春天的诗", "NA"],
  ["这样对不对？", "NA"],
  ['Please check this email: "Dear team, thank you for your support."', "NA"],
];

describe("lexical judge cues", () => {
  it("has a large enough table", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)("labels %j", (followUp, expected) => {
    const reading = readFollowUp(followUp, { request: REQUEST, reply: CODE_REPLY });
    expect(reading.judgment, reading.rationale).toBe(expected);
  });

  it("ignores an error without code", () => {
    const reading = readFollowUp("Error: the printer is offline", {
      request: "My printer shows a message, what does it mean?",
      reply: "Printers show errors when they lose the connection.",
    });
    expect(reading.judgment).toBe("NA");
  });
});
