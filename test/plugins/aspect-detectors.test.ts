import { describe, expect, it } from "vitest";
import { createBuiltInDetectors } from "../../plugins/aspect-detectors/detectors.ts";
import plugin from "../../plugins/aspect-detectors/index.ts";
import {
  countWords,
  stripRedactionPlaceholders,
} from "../../plugins/aspect-detectors/reply-text.ts";
import { checkAspectDetectorContract, setUpPluginForTest } from "../../src/plugin-api/testing.ts";

const detectors = createBuiltInDetectors();

/** Runs every built-in detector on a reply and merges their outputs. */
function detectAll(content: string, request = ""): Record<string, boolean> {
  return Object.assign({}, ...detectors.map((detector) => detector.detect({ content, request })));
}

interface AspectCases {
  aspect: string;
  positive: string[];
  negative: string[];
}

const LONG_ENGLISH = Array.from({ length: 210 }, (_, index) => `word${index}`).join(" ");

/** Each aspect with English and Chinese replies that show it and replies that do not. */
const CASES: AspectCases[] = [
  {
    aspect: "numbered-steps",
    positive: [
      "To reset it:\n1. Open Settings.\n2. Choose Reset.\n3. Confirm.",
      "Step 1: unplug the router.\nStep 2: wait ten seconds.",
      "操作如下：\n1、打开设置\n2、选择语言",
      "第一步：备份数据。\n第二步：重新安装。",
    ],
    negative: [
      "In 2023 there were 3 releases. Version 1.2 fixed the crash.",
      "```\n1. not a step\n2. inside code\n```",
      "这个问题很简单，重启即可。",
    ],
  },
  {
    aspect: "bullet-points",
    positive: ["Options:\n- Python\n- Go\n- Rust", "优点：\n• 速度快\n• 内存少"],
    negative: [
      "**Bold** text and more **bold** text.",
      "---\nA single - dash in a sentence.",
      "没有列表的回答。",
    ],
  },
  {
    aspect: "code-block",
    positive: [
      "Run this:\n```bash\nnpm install\n```",
      "代码如下：\n~~~python\nprint('你好')\n~~~",
      "```js\nconst x = 1;",
    ],
    negative: [
      "Use the `npm install` command.",
      "```\n\n```",
      "Dear <NAME>,\nplease write to <EMAIL>.",
      "请使用命令行。",
    ],
  },
  {
    aspect: "headings",
    positive: [
      "# Installation\nRun the installer.",
      "## 安装步骤\n运行安装程序。",
      "**Summary**\nIt works.",
      "Title\n=====\nBody.",
    ],
    negative: [
      "```python\n# a comment in code\n```",
      "# <NAME>",
      "Issue #42 is fixed.",
      "这是普通的一段话。",
    ],
  },
  {
    aspect: "table",
    positive: [
      "| Plan | Price |\n| --- | --- |\n| Free | $0 |",
      "| 名称 | 价格 |\n|:---|---:|\n| 苹果 | 5 |",
    ],
    negative: ["Use a | b in the shell.", "名称 | 价格"],
  },
  {
    aspect: "short-reply",
    positive: [
      "Yes, that works.",
      "可以，这样没问题。",
      `Contact ${"<PRESIDIO_ANONYMIZED_EMAIL_ADDRESS> ".repeat(80)}`,
    ],
    negative: [LONG_ENGLISH, "这".repeat(120)],
  },
  {
    aspect: "long-reply",
    positive: [LONG_ENGLISH, "这".repeat(300)],
    negative: ["Yes.", "这".repeat(200), `Hi ${"<PRESIDIO_ANONYMIZED_PHONE_NUMBER> ".repeat(400)}`],
  },
  {
    aspect: "concrete-examples",
    positive: [
      "Use a fruit, for example an apple.",
      "Languages such as Go and Rust.",
      "比如，你可以用苹果。",
      "例如：北京。",
    ],
    negative: ["Use any fruit you like.", "随便选一种水果。"],
  },
  {
    aspect: "analogy",
    positive: [
      "A cache is like a notebook on your desk.",
      "Think of it as a mailbox for messages.",
      "内存就像一张书桌。",
      "打个比方，缓存是一个笔记本。",
    ],
    negative: ["I like this answer.", "A cache stores recent data.", "缓存保存最近的数据。"],
  },
  {
    aspect: "links-or-references",
    positive: [
      "See https://nodejs.org/docs for details.",
      "Read [the guide](https://example.org/guide).",
      "According to the WHO, adults need sleep.",
      "参考资料：《算法导论》",
      "详见官方文档。",
    ],
    negative: ["Email <EMAIL> for help.", "I can explain it here.", "我来解释一下。"],
  },
  {
    aspect: "verify-advice",
    positive: [
      "Make sure to test it before deploying.",
      "Double-check the totals.",
      "Please consult a doctor about the dose.",
      "修改后请务必测试一下。",
      "请核实这些数据。",
    ],
    negative: ["The test results are attached.", "It is done.", "测试结果在附件中。"],
  },
  {
    aspect: "clarifying-question",
    positive: [
      "Which version of Python are you using?",
      "I'm not sure what you mean by SMAX. Could you please provide more context?",
      "请问您使用的是哪个版本？",
      "您是指上个月的数据吗？",
    ],
    negative: [
      "Hello! How can I assist you today?",
      "Here is the fix. Is there anything else I can help you with?",
      "Why is the sky blue? Because of Rayleigh scattering.",
      "还有什么可以帮您的吗？",
    ],
  },
  {
    aspect: "apology",
    positive: [
      "Sorry, I misread the question.",
      "I apologize for the confusion.",
      "抱歉，我理解错了。",
      "对不起，刚才的答案有误。",
    ],
    negative: [
      "I'm sorry to hear that you're feeling unwell.",
      "Here is the answer.",
      "这是答案。",
    ],
  },
  {
    aspect: "refusal",
    positive: [
      "I'm sorry, but I can't help with that request.",
      "As an AI language model, I cannot provide medical diagnoses.",
      "I must decline to write that.",
      "很抱歉，我无法提供这类信息。",
      "我不能帮你完成这个请求。",
    ],
    negative: ["I can help with that.", "You can't use that API on Windows.", "我可以帮你完成。"],
  },
  {
    aspect: "hedging",
    positive: [
      "It might work, but perhaps not on Windows.",
      "I think the answer is 42.",
      "这可能是网络问题。",
      "也许你需要重启。",
    ],
    negative: [
      "The answer is 42.",
      `The answer is 42. ${"It is documented well. ".repeat(40)}Perhaps.`,
      "答案是四十二。",
    ],
  },
  {
    aspect: "second-person",
    positive: [
      "You should update your drivers.",
      "你可以先重启，然后你再试一次。",
      "您好，您的订单已经发货，请您查收。",
    ],
    negative: [
      "The drivers should be updated.",
      `You may like it. ${"The system restarts after updates. ".repeat(20)}`,
      "系统会自动更新。",
    ],
  },
  {
    aspect: "emoji",
    positive: ["Great job! 🎉", "完成了 ✅", "I ❤️ it."],
    negative: ["Copyright © 2024, Acme™.", "Item #1 costs 2 dollars.", "完成了。"],
  },
];

describe("aspect detectors", () => {
  for (const { aspect, positive, negative } of CASES) {
    it(`detects ${aspect}`, () => {
      for (const reply of positive)
        expect(detectAll(reply)[aspect], `${aspect} in ${JSON.stringify(reply)}`).toBe(true);
    });

    it(`rejects non-${aspect}`, () => {
      for (const reply of negative)
        expect(detectAll(reply)[aspect], `${aspect} in ${JSON.stringify(reply)}`).toBe(false);
    });
  }

  it("covers every declared aspect", () => {
    const declared = detectors
      .flatMap((detector) => detector.aspects.map((aspect) => aspect.name))
      .sort();
    expect(CASES.map((cases) => cases.aspect).sort()).toEqual(declared);
  });
});

describe("reply text", () => {
  it("strips redaction placeholders", () => {
    expect(
      stripRedactionPlaceholders(
        "Hi <NAME>, mail <PRESIDIO_ANONYMIZED_EMAIL_ADDRESS> or call <PHONE>.",
      ),
    ).toBe("Hi , mail  or call .");
    expect(stripRedactionPlaceholders("Use <div> and <T>.")).toBe("Use <div> and <T>.");
  });

  it("counts Chinese characters as words", () => {
    expect(countWords("one two three")).toBe(3);
    expect(countWords("你好世界")).toBeCloseTo(4 / 1.5, 9);
    expect(countWords("Use Python 3 来写代码")).toBeCloseTo(3 + 4 / 1.5, 9);
    expect(countWords("don't well-known")).toBe(2);
  });

  it("placeholders add no markup or length", () => {
    const redacted = `# <NAME>\n<PRESIDIO_ANONYMIZED_EMAIL_ADDRESS>\n${"<PHONE> ".repeat(300)}`;
    const found = detectAll(redacted);
    expect(found.headings).toBe(false);
    expect(found["code-block"]).toBe(false);
    expect(found["long-reply"]).toBe(false);
    expect(found["short-reply"]).toBe(true);
  });
});

describe("aspect detectors plugin", () => {
  it("registers valid detectors", async () => {
    const { problems, capabilities } = await setUpPluginForTest(plugin);
    expect(problems).toEqual([]);
    expect(capabilities.aspectDetector.map((detector) => detector.id)).toEqual([
      "reply-structure",
      "reply-length",
      "reply-content",
      "reply-stance",
      "reply-voice",
    ]);
    const names = capabilities.aspectDetector.flatMap((detector) =>
      detector.aspects.map((aspect) => aspect.name),
    );
    expect(new Set(names).size).toBe(names.length);
  });

  it("applies length options", async () => {
    const { problems, capabilities } = await setUpPluginForTest(plugin, {
      shortReplyBelowWords: 5,
      longReplyFromWords: 10,
    });
    expect(problems).toEqual([]);
    const length = capabilities.aspectDetector.find((detector) => detector.id === "reply-length")!;
    expect(length.detect({ content: "one two three four five six", request: "" })).toEqual({
      "short-reply": false,
      "long-reply": false,
    });
    expect(length.aspects[0]!.phrase).toBe("were short (under 5 words)");
  });

  it("rejects inverted length options", async () => {
    const { problems } = await setUpPluginForTest(plugin, {
      shortReplyBelowWords: 300,
      longReplyFromWords: 100,
    });
    expect(problems.join(" ")).toMatch(/longReplyFromWords/);
  });

  it("keeps the detector contract", async () => {
    const sampleReplies = CASES.flatMap((cases) => [...cases.positive, ...cases.negative]).map(
      (content) => ({
        content,
        request: "",
      }),
    );
    for (const detector of detectors) {
      expect(
        await checkAspectDetectorContract(detector, { sampleReplies, deterministic: true }),
      ).toEqual([]);
    }
  });
});
