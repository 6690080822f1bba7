import {
  describeType,
  finishConversation,
  isObject,
  mapSafely,
  quote,
  RecordError,
  requireObject,
  resolveRole,
} from "./conversation-rules.ts";
import type { ImportedMessage, RecordMapper, Role } from "./types.ts";

const ROLES: ReadonlyMap<string, Role> = new Map([
  ["user", "user"],
  ["assistant", "assistant"],
  ["system", "system"],
  // OpenAI's newer name for the system message.
  ["developer", "system"],
]);

/**
 * OpenAI chat format, one conversation per record: `{"messages": [{"role", "content"}],
 * "id"?, "metadata"?}`. Content may be a string or a list of text parts. The `metadata`
 * object becomes the conversation's metadata (WildChat country, state and model in the
 * Convo-topo exports); a top-level `source` string is kept too.
 */
export const messagesMapper: RecordMapper = {
  format: "messages",

  matches(record) {
    return isObject(record) && Array.isArray(record.messages);
  },

  parquetColumns() {
    return ["id", "messages", "metadata", "source"];
  },

  map(record, line, options) {
    return mapSafely(line, () => {
      const row = requireObject(record);
      if (!Array.isArray(row.messages)) {
        throw new RecordError(
          `"messages" is ${describeType(row.messages)}, expected a list of messages`,
        );
      }
      const messages = row.messages.map(toMessage);

      if (row.metadata !== undefined && row.metadata !== null && !isObject(row.metadata)) {
        throw new RecordError(`"metadata" is ${describeType(row.metadata)}, expected an object`);
      }
      const metadata: Record<string, unknown> = { ...(row.metadata ?? {}) };
      if (typeof row.source === "string" && !("source" in metadata)) metadata.source = row.source;

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
  const role = resolveRole(message.role, position, ROLES, "user, assistant or system");
  return { role, content: textContent(message.content, position) };
}

/** Reads string content, or joins the text parts of a content list with newlines. */
function textContent(content: unknown, position: number): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) {
    throw new RecordError(`message ${position} has no text: "content" is ${describeType(content)}`);
  }
  const texts = content.map((part) => {
    if (isObject(part) && part.type === "text" && typeof part.text === "string") return part.text;
    const type = isObject(part) ? part.type : describeType(part);
    throw new RecordError(
      `message ${position} has a content part of type ${quote(type)}; only text parts are supported`,
    );
  });
  return texts.join("\n");
}
