import { readFileSync } from "node:fs";
import type { PromptConversation, Taxonomy } from "../../src/prompts/index.ts";
import {
  jsonReply,
  type RecordedRequest,
  type ScriptedReply,
  textReply,
} from "../support/openai-test-server.ts";

/**
 * A deterministic stand-in model for the local test server: it reads the data blocks of each
 * Tailor prompt and answers in the prompt's schema with simple rules (keywords in the user's
 * follow-up for judgments, counts of technical terms for expertise). It drives the whole
 * pipeline but tells nothing about the quality of real labels.
 */
export function scriptedModel(request: RecordedRequest): ScriptedReply {
  const blocks = dataBlocks(request.user);
  switch (request.promptId) {
    case "expertise-classifier":
      return jsonReply(expertiseOf(blocks.conversation as Message[]));
    case "intent-classifier":
      return jsonReply({ ...intentOf(blocks.conversation as Message[]), confidence: 0.7 });
    case "batch-classification":
      return jsonReply({
        results: (blocks.conversations as { id: string; messages: Message[] }[]).map((entry) => {
          const expertise = expertiseOf(entry.messages);
          const intent = intentOf(entry.messages);
          return {
            id: entry.id,
            expertise: expertise.level,
            expertiseConfidence: expertise.confidence,
            rationale: expertise.rationale,
            domain: intent.domain,
            task: intent.task,
            intentConfidence: 0.7,
          };
        }),
      });
    case "satisfaction-judge": {
      const target = blocks.judged_message as { followUpIndex: number };
      return jsonReply({
        ...judge(followUpText(blocks.conversation as Message[], target.followUpIndex)),
        rationale: "From the follow-up wording.",
      });
    }
    case "preference-explanation":
      return jsonReply(EXPLANATION);
    case "conversation-review": {
      const conversation = blocks.conversation as Message[];
      const turns = (blocks.turns_to_judge as number[]).map((index) => {
        const next = conversation.find(
          (message) => message.index > index && message.role === "user",
        );
        const verdict = judge(next?.content ?? "");
        return {
          index,
          ...verdict,
          rationale: "From the follow-up wording.",
          explanation: verdict.judgment === "NA" ? null : EXPLANATION,
        };
      });
      return jsonReply({ turns });
    }
    case "rubric-aspects":
      return jsonReply(aspectsFor(blocks));
    default:
      return textReply("A plain reply.");
  }
}

interface Message {
  index: number;
  role: string;
  content: string;
}

const EXPLANATION = {
  intent: "Get a task done with the assistant's help.",
  expectation: "A direct answer at the right level of detail.",
  reason: "The follow-up shows whether the reply matched that level.",
};

/** Parses the `<tag>` JSON blocks of a prompt's user message. */
export function dataBlocks(text: string): Record<string, unknown> {
  const blocks: Record<string, unknown> = {};
  for (const match of text.matchAll(/<([a-z_]+)>\n([\s\S]*?)\n<\/\1>/g))
    blocks[match[1]!] = JSON.parse(match[2]!);
  return blocks;
}

function expertiseOf(messages: Message[]) {
  const text = messages
    .filter((message) => message.role === "user")
    .map((message) => message.content)
    .join(" ");
  const technical = (
    text.match(/\b(function|class|api|error|compile|async|sql|regex|kernel|thread|docker)\b/gi) ??
    []
  ).length;
  const level =
    technical >= 3
      ? "expert"
      : text.length < 80
        ? "unknown"
        : technical >= 1
          ? "intermediate"
          : "novice";
  return {
    level,
    confidence: 0.6,
    rationale: `Counted ${technical} technical terms in the user's messages.`,
  };
}

function intentOf(messages: Message[]) {
  const first = messages.find((message) => message.role === "user")?.content.toLowerCase() ?? "";
  if (/\b(code|python|function|error|bug|javascript|sql|program)\b/.test(first))
    return { domain: "programming", task: "writing-code" };
  if (/\b(write|essay|story|poem|rewrite|email|letter)\b/.test(first))
    return { domain: "writing", task: "creative-writing" };
  return { domain: "other", task: "other" };
}

function followUpText(messages: Message[], index: number): string {
  return messages.find((message) => message.index === index)?.content ?? "";
}

function judge(followUp: string): { judgment: "SAT" | "DSAT" | "NA"; confidence: number } {
  if (/\b(thanks|thank you|great|perfect|works|awesome)\b/i.test(followUp))
    return { judgment: "SAT", confidence: 0.8 };
  if (/\b(wrong|not what|doesn't|does not|again|still|error|incorrect|no,)\b/i.test(followUp))
    return { judgment: "DSAT", confidence: 0.7 };
  return followUp.length % 3 === 0
    ? { judgment: "NA", confidence: 0.5 }
    : { judgment: "SAT", confidence: 0.55 };
}

function aspectsFor(blocks: Record<string, unknown>) {
  const a = (blocks.explanations_group_a as { id: string }[]).map((item) => item.id);
  const b = (blocks.explanations_group_b as { id: string }[]).map((item) => item.id);
  const current = (blocks.current_aspects as { name: string; significance: number }[]) ?? [];
  const depth = current.find((aspect) => aspect.name === "depth-of-explanation");
  return {
    aspects: [
      {
        name: "Depth of explanation",
        description: "How much background the reply gives.",
        significance: Math.min(5, (depth?.significance ?? 3) + 1),
        groupA: "Wants the reasoning spelled out.",
        groupB: "Wants the answer only.",
        evidence: [a[0], b[0]].filter(Boolean),
      },
      {
        name: "tone",
        description: "How formal the reply sounds.",
        significance: 2,
        groupA: "Neutral.",
        groupB: "Neutral.",
        evidence: a.slice(1, 2),
      },
    ],
  };
}

/** Reads the first `count` WildChat conversations of a JSONL file, as prompts read them. */
export function loadWildchat(path: string, count: number): PromptConversation[] {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  return lines.slice(0, count).map((line) => {
    const record = JSON.parse(line) as {
      id: string;
      messages: { role: "user" | "assistant"; content: string }[];
    };
    return {
      id: record.id,
      messages: record.messages.map(({ role, content }) => ({ role, content: content ?? "" })),
    };
  });
}

/** A small intent taxonomy that the scripted model's keywords map onto. */
export const TEST_TAXONOMY: Taxonomy = {
  programming: ["writing-code", "debugging", "explaining-code"],
  writing: ["creative-writing", "editing", "email"],
  other: ["other"],
};
