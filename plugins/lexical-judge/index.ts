import {
  definePlugin,
  type PluginConversation,
  type SatisfactionJudge,
  type TurnJudgment,
  z,
} from "../../src/plugin-api/index.ts";
import { readExplicitFeedback, readThumbs } from "./explicit-feedback.ts";
import { readFollowUp } from "./read-follow-up.ts";

/**
 * Lexical satisfaction judge: SAT / DSAT / NA for each assistant turn from the user's next
 * message, in English and Chinese, with no LLM.
 *
 * Per assistant turn, in order:
 * 1. Explicit feedback wins: a `thumbs` of "up"/"down" or more up than down votes on the message
 *    (see explicit-feedback.ts), or a conversation-level `metadata.thumbs`, which applies to the
 *    last assistant turn (products put the rating at the end).
 * 2. Otherwise the next message decides when it is the user's (see read-follow-up.ts):
 *    dissatisfaction cues make DSAT even next to thanks, satisfaction cues make SAT, and
 *    anything else (a continuation, a new request) is NA.
 * 3. A best rank among siblings alone is a weak SAT, used only when the follow-up is NA.
 * 4. A turn that no user message follows is NA with source `no-follow-up`.
 */
const optionsSchema = z.strictObject({
  /** Count rank 0 (best among ranked siblings) as a weak SAT when nothing else decides. */
  rankZeroAsWeakSat: z.boolean().default(true),
});
export type LexicalJudgeOptions = z.infer<typeof optionsSchema>;

/** Finds the user message right after message `index`, skipping system messages. */
function nextUserMessage(conversation: PluginConversation, index: number): string | null {
  for (let next = index + 1; next < conversation.messages.length; next += 1) {
    const message = conversation.messages[next]!;
    if (message.role === "system") continue;
    return message.role === "user" ? message.content : null;
  }
  return null;
}

/** Finds the user message that message `index` replies to, if any. */
function previousUserMessage(conversation: PluginConversation, index: number): string | null {
  for (let previous = index - 1; previous >= 0; previous -= 1) {
    const message = conversation.messages[previous]!;
    if (message.role === "user") return message.content;
  }
  return null;
}

export function judgeConversation(
  conversation: PluginConversation,
  options: LexicalJudgeOptions,
): TurnJudgment[] {
  const { messages } = conversation;
  const lastAssistant = messages.findLastIndex((message) => message.role === "assistant");
  const judgments: TurnJudgment[] = [];
  messages.forEach((message, messageIndex) => {
    if (message.role !== "assistant") return;
    let explicit = readExplicitFeedback(message.feedback);
    if ((!explicit || explicit.weak) && messageIndex === lastAssistant) {
      explicit = readThumbs(conversation.metadata.thumbs) ?? explicit;
    }
    if (explicit && !explicit.weak) {
      const { judgment, confidence, rationale } = explicit;
      judgments.push({ messageIndex, judgment, confidence, source: "explicit", rationale });
      return;
    }

    const followUp = nextUserMessage(conversation, messageIndex);
    if (followUp !== null) {
      const reading = readFollowUp(followUp, {
        request: previousUserMessage(conversation, messageIndex),
        reply: message.content,
      });
      if (reading.judgment !== "NA" || !explicit || !options.rankZeroAsWeakSat) {
        judgments.push({ messageIndex, ...reading, source: "cue" });
        return;
      }
    }
    if (explicit && options.rankZeroAsWeakSat) {
      const { judgment, confidence, rationale } = explicit;
      judgments.push({ messageIndex, judgment, confidence, source: "explicit", rationale });
      return;
    }
    judgments.push({
      messageIndex,
      judgment: "NA",
      confidence: 1,
      source: "no-follow-up",
      rationale: "no user message follows this turn",
    });
  });
  return judgments;
}

export function createLexicalJudge(options: LexicalJudgeOptions): SatisfactionJudge {
  return {
    id: "lexical-judge",
    description:
      "SAT, DSAT or NA per assistant turn from cues in the user's next message (English and Chinese); explicit votes and thumbs win.",
    judge: (conversation) => judgeConversation(conversation, options),
  };
}

export default definePlugin({
  name: "lexical-judge",
  version: "1.0.0",
  apiVersion: 1,
  description: "Satisfaction judge that reads the user's next message for cues, without an LLM.",
  optionsSchema,
  setup(context) {
    context.registerSatisfactionJudge(createLexicalJudge(context.options));
  },
});
