import type { AspectDetector } from "../../src/plugin-api/index.ts";
import { type AspectRule, detectorFromRules } from "./aspect-rule.ts";
import type { PreparedReply } from "./reply-text.ts";

/** Sentence ends: splitting after each keeps the terminator with its sentence. */
const SENTENCE_END = /(?<=[.!?。！？])|\n/;
const QUESTION_END = /[?？]\s*$/;
const ADDRESSES_USER_EN = /\b(?:you|your|you're|you’re|you'd|you’d)\b/i;
const ADDRESSES_USER_ZH = /你|您/;
/**
 * Closing offers are questions addressed to the user that ask for nothing needed to answer:
 * "Is there anything else I can help you with?", "Would you like me to explain more?".
 */
const CLOSING_OFFER_EN =
  /\b(?:anything else|any (?:other|further|more) questions|other questions|further questions|would you like (?:me|to know|more)|do you want me to|shall I|should I|(?:does|did) (?:that|this) (?:help|make sense)|hope (?:this|that) helps|how (?:can|may|could) I (?:help|assist|be of)|what can I (?:do|help))\b/i;
const CLOSING_OFFER_ZH =
  /还有(?:什么|其他|别的)|其他问题|需要我(?:再|进一步)?|是否需要我|有帮助吗|明白了吗|有什么(?:可以|能|需要)(?:帮|为)|我能为(?:你|您)做/;
/** Requests for detail that work without a question mark: "Please clarify …", "请提供更多…". */
const CLARIFY_REQUEST_EN =
  /\b(?:please|could you|can you) (?:clarify|specify|provide (?:more|some|additional) (?:details|information|context)|share more)\b/i;
const CLARIFY_REQUEST_ZH =
  /请(?:提供|说明|具体说明|补充|详细说明|告诉我)|您是指|你是指|你的意思是|您的意思是/;

/**
 * Only the first line and the last two lines are read: a question back to the user opens or
 * closes a reply, while questions in the middle are usually content (a quiz, a dialogue,
 * interview questions the user asked for).
 */
function openingAndClosingLines(reply: PreparedReply): string {
  const lines = reply.proseLines.filter((line) => line.trim() !== "");
  if (lines.length <= 3) return lines.join("\n");
  return [lines[0], ...lines.slice(-2)].join("\n");
}

function asksClarifyingQuestion(reply: PreparedReply): boolean {
  const edges = openingAndClosingLines(reply);
  if (CLARIFY_REQUEST_EN.test(edges) || CLARIFY_REQUEST_ZH.test(edges)) return true;
  for (const sentence of edges.split(SENTENCE_END)) {
    if (!QUESTION_END.test(sentence)) continue;
    const addressed = ADDRESSES_USER_EN.test(sentence) || ADDRESSES_USER_ZH.test(sentence);
    const closing = CLOSING_OFFER_EN.test(sentence) || CLOSING_OFFER_ZH.test(sentence);
    if (addressed && !closing) return true;
  }
  return false;
}

/** "Sorry to hear …" is sympathy, not an apology, so it is cut out before the apology test. */
const SYMPATHY_EN =
  /\bsorry (?:to hear|for your loss|you(?:'re|’re| are) (?:going|feeling|dealing))/gi;
const APOLOGY_EN = /\b(?:sorry|apologi[sz]e|apologies|my mistake|my bad)\b/i;
const APOLOGY_ZH = /抱歉|对不起|不好意思|致歉|道歉|是我的(?:错|失误)/;

const REFUSAL_EN =
  /\b(?:I(?:'m|’m| am) (?:not able|unable) to (?:help|assist|provide|do|fulfill|comply|create|write|generate|answer|support|engage|share)|I (?:can't|can’t|cannot|can not|won't|won’t|will not) (?:help|assist|provide|fulfill|comply|create|write|generate|answer|support|engage|share|do that)|I must (?:decline|refuse)|as an AI(?: language model)?,? I (?:cannot|can't|can’t|am not able|am unable))/i;
const REFUSAL_ZH =
  /我(?:无法|不能|没办法|不可以)(?:为你|为您|帮|提供|回答|协助|完成|生成|满足|编写|参与)|无法满足(?:你|您)的(?:要求|请求)|作为(?:一个)?(?:AI|人工智能)(?:语言模型)?[，,]?我(?:无法|不能)/i;

const HEDGE_CUE_EN =
  /\b(?:might|perhaps|possibly|probably|maybe|likely|unlikely|it depends|depending on|not (?:entirely )?(?:sure|certain)|I (?:think|believe|suspect|guess)|it(?:'s|’s| is) possible|may or may not|could be|seems?|appears? to|unclear|arguably)\b/gi;
const HEDGE_CUE_ZH = /可能|也许|或许|大概|不确定|不一定|取决于|似乎|好像|我认为|我觉得|估计/g;
/** Hedging counts when cues reach one per 100 words of prose, so long replies need several. */
const HEDGES_PER_100_WORDS = 1;

function hedges(reply: PreparedReply): boolean {
  const cues =
    (reply.prose.match(HEDGE_CUE_EN)?.length ?? 0) + (reply.prose.match(HEDGE_CUE_ZH)?.length ?? 0);
  if (cues === 0) return false;
  return (cues / Math.max(reply.proseWords, 1)) * 100 >= HEDGES_PER_100_WORDS;
}

const rules: AspectRule[] = [
  {
    name: "clarifying-question",
    description:
      "The reply opens or closes by asking the user for something it needs: a question addressed to the user that is not an offer (anything else? how can I help?), or a request to clarify or give details (请提供, 您是指).",
    phrase: "asked the user a clarifying question",
    test: asksClarifyingQuestion,
  },
  {
    name: "apology",
    description:
      "The reply apologizes (sorry, I apologize, 抱歉, 对不起); sympathy such as sorry to hear does not count.",
    phrase: "apologized",
    test: (reply) =>
      APOLOGY_EN.test(reply.prose.replace(SYMPATHY_EN, " ")) || APOLOGY_ZH.test(reply.prose),
  },
  {
    name: "refusal",
    description:
      "The reply declines the request (I can't help with, I'm unable to provide, as an AI I cannot, 我无法提供, 无法满足您的要求).",
    phrase: "refused the request",
    test: (reply) => REFUSAL_EN.test(reply.prose) || REFUSAL_ZH.test(reply.prose),
  },
  {
    name: "hedging",
    description:
      "The reply hedges: uncertainty cues (might, perhaps, probably, it depends, I think; 可能, 也许, 不确定) at one or more per 100 words.",
    phrase: "hedged",
    test: hedges,
  },
];

/** The reply's stance: asking back, apologizing, declining, hedging. */
export const stanceDetector: AspectDetector = detectorFromRules("reply-stance", rules);
