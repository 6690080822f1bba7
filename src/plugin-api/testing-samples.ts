import type { DetectorInput } from "./aspect-detector.ts";
import type { PluginConversation } from "./conversation.ts";

/**
 * Inputs that real logs contain and that every capability must survive without throwing:
 * the contract checks in testing.ts add them to the integrator's samples.
 */
export const EDGE_CASE_CONVERSATIONS: readonly PluginConversation[] = [
  { id: "edge-empty", messages: [], metadata: {} },
  {
    id: "edge-empty-text",
    messages: [
      { role: "user", content: "" },
      { role: "assistant", content: "" },
    ],
    metadata: {},
  },
  {
    id: "edge-assistant-first",
    messages: [
      { role: "assistant", content: "Hello! How can I help you today?" },
      { role: "user", content: "hi" },
    ],
    metadata: { country: null },
  },
  {
    id: "edge-chinese",
    messages: [
      { role: "system", content: "你是一个乐于助人的助手。" },
      { role: "user", content: "这段代码为什么报错？" },
      { role: "assistant", content: "请把完整的错误信息发给我。" },
      { role: "user", content: "还是报错，不对" },
      { role: "assistant", content: "抱歉，我们换一种写法。" },
    ],
    metadata: { country: "China", language: "Chinese" },
  },
  {
    id: "edge-long-and-redacted",
    messages: [
      {
        role: "user",
        content: `Contact <PRESIDIO_ANONYMIZED_EMAIL_ADDRESS>, please. ${"lorem ipsum ".repeat(10_000)}`,
      },
      { role: "assistant", content: "Done.", feedback: { upvotes: 1, downvotes: 3 } },
      { role: "user", content: "thanks" },
      { role: "assistant", content: "You're welcome.", feedback: { rank: 0 } },
    ],
    metadata: { country: 42, nested: { field: ["a", "b"] } },
  },
];

export const EDGE_CASE_REPLIES: readonly DetectorInput[] = [
  { content: "", request: "" },
  { content: "好的，下面是步骤：\n1. 打开设置\n2. 选择语言", request: "怎么改语言？" },
  { content: "Write to <PRESIDIO_ANONYMIZED_EMAIL_ADDRESS> or <NAME>.", request: "Who do I ask?" },
  { content: `${"word ".repeat(20_000)}\n\`\`\`\ncode\n\`\`\``, request: "Make it long." },
];
