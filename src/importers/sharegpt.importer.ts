import {
  describeType,
  finishConversation,
  isObject,
  mapSafely,
  RecordError,
  requireObject,
  resolveRole,
} from "./conversation-rules.ts";
import type { ImportedMessage, RecordMapper, Role } from "./types.ts";

/**
 * Speaker names seen in ShareGPT dumps. Misspelled names are not guessed: a record with one
 * is rejected with the name, so the user can fix or map it.
 */
const SPEAKERS: ReadonlyMap<string, Role> = new Map([
  ["human", "user"],
  ["user", "user"],
  ["gpt", "assistant"],
  ["chatgpt", "assistant"],
  ["bing", "assistant"],
  ["assistant", "assistant"],
  ["system", "system"],
]);
const EXPECTED = [...SPEAKERS.keys()].join(", ");

/** Record keys that are not copied into metadata. */
const STRUCTURE_KEYS = new Set(["conversations", "id", "system"]);

/**
 * ShareGPT records: `{"id"?, "conversations": [{"from", "value"}], "system"?}`. The family
 * varies, so the mapper accepts what it can without guessing:
 * - A conversation may open with the model's greeting or hold two user turns in a row; both
 *   are kept as they are.
 * - An empty or null `value` is an empty message; a conversation with only empty messages
 *   is rejected.
 * - A `system` message, or a top-level `system` string, becomes the system message.
 * - Other top-level fields become metadata.
 */
export const sharegptMapper: RecordMapper = {
  format: "sharegpt",

  matches(record) {
    return isObject(record) && Array.isArray(record.conversations);
  },

  map(record, line, options) {
    return mapSafely(line, () => {
      const row = requireObject(record);
      if (!Array.isArray(row.conversations)) {
        throw new RecordError(
          `"conversations" is ${describeType(row.conversations)}, expected a list of messages`,
        );
      }
      const messages = row.conversations.map(toMessage);
      if (typeof row.system === "string" && row.system.trim() !== "") {
        messages.unshift({ role: "system", content: row.system });
      }

      const metadata: Record<string, unknown> = { source: "sharegpt" };
      for (const [key, value] of Object.entries(row)) {
        if (!STRUCTURE_KEYS.has(key)) metadata[key] = value;
      }

      const externalId =
        typeof row.id === "string" || typeof row.id === "number" ? String(row.id) : null;
      const conversation = finishConversation({ externalId, messages, metadata }, options);
      return [{ kind: "conversation", line, conversation }];
    });
  },
};

function toMessage(message: unknown, index: number): ImportedMessage {
  const position = index + 1;
  if (!isObject(message)) {
    throw new RecordError(`message ${position} is ${describeType(message)}, expected an object`);
  }
  const role = resolveRole(message.from, position, SPEAKERS, `one of ${EXPECTED}`);
  const value = message.value ?? "";
  if (typeof value !== "string") {
    throw new RecordError(`message ${position} has no text: "value" is ${describeType(value)}`);
  }
  return { role, content: value };
}
