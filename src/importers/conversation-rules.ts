import type {
  ImportedConversation,
  ImportedMessage,
  ImportOptions,
  MappedItem,
  Role,
} from "./types.ts";

/** Keys that carry personal data in WildChat rows and similar logs. */
const PERSONAL_DATA_KEYS = ["hashed_ip", "header", "headers"];

/**
 * Deepest nesting of arrays and objects accepted in one metadata field. JSON.stringify (V8)
 * and Postgres' jsonb parser both recurse on nesting and fail a few thousand levels down,
 * which would fail the whole batch; real metadata nests a handful of levels.
 */
export const MAX_METADATA_DEPTH = 100;

/** Error thrown by mappers on a malformed record. `mapSafely` turns it into a rejection. */
export class RecordError extends Error {
  override name = "RecordError";
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a JSON value's type for error messages ("an array", "null", "a number", "missing"). */
export function describeType(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Quotes a value from the input for an error message, cut to a readable length. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Runs a mapper on one record and turns any `RecordError` into a rejection of that record,
 * so one bad record never stops the file.
 */
export function mapSafely(line: number, map: () => MappedItem[]): MappedItem[] {
  try {
    return map();
  } catch (error) {
    if (error instanceof RecordError) return [{ kind: "rejected", line, reason: error.message }];
    throw error;
  }
}

/** Requires the record to be a JSON object. */
export function requireObject(record: unknown): Record<string, unknown> {
  if (!isObject(record))
    throw new RecordError(`record is ${describeType(record)}, expected a JSON object`);
  return record;
}

/**
 * Resolves a role name through a table of accepted names (compared case-insensitively, with
 * surrounding spaces ignored). `position` is the 1-based message number for the message.
 */
export function resolveRole(
  value: unknown,
  position: number,
  names: ReadonlyMap<string, Role>,
  expected: string,
): Role {
  if (value === undefined || value === null || value === "") {
    throw new RecordError(`missing role in message ${position}; expected ${expected}`);
  }
  const role = typeof value === "string" ? names.get(value.trim().toLowerCase()) : undefined;
  if (!role) {
    throw new RecordError(
      `unknown role ${quote(value)} in message ${position}; expected ${expected}`,
    );
  }
  return role;
}

/**
 * Checks a mapped conversation against the rules every format shares, and cleans its text.
 * Throws `RecordError` with the reason when the conversation cannot be stored.
 * - Empty: no messages, or only empty ones.
 * - Too large: a message over `maxMessageBytes` UTF-8 bytes.
 * - Too deep: a metadata field nested more than `MAX_METADATA_DEPTH` levels.
 * - Text Postgres cannot store (NUL characters, unpaired UTF-16 surrogates) becomes U+FFFD,
 *   because rejecting the conversation would lose the rest of its text for one character.
 * - Personal-data keys leave the metadata unless `keepPersonalData` is set.
 */
export function finishConversation(
  conversation: ImportedConversation,
  options: ImportOptions,
): ImportedConversation {
  const { messages } = conversation;
  if (messages.length === 0)
    throw new RecordError("empty conversation: the record has no messages");
  if (messages.every((message) => message.content.trim() === "")) {
    throw new RecordError(`empty conversation: all ${messages.length} messages are empty`);
  }
  messages.forEach((message, index) => {
    checkSize(message, index + 1, options.maxMessageBytes);
    message.content = storableText(message.content);
  });
  if (!options.keepPersonalData) {
    for (const key of PERSONAL_DATA_KEYS) delete conversation.metadata[key];
  }
  checkMetadataDepth(conversation.metadata);
  return conversation;
}

function checkSize(message: ImportedMessage, position: number, maxBytes: number): void {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so most messages skip the byte count.
  if (message.content.length * 3 <= maxBytes) return;
  const bytes = Buffer.byteLength(message.content, "utf8");
  if (bytes > maxBytes) {
    throw new RecordError(
      `message ${position} is ${bytes} bytes, over the limit of ${maxBytes} bytes; to accept it, ` +
        "raise the limit with --max-message-bytes (CLI), maxMessageBytes (API) or the " +
        "TAILOR_MAX_MESSAGE_BYTES variable (server default)",
    );
  }
}

/** Rejects a metadata field nested deeper than `MAX_METADATA_DEPTH`, walking with a stack. */
function checkMetadataDepth(metadata: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(metadata)) {
    const stack: [value: unknown, depth: number][] = [[value, 1]];
    while (stack.length > 0) {
      const [current, depth] = stack.pop()!;
      if (typeof current !== "object" || current === null) continue;
      if (depth > MAX_METADATA_DEPTH) {
        throw new RecordError(
          `metadata field ${quote(key)} is nested more than ${MAX_METADATA_DEPTH} levels deep, ` +
            "the maximum; flatten the field or leave it out of the file",
        );
      }
      for (const child of Object.values(current)) stack.push([child, depth + 1]);
    }
  }
}

const UNPAIRED_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces NUL characters and unpaired surrogates, which Postgres text and jsonb reject. */
export function storableText(text: string): string {
  let result = text;
  if (result.includes("\0")) result = result.replaceAll("\0", "\uFFFD");
  if (!isWellFormed(result)) result = result.replace(UNPAIRED_SURROGATE, "\uFFFD");
  return result;
}

/** `String.prototype.isWellFormed` (Node 20), missing from the ES2023 type library. */
function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}
