import { jsonrepair } from "jsonrepair";

/** A JSON object read from a model reply, or why none could be read. */
export type ExtractedJson =
  | {
      ok: true;
      value: Record<string, unknown>;
      /** `direct`: the reply was the JSON; `extracted`: cut from a fence or prose; `repaired`: fixed by jsonrepair. */
      how: "direct" | "extracted" | "repaired";
    }
  | { ok: false; reason: string };

const FENCE = /```[a-zA-Z]*[ \t]*\r?\n?([\s\S]*?)```/g;

/**
 * Reads the JSON object out of a model reply as models actually send it: bare, inside a code
 * fence, wrapped in prose ("Here is the result: {...} Hope this helps"), or nearly valid
 * (trailing commas, single quotes, unquoted keys, comments), which jsonrepair fixes.
 * Never call it on a reply cut off by the token limit: repair would complete the missing part.
 */
export function extractJsonObject(reply: string): ExtractedJson {
  const text = reply.replace(/^\uFEFF/, "").trim();
  const candidates: { text: string; how: "direct" | "extracted" }[] = [{ text, how: "direct" }];
  for (const match of text.matchAll(FENCE))
    candidates.push({ text: (match[1] ?? "").trim(), how: "extracted" });
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start >= 0 && end > start)
    candidates.push({ text: text.slice(start, end + 1), how: "extracted" });

  for (const candidate of candidates) {
    const parsed = tryParse(candidate.text);
    if (parsed !== undefined && isObject(parsed))
      return { ok: true, value: parsed, how: candidate.how };
  }
  if (start < 0) return { ok: false, reason: "the reply contains no JSON object" };

  // Repair only the part that starts at the first brace: repairing the whole reply would turn
  // leading prose into a JSON string instead of finding the object.
  const fenced = candidates.find(
    (candidate) => candidate.how === "extracted" && candidate.text.startsWith("{"),
  );
  const target = fenced?.text ?? text.slice(start);
  try {
    const repaired = JSON.parse(jsonrepair(target)) as unknown;
    if (isObject(repaired)) return { ok: true, value: repaired, how: "repaired" };
    return { ok: false, reason: "the repaired reply is JSON but not an object" };
  } catch (error) {
    return {
      ok: false,
      reason: `the reply is not valid JSON and could not be repaired (${(error as Error).message})`,
    };
  }
}

/** Opening phrases of refusals, checked only on replies that hold no JSON object. */
const REFUSAL_OPENINGS =
  /^(?:I['’]m sorry|I am sorry|Sorry\b|I apologi[sz]e|I can(?:['’]t|not)\b|I won['’]t\b|I['’]m (?:not able|unable)|I am (?:not able|unable)|As an AI\b)/i;

/** Tells whether a reply without JSON reads as a refusal to do the task. */
export function looksLikeRefusal(reply: string): boolean {
  const text = reply.trim();
  return (
    REFUSAL_OPENINGS.test(text) ||
    /\b(?:can['’]t|cannot|unable to) (?:help|assist|comply)\b/i.test(text.slice(0, 300))
  );
}

function tryParse(text: string): unknown {
  if (!text.startsWith("{") && !text.startsWith("[")) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
