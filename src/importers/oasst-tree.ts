import { describeType, isObject, quote, RecordError } from "./conversation-rules.ts";
import type { ExplicitFeedback, Role } from "./types.ts";

/**
 * Maximum length of the conversation one root-to-leaf path gives, in messages. The tree is
 * validated only down to this depth, and a path that continues below it is rejected instead
 * of being cut short.
 */
export const MAX_PATH_MESSAGES = 10_000;

/**
 * Maximum number of messages one tree gives over all its conversations. Each conversation
 * repeats the messages it shares with its siblings, so a long chain that ends in many leaves
 * multiplies into far more messages than the tree contains. A tree's conversations are built
 * in memory at once, so this limit bounds that memory.
 */
export const MAX_TREE_MESSAGES = 1_000_000;

const ROLES: ReadonlyMap<string, Role> = new Map([
  ["prompter", "user"],
  ["assistant", "assistant"],
]);

/** One validated message of a tree; `replies` holds only the usable ones. */
export interface TreeMessage {
  id: string;
  role: Role;
  text: string;
  synthetic: boolean;
  feedback: ExplicitFeedback | null;
  replies: TreeMessage[];
  /**
   * True for a message at depth `MAX_PATH_MESSAGES` that still has usable replies. Its
   * replies are not validated, and the paths through it are too long to import.
   */
  tooDeep: boolean;
}

/**
 * Reads and validates a tree from its root message. Returns undefined when the root is
 * deleted or failed review. Deleted and review-failed messages, and everything below them,
 * are left out. Throws `RecordError` for a malformed message above the depth limit.
 *
 * The walk uses an explicit stack, so the depth of the tree is limited by `MAX_PATH_MESSAGES`
 * and never by the call stack.
 */
export function readTree(prompt: unknown): TreeMessage | undefined {
  const root = readMessage(prompt, "prompt");
  if (!root) return undefined;

  const pending: { message: TreeMessage; replies: unknown[]; depth: number }[] = [
    { ...root, depth: 1 },
  ];
  while (pending.length > 0) {
    const { message, replies, depth } = pending.pop()!;
    if (depth >= MAX_PATH_MESSAGES) {
      message.tooDeep = replies.some((reply) => !isDropped(reply));
      continue;
    }
    for (const [index, reply] of replies.entries()) {
      const child = readMessage(reply, `reply ${index + 1} of message ${message.id}`);
      if (!child) continue;
      message.replies.push(child.message);
      pending.push({ ...child, depth: depth + 1 });
    }
  }
  return root.message;
}

/**
 * Validates one message without its replies, which it returns unread. Returns undefined for
 * a deleted or review-failed message.
 */
function readMessage(
  value: unknown,
  where: string,
): { message: TreeMessage; replies: unknown[] } | undefined {
  if (!isObject(value))
    throw new RecordError(`${where} is ${describeType(value)}, expected a message object`);
  const id = typeof value.message_id === "string" ? value.message_id : undefined;
  const label = id ? `message ${id}` : where;
  if (isDropped(value)) return undefined;

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

  const message: TreeMessage = {
    id,
    role,
    text: value.text,
    synthetic: value.synthetic === true,
    feedback: role === "assistant" ? feedbackOf(value) : null,
    replies: [],
    tooDeep: false,
  };
  return { message, replies };
}

/** Deleted messages and messages that failed review are not turns. */
function isDropped(value: unknown): boolean {
  return isObject(value) && (value.deleted === true || value.review_result === false);
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

/**
 * Yields every root-to-leaf path, depth first in reply order. One path array is extended and
 * shortened in place, and each leaf gets a copy, so the work is the size of the output.
 */
export function* leafPaths(root: TreeMessage): Generator<TreeMessage[]> {
  const path: TreeMessage[] = [root];
  // For each message on the path, the index of its next reply to visit.
  const nextReply: number[] = [0];
  while (path.length > 0) {
    const last = path.at(-1)!;
    if (last.replies.length === 0) {
      yield path.slice();
      path.pop();
      nextReply.pop();
      continue;
    }
    const index = nextReply.at(-1)!;
    if (index < last.replies.length) {
      nextReply[nextReply.length - 1] = index + 1;
      path.push(last.replies[index]!);
      nextReply.push(0);
    } else {
      path.pop();
      nextReply.pop();
    }
  }
}

/**
 * Sums the lengths of all root-to-leaf paths, which is the number of messages the tree's
 * conversations hold together. Stops as soon as the sum passes `limit`.
 */
export function pathMessagesUpTo(root: TreeMessage, limit: number): number {
  let total = 0;
  const pending: [message: TreeMessage, depth: number][] = [[root, 1]];
  while (pending.length > 0 && total <= limit) {
    const [message, depth] = pending.pop()!;
    if (message.replies.length === 0) total += depth;
    for (const reply of message.replies) pending.push([reply, depth + 1]);
  }
  return total;
}
