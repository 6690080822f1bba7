import { describe, expect, it } from "vitest";
import { createExpertiseClassifier } from "../../plugins/heuristic-expertise/index.ts";
import type { PluginConversation } from "../../src/plugin-api/index.ts";

const classifier = createExpertiseClassifier({ expertFrom: 4, intermediateFrom: 2 });
const signal = new AbortController().signal;

function classify(...userTexts: string[]) {
  const conversation: PluginConversation = {
    id: "e",
    messages: userTexts.flatMap((content) => [
      { role: "user" as const, content },
      // The assistant's words must never count: this reply is full of expert vocabulary.
      {
        role: "assistant" as const,
        content: "Use a mutex to avoid the race condition and deadlock.",
      },
    ]),
    metadata: {},
  };
  return classifier.classify(conversation, { signal }) as { group: string; rationale?: string };
}

const PYTHON_TRACE = `Traceback (most recent call last):
  File "app.py", line 12, in <module>
    main()
KeyError: 'user_id'`;

const CASES: [texts: string[], group: string][] = [
  [["I'm a complete beginner, what is a variable in Python?"], "novice"],
  [["Explain like I'm 5: how does the internet work?"], "novice"],
  [["我是小白，零基础想学编程，应该从哪里开始？"], "novice"],
  [["请用通俗易懂的话解释一下什么是区块链"], "novice"],
  [["I'm new to Rust, but I'm a senior engineer with years of experience in C++."], "intermediate"],
  [[`My Flask app crashes with this error:\n${PYTHON_TRACE}`], "intermediate"],
  [["How do I create a REST API using .NET 8 and Docker?"], "intermediate"],
  [
    [
      "Our production service has a race condition: two goroutines share a map without a mutex, and under load we see a deadlock in the connection pool. Latency and throughput both degrade.",
    ],
    "expert",
  ],
  [
    [
      "Fine-tuning with a learning rate of 3e-5 overfits; should I add regularization or change the loss function? The embedding layer is frozen.",
    ],
    "expert",
  ],
  [["我们的微服务在生产环境出现死锁，线程池和负载均衡配置如下，怎么排查内存泄漏？"], "expert"],
  [["Write a poem about the sea."], "unknown"],
  [["hi"], "unknown"],
  [["What is an API?"], "unknown"],
  [[""], "unknown"],
];

describe("heuristic expertise classifier", () => {
  it.each(CASES)("classifies %j", (texts, group) => {
    const result = classify(...texts);
    expect(result.group, result.rationale).toBe(group);
  });

  it("reads every user message", () => {
    const result = classify(
      "hi",
      "Now the stack trace shows a segfault after the dereference of a null pointer in the kernel module.",
    );
    expect(result.group).not.toBe("unknown");
  });

  it("ignores words inside pasted code", () => {
    const code =
      "```js\nconst [state, setState] = useState(0);\nuseEffect(() => {}, []);\nconsole.log(stdout, stderr);\n```";
    const result = classify(`why is this not updating?\n${code}`);
    expect(result.group).toBe("intermediate");
    expect(result.rationale).not.toContain("usestate");
  });

  it("rejects inverted thresholds", async () => {
    const { heuristicExpertiseClassifier } = await import(
      "../../plugins/heuristic-expertise/index.ts"
    );
    const parsed = heuristicExpertiseClassifier.optionsSchema.safeParse({
      expertFrom: 2,
      intermediateFrom: 3,
    });
    expect(parsed.success).toBe(false);
  });
});
