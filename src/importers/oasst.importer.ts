import {
  finishConversation,
  isObject,
  mapSafely,
  RecordError,
  requireObject,
} from "./conversation-rules.ts";
import {
  leafPaths,
  MAX_PATH_MESSAGES,
  MAX_TREE_MESSAGES,
  pathMessagesUpTo,
  readTree,
  type TreeMessage,
} from "./oasst-tree.ts";
import type { ImportedConversation, MappedItem, RecordMapper } from "./types.ts";

/** Rejected paths named in a tree's rejection reason. */
const LISTED_REASONS = 5;

/**
 * Rejection reason for a record of OpenAssistant's flat export (`*.messages.jsonl`: one
 * message per line, linked by `parent_id`). Rebuilding trees from it stays within bounded
 * memory only if each tree's messages are adjacent in the file, which the importer does not
 * assume, so it reads only the tree export.
 */
export const FLAT_OASST_EXPORT =
  "this is OpenAssistant's flat message export (one message per record with message_id and " +
  "parent_id), which is not supported; import the message-tree export instead (files ending " +
  "in .trees.jsonl: one tree per line, each message with its nested replies)";

/** Returns true for one message of OpenAssistant's flat export. */
export function isFlatOasstMessage(record: unknown): boolean {
  return (
    isObject(record) &&
    !("prompt" in record) &&
    typeof record.message_id === "string" &&
    "parent_id" in record
  );
}

/**
 * OpenAssistant message-tree exports, one tree per line: `{message_tree_id, tree_state,
 * prompt}` where each message has `replies`. Every root-to-leaf path becomes a conversation,
 * so a tree gives as many conversations as it has leaves.
 *
 * - Deleted messages and messages that failed review (`review_result: false`) are not turns,
 *   and neither is anything below them. A message whose replies are all dropped is a leaf.
 * - On assistant messages, `rank` (0 = best sibling) and the `+1` / `-1` emoji counts become
 *   the turn's explicit feedback. An unranked reply gets no rank, never rank 0.
 * - Tree id and message ids go into metadata; the leaf's id is the external id.
 * - A path that breaks a shared rule (a message over the size limit) or is longer than
 *   `MAX_PATH_MESSAGES` is rejected, and the tree's other paths still import. The tree's line
 *   gets one rejection listing the reasons.
 * - A tree whose conversations would hold more than `MAX_TREE_MESSAGES` messages together is
 *   rejected whole.
 * - A record of the flat message export is rejected with a reason that names the tree export.
 */
export const oasstMapper: RecordMapper = {
  format: "oasst",

  matches(record) {
    return (
      isObject(record) &&
      isObject(record.prompt) &&
      ("message_tree_id" in record || "replies" in record.prompt)
    );
  },

  map(record, line, options) {
    return mapSafely(line, () => {
      if (isFlatOasstMessage(record)) throw new RecordError(FLAT_OASST_EXPORT);
      const tree = requireObject(record);
      const root = readTree(tree.prompt);
      if (!root)
        throw new RecordError(
          "tree has no usable prompt: the root message is deleted or failed review",
        );

      const treeId = typeof tree.message_tree_id === "string" ? tree.message_tree_id : root.id;
      if (pathMessagesUpTo(root, MAX_TREE_MESSAGES) > MAX_TREE_MESSAGES) {
        throw new RecordError(
          `tree ${treeId} would give more than ${MAX_TREE_MESSAGES} messages over its ` +
            "conversations (each repeats the messages it shares with its siblings), the maximum " +
            "for one tree",
        );
      }

      const items: MappedItem[] = [];
      const reasons: string[] = [];
      let paths = 0;
      for (const path of leafPaths(root)) {
        paths++;
        const leaf = path.at(-1)!;
        try {
          if (leaf.tooDeep) {
            throw new RecordError(
              `the conversation is longer than ${MAX_PATH_MESSAGES} messages, the maximum; ` +
                "the replies below this message were not read",
            );
          }
          const conversation = finishConversation(toConversation(path, treeId, tree), options);
          items.push({ kind: "conversation", line, conversation });
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          reasons.push(`path to message ${leaf.id}: ${error.message}`);
        }
      }
      if (reasons.length > 0) {
        // Big trees can reject hundreds of paths for one message, so the reason lists a few.
        const listed = reasons.slice(0, LISTED_REASONS).join("; ");
        const more =
          reasons.length > LISTED_REASONS ? `; and ${reasons.length - LISTED_REASONS} more` : "";
        const reason = `${reasons.length} of ${paths} conversations in tree ${treeId} rejected: ${listed}${more}`;
        items.push({ kind: "rejected", line, reason });
      }
      return items;
    });
  },
};

function toConversation(
  path: TreeMessage[],
  treeId: string,
  tree: Record<string, unknown>,
): ImportedConversation {
  const messages = path.map((message) => ({
    role: message.role,
    content: message.text,
    feedback: message.feedback,
  }));
  const metadata: Record<string, unknown> = {
    source: "oasst",
    message_tree_id: treeId,
    message_ids: path.map((message) => message.id),
    synthetic: path.some((message) => message.synthetic),
  };
  if (typeof tree.tree_state === "string") metadata.tree_state = tree.tree_state;
  const language = isObject(tree.prompt) ? tree.prompt.lang : undefined;
  if (typeof language === "string") metadata.language = language;
  return { externalId: path.at(-1)!.id, messages, metadata };
}
