/**
 * Shared text preparation for the built-in aspect detectors: redaction placeholders removed,
 * fenced code separated from prose, and a length in words that treats Chinese and Japanese
 * text sensibly.
 */

/**
 * Redaction placeholders that de-identified logs carry in place of personal data: WildChat's
 * Presidio tags such as `<PRESIDIO_ANONYMIZED_EMAIL_ADDRESS>` and bare upper-case tags such as
 * `<NAME>` or `<PHONE>`. They stand for a word or two of the original text, so they are
 * removed before any detector looks at markup, code or length.
 */
const REDACTION_PLACEHOLDER =
  /<PRESIDIO_ANONYMIZED_[A-Z_]*>|<(?:NAME|EMAIL|PHONE|KEY|ID|IP|ADDRESS|URL|USERNAME|PERSON|LOCATION|DATE|HASHED_IP|ACCEPT_LANGUAGE|USER_AGENT)>/g;

/** A fence opens or closes a Markdown code block: three or more backticks or tildes. */
const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/;
const INLINE_CODE = /`[^`\n]+`/g;

/** Han ideographs, Hiragana and Katakana: scripts written without spaces between words. */
const UNSPACED_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
/** A run of letters or digits in a spaced script, with inner apostrophes or hyphens. */
const SPACED_WORD =
  /(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}])+(?:['’-](?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}])+)*/gu;

/**
 * Characters per word for unspaced scripts. Segmented Mandarin text averages about 1.5
 * characters per word, so 150 Chinese characters count as 100 words. This is an estimate;
 * it keeps the length buckets comparable between English and Chinese replies.
 */
export const CHARACTERS_PER_WORD_UNSPACED = 1.5;

export interface PreparedReply {
  /** The reply without redaction placeholders. */
  text: string;
  /** Lines outside fenced code blocks, with inline code removed. */
  proseLines: readonly string[];
  /** The prose lines joined by newlines. */
  prose: string;
  /** Fenced code blocks that contain at least one non-blank line. */
  codeBlocks: number;
  /** Length in words; unspaced characters count as 1/1.5 word each (code included). */
  words: number;
  /** Words of the prose alone, for rates such as cues per 100 words. */
  proseWords: number;
}

/** Removes redaction placeholders, leaving the surrounding text as it was. */
export function stripRedactionPlaceholders(text: string): string {
  return text.replace(REDACTION_PLACEHOLDER, "");
}

/** Counts words: spaced-script words plus unspaced characters divided by 1.5. */
export function countWords(text: string): number {
  const spaced = text.match(SPACED_WORD)?.length ?? 0;
  const unspaced = text.match(UNSPACED_CHARACTER)?.length ?? 0;
  return spaced + unspaced / CHARACTERS_PER_WORD_UNSPACED;
}

let cachedContent: string | undefined;
let cachedReply: PreparedReply | undefined;

/**
 * Prepares a reply for the detectors. The host runs every detector on the same reply in a
 * row, so the last result is cached and the work is done once per reply.
 */
export function prepareReply(content: string): PreparedReply {
  if (content === cachedContent && cachedReply) return cachedReply;

  const text = stripRedactionPlaceholders(content);
  const proseLines: string[] = [];
  let codeBlocks = 0;
  let openFence: string | null = null;
  let blockHasContent = false;

  for (const line of text.split(/\r?\n/)) {
    const fence = CODE_FENCE.exec(line)?.[1];
    if (openFence === null) {
      if (fence) {
        openFence = fence;
        blockHasContent = false;
      } else {
        proseLines.push(line.replace(INLINE_CODE, " "));
      }
      continue;
    }
    // A closing fence uses the same character and is at least as long as the opening one.
    if (fence && fence[0] === openFence[0] && fence.length >= openFence.length) {
      if (blockHasContent) codeBlocks += 1;
      openFence = null;
    } else if (line.trim() !== "") {
      blockHasContent = true;
    }
  }
  // A reply cut off inside a code block still showed code.
  if (openFence !== null && blockHasContent) codeBlocks += 1;

  const prose = proseLines.join("\n");
  const reply: PreparedReply = {
    text,
    proseLines,
    prose,
    codeBlocks,
    words: countWords(text),
    proseWords: countWords(prose),
  };
  cachedContent = content;
  cachedReply = reply;
  return reply;
}
