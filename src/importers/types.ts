/** What every importer produces, whatever the input format. */

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

/** One record read from a file: a conversation, or the reason it was rejected. */
export type ImportItem =
  | { kind: "conversation"; line: number; conversation: ImportedConversation }
  | { kind: "rejected"; line: number; reason: string };

export const IMPORT_FORMATS = ["wildchat", "messages", "sharegpt", "oasst", "parquet"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
