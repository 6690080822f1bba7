import { type CueMatch, type Judgment, normalizeText } from "../../src/plugin-api/index.ts";
import {
  CONTINUATION,
  DSAT_CUES,
  ERROR_OPENING,
  NEGATION_BEFORE,
  NEW_REQUEST_OPENING,
  OPENING_COMPLAINT,
  OPENING_NO,
  OPENING_PRAISE,
  SAT_CUES,
  WEAK_DSAT_CUES,
} from "./follow-up-cues.ts";

/** Verdict of the user's next message on the reply before it. */
export interface FollowUpReading {
  judgment: Judgment;
  confidence: number;
  rationale: string;
}

/** The turn being judged: the request it replied to and the reply itself. */
export interface JudgedTurn {
  request: string | null;
  reply: string;
}

/**
 * Characters of the follow-up that are read for cues. Verdicts open a message ("Thanks! Now…",
 * "Still the same error: …"). Past this point the text is usually pasted code, logs or a new
 * request, whose words are not about the reply.
 */
const HEAD_CHARS = 200;

/** Characters of the opening clause, where praise and bare complaints count. */
const OPENING_CHARS = 60;

/**
 * Cuts the head of a normalized follow-up and removes quoted passages, so that a pasted
 * email's "Thank you for your support" is not read as the user's thanks.
 */
function headOf(normalized: string): string {
  return normalized
    .replace(/```[\s\S]*?(?:```|$)/g, " ")
    .replace(/"[^"]*(?:"|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, HEAD_CHARS);
}

function notNegated(head: string) {
  return (match: CueMatch) => !NEGATION_BEFORE.test(head.slice(0, match.index));
}

/** Word and CJK-character tokens, for comparing a follow-up with the request it may repeat. */
function tokens(text: string): Set<string> {
  return new Set(normalizeText(text).match(/[\p{Script=Han}]|[\p{L}\p{N}]+/gu) ?? []);
}

/** Whether the follow-up repeats the request: nearly the same words in any order. */
export function repeatsRequest(followUp: string, request: string | null): boolean {
  if (request === null) return false;
  const a = tokens(followUp);
  const b = tokens(request);
  if (a.size < 3 || b.size < 3) return false;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared += 1;
  return shared / (a.size + b.size - shared) >= 0.85;
}

const CODE_IN_REPLY =
  /```|^\s*(?:def|class|import|function|const|let|var|#include|public|SELECT)\b/m;

/**
 * Reads the user's follow-up to one assistant turn. Dissatisfaction wins over satisfaction, so
 * "thanks but it still fails" is DSAT, and so is "great, another error". Without any cue the
 * turn is NA, which covers continuations ("continue") and new, unrelated requests.
 */
export function readFollowUp(followUp: string, turn: JudgedTurn): FollowUpReading {
  const normalized = normalizeText(followUp);
  if (normalized === "") return { judgment: "NA", confidence: 0.5, rationale: "empty follow-up" };
  const repeated = repeatsRequest(followUp, turn.request);
  if (NEW_REQUEST_OPENING.test(normalized)) {
    return repeated
      ? { judgment: "DSAT", confidence: 0.7, rationale: "repeats the request" }
      : { judgment: "NA", confidence: 0.5, rationale: "a new request without a verdict" };
  }
  const head = headOf(normalized);
  const opening = head.slice(0, OPENING_CHARS);
  const keep = notNegated(head);

  const dissatisfied: string[] = [
    ...DSAT_CUES.matches(head)
      .filter(keep)
      .map((match) => match.text),
  ];
  if (OPENING_NO.test(head)) dissatisfied.push(`opens with "${head.split(/[\s,.!]/)[0]}"`);
  if (OPENING_COMPLAINT.test(opening)) dissatisfied.push("opens with a complaint");
  if (ERROR_OPENING.test(head) && CODE_IN_REPLY.test(turn.reply)) {
    dissatisfied.push("pastes an error after code");
  }
  const weak = WEAK_DSAT_CUES.matches(head)
    .filter(keep)
    .map((match) => match.text);

  const satisfied = SAT_CUES.matches(head)
    .filter(keep)
    .map((match) => match.text);
  const praise = OPENING_PRAISE.exec(opening);
  if (praise) satisfied.unshift(praise[0]);
  const alsoPleased = satisfied.length > 0 ? ` (despite "${satisfied[0]}")` : "";

  if (dissatisfied.length > 0) {
    return {
      judgment: "DSAT",
      confidence: 0.8,
      rationale: `dissatisfied: ${quoteAll(dissatisfied)}${alsoPleased}`,
    };
  }
  if (weak.length > 0) {
    return {
      judgment: "DSAT",
      confidence: 0.6,
      rationale: `doubt or complaint: ${quoteAll(weak)}${alsoPleased}`,
    };
  }
  if (satisfied.length > 0) {
    return { judgment: "SAT", confidence: 0.8, rationale: `satisfied: ${quoteAll(satisfied)}` };
  }
  if (repeated) return { judgment: "DSAT", confidence: 0.7, rationale: "repeats the request" };
  if (CONTINUATION.test(head)) {
    return { judgment: "NA", confidence: 0.7, rationale: "asks to continue" };
  }
  return { judgment: "NA", confidence: 0.5, rationale: "no satisfaction cue in the follow-up" };
}

function quoteAll(cues: readonly string[]): string {
  return [...new Set(cues.map((cue) => cue.replace(/^[\s.,!?;:]+/, "")))]
    .slice(0, 4)
    .map((cue) => (cue.startsWith("opens") || cue.startsWith("pastes") ? cue : `"${cue}"`))
    .join(", ");
}
