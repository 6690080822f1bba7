import {
  describeType,
  finishConversation,
  isObject,
  mapSafely,
  quote,
  RecordError,
  requireObject,
} from "./conversation-rules.ts";
import type {
  ExplicitFeedback,
  ImportedConversation,
  ImportItem,
  RecordMapper,
  Role,
} from "./types.ts";

const ROLES: ReadonlyMap<string, Role> = new Map([
  ["prompter", "user"],
  ["assistant", "assistant"],
]);

/** Rejected paths named in a tree's rejection reason. */
const LISTED_REASONS = 5;

/** One validated message of a tree; `replies` holds only the usable ones. */
interface TreeMessage {
  id: string;
  role: Role;
  text: string;
  synthetic: boolean;
  feedback: ExplicitFeedback | null;
  replies: TreeMessage[];
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
 * - A path that breaks a shared rule (a message over the size limit) is rejected, and the
 *   tree's other paths still import. The tree's line gets one rejection listing the reasons.
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
      const tree = requireObject(record);
      const root = readMessage(tree.prompt, "prompt");
      if (!root)
        throw new RecordError(
          "tree has no usable prompt: the root message is deleted or failed review",
        );

      const treeId = typeof tree.message_tree_id === "string" ? tree.message_tree_id : root.id;
      const items: ImportItem[] = [];
      const reasons: string[] = [];
      let paths = 0;
      for (const path of leafPaths(root)) {
        paths++;
        try {
          const conversation = finishConversation(toConversation(path, treeId, tree), options);
          items.push({ kind: "conversation", line, conversation });
        } catch (error) {
          if (!(error instanceof RecordError)) throw error;
          reasons.push(`path to message ${path.at(-1)!.id}: ${error.message}`);
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

/** Validates a message and its subtree; returns undefined for a deleted or review-failed one. */
function readMessage(value: unknown, where: string): TreeMessage | undefined {
  if (!isObject(value))
    throw new RecordError(`${where} is ${describeType(value)}, expected a message object`);
  const id = typeof value.message_id === "string" ? value.message_id : undefined;
  const label = id ? `message ${id}` : where;
  if (value.deleted === true || value.review_result === false) return undefined;

  if (!id) throw new RecordError(`${where} has no "message_id"`);
  const role = typeof value.role === "string" ? ROLES.get(value.role) : undefined;
  if (!role)
    throw new RecordError(
      `unknown role ${quote(value.role)} in ${label}; expected prompter or assistant`,
    );
  if (typeof value.text !== "string") {
    throw new RecordError(`${label} has no text: "text" is ${describeType(value.text)}`);
  }
  const replies = value.replies ?? [];
  if (!Array.isArray(replies)) {
    throw new RecordError(`"replies" of ${label} is ${describeType(replies)}, expected a list`);
  }

  return {
    id,
    role,
    text: value.text,
    synthetic: value.synthetic === true,
    feedback: role === "assistant" ? feedbackOf(value) : null,
    replies: replies
      .map((reply, index) => readMessage(reply, `reply ${index + 1} of ${label}`))
      .filter((reply): reply is TreeMessage => reply !== undefined),
  };
}

function feedbackOf(message: Record<string, unknown>): ExplicitFeedback | null {
  const feedback: ExplicitFeedback = {};
  if (typeof message.rank === "number") feedback.rank = message.rank;
  if (isObject(message.emojis)) {
    // The export lists only emojis that someone clicked, so a missing count means zero votes.
    feedback.upvotes = count(message.emojis["+1"]);
    feedback.downvotes = count(message.emojis["-1"]);
    if (message.emojis.red_flag !== undefined) feedback.redFlags = count(message.emojis.red_flag);
  }
  return Object.keys(feedback).length > 0 ? feedback : null;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Yields every root-to-leaf path, depth first, with an explicit stack instead of recursion. */
function* leafPaths(root: TreeMessage): Generator<TreeMessage[]> {
  const stack: TreeMessage[][] = [[root]];
  while (stack.length > 0) {
    const path = stack.pop()!;
    const last = path.at(-1)!;
    if (last.replies.length === 0) {
      yield path;
      continue;
    }
    for (let index = last.replies.length - 1; index >= 0; index--)
      stack.push([...path, last.replies[index]!]);
  }
}

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
