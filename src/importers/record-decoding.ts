import type { SourceRecord } from "./types.ts";

/**
 * Maximum size of one record (a JSONL line, a JSON array element) read into memory. A record
 * this large would contain hundreds of messages at the default message limit. Anything longer
 * is rejected without being buffered, so hostile files cannot make memory grow.
 */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const BYTE_ORDER_MARK = "\uFEFF";

/**
 * Decodes and parses one record's bytes into a JSON value or a rejection reason. `line` and
 * `record` locate the record as `SourceRecord` describes.
 */
export function decodeRecord(
  bytes: Buffer | null,
  byteLength: number,
  line: number,
  record: number,
  complete: boolean,
): SourceRecord | undefined {
  if (bytes === null) {
    return {
      kind: "rejected",
      line,
      record,
      reason: `record is ${byteLength} bytes, over the limit of ${MAX_RECORD_BYTES} bytes for one record`,
    };
  }

  let text: string;
  try {
    // A fresh fatal decoder per record: one bad byte rejects only its own record.
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return {
      kind: "rejected",
      line,
      record,
      reason:
        "invalid UTF-8: the record contains bytes that are not valid UTF-8; re-encode the file as UTF-8",
    };
  }
  if (line === 1 && text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);
  if (text.trim() === "") return undefined;

  try {
    return { kind: "record", line, record, value: JSON.parse(text) };
  } catch (error) {
    if (!complete) {
      return {
        kind: "rejected",
        line,
        record,
        reason:
          "truncated: the file ends inside this record (no closing newline and not valid JSON)",
      };
    }
    return { kind: "rejected", line, record, reason: `invalid JSON: ${shortMessage(error)}` };
  }
}

/** Returns the parser's message, cut so that V8's echo of a long input stays short. */
function shortMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
