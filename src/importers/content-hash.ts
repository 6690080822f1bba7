import { createHash } from "node:crypto";
import type { ImportedConversation } from "./types.ts";

/**
 * Computes the key that makes re-imports idempotent (unique per dataset). It covers the
 * source's id and each message's role and text, in order:
 * - Roles and texts: the same conversation read from another container (the parquet file and
 *   the JSONL export of a row) or re-read after a crash hashes the same.
 * - The source id: two users who sent the same short exchange ("hi" / "Hello! How can I
 *   help?") are two conversations. Records without an id collapse only when every message
 *   matches.
 * - Not metadata, feedback or the container: a re-export of the same records with updated
 *   votes or metadata is still a duplicate.
 */
export function contentHash(conversation: ImportedConversation): string {
  const hash = createHash("sha256");
  // Each text is preceded by its length, so no two different conversations feed the hash the
  // same bytes, whatever their texts contain.
  hash.update(JSON.stringify(conversation.externalId));
  for (const message of conversation.messages) {
    hash.update(`\n${message.role} ${message.content.length}\n`);
    hash.update(message.content);
  }
  return hash.digest("hex");
}
