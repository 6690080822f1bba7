import type { AspectDetector } from "../../src/plugin-api/index.ts";
import { type AspectRule, detectorFromRules } from "./aspect-rule.ts";

/**
 * An ordered-list item or an explicit step marker at the start of a line: `1.`, `2)`, `(3)`,
 * `4、`, circled digits, `Step 5:`, Chinese `第六步` and `一、`.
 */
const NUMBERED_ITEM =
  /^\s*(?:\d{1,2}[.)、．]|\(\d{1,2}\)|[①②③④⑤⑥⑦⑧⑨⑩]|step\s*\d{1,2}\s*[:.)-]|第[一二三四五六七八九十\d]{1,3}步|[一二三四五六七八九十]{1,3}、)\s*\S/i;

/** A bullet-list item: a dash, asterisk, plus or bullet sign followed by a space. */
const BULLET_ITEM = /^\s*[-*+•●▪◦·]\s+\S/;

/** An ATX heading (`# Title` to `###### Title`), which needs text after the hashes. */
const ATX_HEADING = /^ {0,3}#{1,6}\s+\S/;
/** A line that is bold text only, such as `**Installation**` or `**Step one:**`. */
const BOLD_LINE_HEADING = /^\s*(?:\*\*|__)[^*_\n]{2,80}(?:\*\*|__)\s*[:：]?\s*$/;
/** The underline of a setext heading: a row of `=` under a line of text. */
const SETEXT_UNDERLINE = /^ {0,3}=+\s*$/;

/** A Markdown table's delimiter row, such as `|---|:---:|`, with at least two columns. */
const TABLE_DELIMITER_ROW = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/;

function countLines(lines: readonly string[], pattern: RegExp): number {
  let count = 0;
  for (const line of lines) if (pattern.test(line)) count += 1;
  return count;
}

function hasHeading(lines: readonly string[]): boolean {
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (ATX_HEADING.test(line) || BOLD_LINE_HEADING.test(line)) return true;
    const next = lines[index + 1];
    if (next !== undefined && line.trim() !== "" && SETEXT_UNDERLINE.test(next)) return true;
  }
  return false;
}

function hasTable(lines: readonly string[]): boolean {
  for (let index = 1; index < lines.length; index += 1) {
    if (TABLE_DELIMITER_ROW.test(lines[index]!) && lines[index - 1]!.includes("|")) return true;
  }
  return false;
}

const rules: AspectRule[] = [
  {
    name: "numbered-steps",
    description:
      "The reply has at least two numbered items or step markers at line starts (1. 2. / Step 1 / 第一步 / 一、), outside code.",
    phrase: "used numbered steps",
    test: (reply) => countLines(reply.proseLines, NUMBERED_ITEM) >= 2,
  },
  {
    name: "bullet-points",
    description: "The reply has at least two bulleted lines (-, *, +, •), outside code.",
    phrase: "used bullet points",
    test: (reply) => countLines(reply.proseLines, BULLET_ITEM) >= 2,
  },
  {
    name: "code-block",
    description:
      "The reply contains a fenced code block (``` or ~~~) with at least one non-blank line.",
    phrase: "included a code block",
    test: (reply) => reply.codeBlocks > 0,
  },
  {
    name: "headings",
    description:
      "The reply has a Markdown heading (# Title, a setext heading, or a line of bold text alone), outside code.",
    phrase: "used headings",
    test: (reply) => hasHeading(reply.proseLines),
  },
  {
    name: "table",
    description:
      "The reply contains a Markdown table: a header row with pipes followed by a delimiter row.",
    phrase: "included a table",
    test: (reply) => hasTable(reply.proseLines),
  },
];

/** Layout of the reply: lists, steps, code, headings and tables. */
export const structureDetector: AspectDetector = detectorFromRules("reply-structure", rules);
