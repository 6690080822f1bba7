/** Conversations and rejections, the output of every importer whatever the input format. */

export type Role = "system" | "user" | "assistant";

/** Explicit feedback on an assistant turn, as the source recorded it. */
export interface ExplicitFeedback {
  /** +1 thumbs-up votes, -1 thumbs-down votes (OpenAssistant emoji counts, or a thumbs field). */
  upvotes?: number;
  downvotes?: number;
  /** Sibling preference rank, 0 = best; absent when the reply was not ranked. */
  rank?: number;
  /** Any other per-turn signal the source carried, kept as-is. */
  [key: string]: unknown;
}

export interface ImportedMessage {
  role: Role;
  content: string;
  feedback?: ExplicitFeedback | null;
}

export interface ImportedConversation {
  /** The source's own id, when it has one. */
  externalId: string | null;
  messages: ImportedMessage[];
  metadata: Record<string, unknown>;
}

/**
 * What a mapper makes of one record: a conversation, or the reason the record was rejected.
 * `line` is the 1-based line where the record starts (JSONL, JSON) or its 1-based row number
 * (parquet).
 */
export type MappedItem =
  | { kind: "conversation"; line: number; conversation: ImportedConversation }
  | { kind: "rejected"; line: number; reason: string };

/**
 * One item read from a file. `record` is the 0-based index of the element in a JSON array
 * file, and 0 for JSONL lines and parquet rows. Several elements can start on one line of a
 * JSON array, so only the pair (`line`, `record`) names one record.
 */
export type ImportItem = MappedItem & { record: number };

/**
 * Formats a payload may name. The first four are record layouts; `parquet` is a container
 * whose row layout is detected from its columns.
 */
export const IMPORT_FORMATS = ["wildchat", "messages", "sharegpt", "oasst", "parquet"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Field layout of one record, independent of the file container. */
export type RecordFormat = Exclude<ImportFormat, "parquet">;

/** Storage of records in the file: JSON Lines, one JSON array, or parquet rows. */
export type Container = "jsonl" | "json" | "parquet";

export interface ImportOptions {
  /** Keep `hashed_ip` and request headers (personal data). */
  keepPersonalData: boolean;
  /** Largest message content accepted, in UTF-8 bytes. */
  maxMessageBytes: number;
}

/**
 * One record taken out of its container before mapping: a parsed JSON value (or a decoded
 * parquet row), or the reason the container could not yield it (invalid JSON, invalid UTF-8,
 * truncated file). `line` and `record` are as in `ImportItem`.
 */
export type SourceRecord =
  | { kind: "record"; line: number; record: number; value: unknown }
  | { kind: "rejected"; line: number; record: number; reason: string };

/** Turns records of one layout into conversations. One module per layout implements it. */
export interface RecordMapper {
  format: RecordFormat;
  /** Returns true when a parsed record has this layout's shape. Format detection calls it. */
  matches(record: unknown): boolean;
  /**
   * Maps one record. Returns one conversation for most layouts, one per root-to-leaf path
   * for OpenAssistant trees, and at most one rejection per record. Bad data becomes a
   * rejection, not an exception.
   */
  map(record: unknown, line: number, options: ImportOptions): MappedItem[];
  /** Top-level parquet columns the mapper reads; a parquet source skips the others. All when absent. */
  parquetColumns?(options: ImportOptions): string[];
}
