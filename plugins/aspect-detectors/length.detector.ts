import type { AspectDetector } from "../../src/plugin-api/index.ts";
import { detectorFromRules } from "./aspect-rule.ts";

/** Word limits of the two length buckets; replies in between are neither short nor long. */
export interface LengthThresholds {
  /** A reply with fewer words than this is short. */
  shortBelowWords: number;
  /** A reply with at least this many words is long. */
  longFromWords: number;
}

/**
 * Defaults: on the assistant replies of the WildChat, Chatbot Arena and OpenAssistant samples
 * (5,567 replies), 50 words is about the 35th percentile and 200 words about the 75th, so
 * each bucket contains a large enough share of turns to be tested.
 */
export const DEFAULT_LENGTH_THRESHOLDS: LengthThresholds = {
  shortBelowWords: 50,
  longFromWords: 200,
};

/**
 * Builds the reply-length detector. Length counts every word of the reply, code included,
 * after redaction placeholders are removed. Chinese and Japanese characters count as 1/1.5
 * word each.
 */
export function createLengthDetector(
  thresholds: LengthThresholds = DEFAULT_LENGTH_THRESHOLDS,
): AspectDetector {
  const { shortBelowWords, longFromWords } = thresholds;
  if (!(shortBelowWords > 0 && longFromWords > shortBelowWords)) {
    throw new Error(
      `Invalid length thresholds: shortBelowWords=${shortBelowWords}, longFromWords=${longFromWords}. ` +
        "Both must be positive and longFromWords must exceed shortBelowWords.",
    );
  }
  return detectorFromRules("reply-length", [
    {
      name: "short-reply",
      description: `The reply has fewer than ${shortBelowWords} words (150 Chinese characters count as 100 words).`,
      phrase: `were short (under ${shortBelowWords} words)`,
      test: (reply) => reply.words < shortBelowWords,
    },
    {
      name: "long-reply",
      description: `The reply has ${longFromWords} words or more (150 Chinese characters count as 100 words).`,
      phrase: `were long (${longFromWords} words or more)`,
      test: (reply) => reply.words >= longFromWords,
    },
  ]);
}
