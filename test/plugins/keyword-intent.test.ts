import { afterEach, describe, expect, it } from "vitest";
import plugin, { createKeywordIntentClassifier } from "../../plugins/keyword-intent/index.ts";
import type { IntentAssignment, PluginConversation } from "../../src/plugin-api/index.ts";
import { type PluginHost, PluginLoadError } from "../../src/plugin-host/plugin-host.ts";
import { loadHost, okValue, writeConfig } from "../plugin-host/host-support.ts";

const defaults = plugin.optionsSchema!.parse({}) as Parameters<
  typeof createKeywordIntentClassifier
>[0];
const classifier = createKeywordIntentClassifier(defaults);
const signal = new AbortController().signal;

function classify(...userTexts: string[]): IntentAssignment {
  const conversation: PluginConversation = {
    id: "i",
    messages: userTexts.flatMap((content) => [
      { role: "user" as const, content },
      { role: "assistant" as const, content: "Sure." },
    ]),
    metadata: {},
  };
  return classifier.classify(conversation, { signal }) as IntentAssignment;
}

const CASES: [text: string, intent: `${string}/${string}`][] = [
  [
    "My Python script throws KeyError: 'id' when I run it, how do I fix it?",
    "programming/debugging",
  ],
  [
    'Traceback (most recent call last):\n  File "a.py", line 1\nValueError: bad value',
    "programming/debugging",
  ],
  ["Write a Python function that removes duplicates from a list.", "programming/writing-code"],
  ["Explain what this JavaScript code does: const x = a?.b ?? c;", "programming/explaining-code"],
  ["这段代码报错了，帮我调试一下", "programming/debugging"],
  ["用Python写一个函数，计算列表的平均值", "programming/writing-code"],
  ["Write a short story about a dragon who is afraid of fire.", "creative-writing/story"],
  ["Write a poem about autumn rain.", "creative-writing/poem"],
  [
    "Proofread this paragraph and fix the grammar: Their going to the park tomorow.",
    "creative-writing/editing",
  ],
  [
    "Write an email to my landlord asking to fix the heating.",
    "creative-writing/functional-writing",
  ],
  ["写一个关于月亮的故事", "creative-writing/story"],
  ["帮我写一首关于春天的诗", "creative-writing/poem"],
  ["帮我润色论文", "creative-writing/editing"],
  ["Who was the first president of Kenya?", "information-seeking/factual"],
  ["What is the difference between weather and climate?", "information-seeking/factual"],
  [
    "Should I take the job offer or stay at my current company? Any advice?",
    "information-seeking/advice",
  ],
  ["如何提高睡眠质量？有什么建议", "information-seeking/advice"],
  ["长城有多少年的历史？", "information-seeking/factual"],
  ["Solve the equation 3x + 5 = 20.", "math/problem-solving"],
  ["Translate this into French: good morning, everyone.", "language/translation"],
  ["请翻译成英文：今天天气很好", "language/translation"],
  ["Is it possible to keep all chunks loaded in a Minecraft world?", "information-seeking/factual"],
  ["hello there friend", "other/other"],
  ["Give me a random restaurant name.", "other/other"],
];

let host: PluginHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe("keyword intent classifier", () => {
  it.each(CASES)("classifies %j", (text, intent) => {
    const result = classify(text);
    expect(`${result.domain}/${result.task}`, result.rationale).toBe(intent);
  });

  it("skips a greeting", () => {
    const result = classify("hi", "Write a haiku about the sea.");
    expect(`${result.domain}/${result.task}`).toBe("creative-writing/poem");
  });

  it("declares the taxonomy", () => {
    expect(classifier.taxonomy).toMatchObject({
      programming: ["debugging", "explaining-code", "writing-code"],
      "creative-writing": ["story", "poem", "editing", "functional-writing"],
      "information-seeking": ["advice", "factual"],
      other: ["other"],
    });
  });

  it("takes a taxonomy from the config", async () => {
    const taxonomy = [
      {
        domain: "billing",
        cues: ["invoice", "refund", "发票"],
        tasks: [
          { task: "refund", cues: ["refund", "money back", "退款"] },
          { task: "invoice", cues: ["invoice", "发票"] },
        ],
        defaultTask: "invoice",
      },
    ];
    host = await loadHost(
      await writeConfig({
        plugins: [
          { module: "builtin:keyword-intent", options: { taxonomy, questionFallback: null } },
        ],
      }),
    );
    const intent = host.intentClassifier("keyword-intent");
    expect(intent.taxonomy).toEqual({ billing: ["refund", "invoice"], other: ["other"] });
    const refund = await intent.classify({
      id: "r",
      messages: [{ role: "user", content: "I want a refund for invoice 1234" }],
      metadata: {},
    });
    expect(okValue(refund)).toMatchObject({ domain: "billing", task: "refund" });
    const other = await intent.classify({
      id: "o",
      messages: [{ role: "user", content: "What time is it in Lima?" }],
      metadata: {},
    });
    expect(okValue(other)).toMatchObject({ domain: "other", task: "other" });
  });

  it("rejects a default task outside its domain", async () => {
    const taxonomy = [
      {
        domain: "billing",
        cues: ["invoice"],
        tasks: [{ task: "refund", cues: [] }],
        defaultTask: "invoice",
      },
    ];
    const error = await loadHost(
      await writeConfig({ plugins: [{ module: "builtin:keyword-intent", options: { taxonomy } }] }),
    ).then(
      () => null,
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error?.message).toContain('Plugin "keyword-intent"');
    expect(error?.message).toContain(
      'defaultTask "invoice" of domain "billing" is not one of its tasks',
    );
  });
});
