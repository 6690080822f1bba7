import type { PluginConversation } from "./conversation.ts";

/**
 * Text helpers for cue-based plugins. They treat Latin-script cues as whole words and
 * Chinese, Japanese and Korean cues as substrings, because those scripts do not separate
 * words with spaces.
 */

/** Collects the contents of the user's messages, in order. */
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

/** One cue found in a text. */
export interface CueMatch {
  /** The cue as given (a regular expression is shown by its source). */
  cue: string;
  /** Offset of the match in the normalized text (see `normalizeText`). */
  index: number;
  /** The matched normalized text. */
  text: string;
}

/** A compiled list of cues. */
export interface CueMatcher {
  /** The distinct cues found in the text, in the order they were given. */
  find(text: string): string[];
  /** Every occurrence of every cue, by position in the normalized text. */
  matches(text: string): CueMatch[];
  /** Whether any cue occurs in the text. */
  test(text: string): boolean;
}

/**
 * Compiles cues into a matcher. A string cue is a phrase matched case-insensitively on
 * normalized text (see `normalizeText`), with spaces matching any run of whitespace. A
 * regular expression cue is applied as written to the normalized (lower-case) text, for cases
 * a phrase cannot express, such as "不对" but not inside "对不对". Throws on an empty cue.
 */
export function createCueMatcher(cues: readonly (string | RegExp)[]): CueMatcher {
  const compiled = cues.map((cue) =>
    typeof cue === "string"
      ? { cue, pattern: new RegExp(cuePattern(cue), "gu") }
      : {
          cue: cue.source,
          pattern: new RegExp(cue.source, cue.flags.includes("g") ? cue.flags : `${cue.flags}g`),
        },
  );
  const found = (normalized: string) =>
    compiled.filter((c) => {
      c.pattern.lastIndex = 0;
      return c.pattern.test(normalized);
    });
  return {
    find: (text) => found(normalizeText(text)).map((c) => c.cue),
    test: (text) => found(normalizeText(text)).length > 0,
    matches(text) {
      const normalized = normalizeText(text);
      const result: CueMatch[] = [];
      for (const { cue, pattern } of compiled) {
        for (const match of normalized.matchAll(pattern)) {
          result.push({ cue, index: match.index, text: match[0] });
        }
      }
      return result.sort((a, b) => a.index - b.index);
    },
  };
}
