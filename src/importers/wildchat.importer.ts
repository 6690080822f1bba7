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

const ROLES: ReadonlyMap<string, Role> = new Map([
  ["user", "user"],
  ["assistant", "assistant"],
  ["system", "system"],
]);

/**
 * Row fields copied into conversation metadata, under the names the Convo-topo export of
 * the same conversations uses, so that a grouping by `country` reads both sources alike.
 */
const METADATA_FIELDS: [source: string, target: string][] = [
  ["model", "model"],
  ["timestamp", "timestamp"],
  ["turn", "turn_count"],
  ["language", "language"],
  ["country", "country"],
  ["state", "state"],
  ["toxic", "toxic"],
  ["redacted", "redacted"],
];

/**
 * WildChat rows as published (allenai/WildChat-1M): `conversation_hash`, `conversation`
 * (turns with `role` and `content` plus per-turn details), and conversation-level `model`,
 * `timestamp`, `country`, `state`, `language`, `toxic`, `redacted`, `turn`, `hashed_ip` and
 * `header`. The same mapper reads JSONL rows and decoded parquet rows.
 *
 * Per-turn details (language, toxicity, turn identifiers) and the moderation results are
 * not stored. A field present as null stays null in the metadata; an absent field is omitted.
 */
export const wildchatMapper: RecordMapper = {
  format: "wildchat",

  matches(record) {
    return (
      isObject(record) &&
      Array.isArray(record.conversation) &&
      ("conversation_hash" in record || "turn" in record || "model" in record)
    );
  },

  parquetColumns(options) {
    const columns = [
      "conversation_hash",
      "conversation",
      ...METADATA_FIELDS.map(([source]) => source),
    ];
    return options.keepPersonalData ? [...columns, "hashed_ip", "header"] : columns;
  },

  map(record, line, options) {
    return mapSafely(line, () => {
      const row = requireObject(record);
      if (!Array.isArray(row.conversation)) {
        throw new RecordError(
          `"conversation" is ${describeType(row.conversation)}, expected a list of turns`,
        );
      }
      const messages = row.conversation.map(toMessage);

      const metadata: Record<string, unknown> = { source: "wildchat" };
      for (const [source, target] of METADATA_FIELDS) {
        if (source in row) metadata[target] = row[source] ?? null;
      }
      if ("timestamp" in metadata) metadata.timestamp = isoTimestamp(metadata.timestamp);
      if (options.keepPersonalData) {
        if ("hashed_ip" in row) metadata.hashed_ip = row.hashed_ip ?? null;
        if ("header" in row) metadata.header = row.header ?? null;
      }

      const externalId = typeof row.conversation_hash === "string" ? row.conversation_hash : null;
      const conversation = finishConversation({ externalId, messages, metadata }, options);
      return [{ kind: "conversation", line, conversation }];
    });
  },
};

function toMessage(turn: unknown, index: number): ImportedMessage {
  const position = index + 1;
  if (!isObject(turn))
    throw new RecordError(`message ${position} is ${describeType(turn)}, expected an object`);
  const role = resolveRole(turn.role, position, ROLES, "user, assistant or system");
  if (typeof turn.content !== "string") {
    throw new RecordError(
      `message ${position} has no text: "content" is ${describeType(turn.content)}`,
    );
  }
  return { role, content: turn.content };
}

/**
 * Writes timestamps as ISO 8601 in UTC, so that the parquet files (timestamp columns, read
 * as Date) and the JSONL export (strings such as "2023-11-22T05:52:55+00:00") give the same
 * metadata. A string that does not parse as a date is kept as it is.
 */
function isoTimestamp(value: unknown): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === "string") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}
