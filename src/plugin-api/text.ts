import type { PluginConversation } from "./conversation.ts";

/**
 * Text helpers for cue-based plugins. They treat Latin-script cues as whole words and
 * Chinese, Japanese and Korean cues as substrings, because those scripts do not separate
 * words with spaces.
 */

/** The contents of the user's messages, in order. */
export function userMessages(conversation: PluginConversation): string[] {
  return conversation.messages
    .filter((message) => message.role === "user")
    .map((message) => message.content);
}

/**
 * Lower-cases text, folds typographic quotes and full-width punctuation to ASCII, and
 * collapses runs of whitespace, so that "That’s   WRONG！" matches the cue "that's wrong!".
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/\s+/g, " ")
    .trim();
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = "[\\p{L}\\p{N}_]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Builds the pattern of one cue: whole words for Latin script, a substring for CJK. */
function cuePattern(cue: string): string {
  const normalized = normalizeText(cue);
  if (normalized === "") throw new Error("A cue must not be empty.");
  const body = normalized.split(" ").map(escapeRegExp).join("\\s+");
  const first = normalized[0] ?? "";
  const last = normalized[normalized.length - 1] ?? "";
  const before = CJK.test(first) || !/[\p{L}\p{N}_]/u.test(first) ? "" : `(?<!${WORD_CHAR})`;
  const after = CJK.test(last) || !/[\p{L}\p{N}_]/u.test(last) ? "" : `(?!${WORD_CHAR})`;
  return `${before}${body}${after}`;
}

/** A compiled list of cues. */
export interface CueMatcher {
  /** The cues found in the text, in the order they were given. */
  find(text: string): string[];
  /** Whether any cue occurs in the text. */
  test(text: string): boolean;
}

/**
 * Compiles cue phrases into a matcher. Matching is case-insensitive on normalized text (see
 * `normalizeText`); spaces inside a cue match any run of whitespace. Throws on an empty cue.
 */
export function createCueMatcher(cues: readonly string[]): CueMatcher {
  const compiled = cues.map((cue) => ({ cue, pattern: new RegExp(cuePattern(cue), "u") }));
  const any = compiled.length > 0 ? new RegExp(compiled.map((c) => c.pattern.source).join("|"), "u") : null;
  return {
    find(text) {
      const normalized = normalizeText(text);
      return compiled.filter((c) => c.pattern.test(normalized)).map((c) => c.cue);
    },
    test(text) {
      return any !== null && any.test(normalizeText(text));
    },
  };
}
