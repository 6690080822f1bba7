import type { AspectDetector } from "../../src/plugin-api/index.ts";
import { type AspectRule, detectorFromRules } from "./aspect-rule.ts";
import type { PreparedReply } from "./reply-text.ts";

const SECOND_PERSON_EN =
  /\b(?:you|your|yours|yourself|yourselves|you're|you’re|you'll|you’ll|you've|you’ve|you'd|you’d)\b/gi;
const SECOND_PERSON_ZH = /你|您/g;
/**
 * Nearly every reply contains "you" once, so direct address needs at least two pronouns and at
 * least one per 50 words of prose.
 */
const MIN_SECOND_PERSON = 2;
const SECOND_PERSON_PER_50_WORDS = 1;

function addressesUserDirectly(reply: PreparedReply): boolean {
  const pronouns =
    (reply.prose.match(SECOND_PERSON_EN)?.length ?? 0) +
    (reply.prose.match(SECOND_PERSON_ZH)?.length ?? 0);
  if (pronouns < MIN_SECOND_PERSON) return false;
  return (pronouns / Math.max(reply.proseWords, 1)) * 50 >= SECOND_PERSON_PER_50_WORDS;
}

/**
 * Characters shown as emoji: those with default emoji presentation (😀, ✅, flags) and
 * pictographs followed by the emoji variation selector (❤️). Plain symbols such as © or ™
 * and digits do not count.
 */
const EMOJI = /\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/u;

const rules: AspectRule[] = [
  {
    name: "second-person",
    description:
      "The reply addresses the user directly: at least two second-person pronouns (you, your; 你, 您) and one or more per 50 words.",
    phrase: "addressed the user directly as you",
    test: addressesUserDirectly,
  },
  {
    name: "emoji",
    description:
      "The reply contains an emoji (a character shown as emoji, such as 😀 or ✅; not © or ™).",
    phrase: "used emoji",
    test: (reply) => EMOJI.test(reply.text),
  },
];

/** The reply's voice toward the user: direct address and emoji. */
export const voiceDetector: AspectDetector = detectorFromRules("reply-voice", rules);
