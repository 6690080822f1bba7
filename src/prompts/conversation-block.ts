/** A conversation as prompts read it: the messages in order, indexed from 0. */
export interface PromptConversation {
  id: string;
  messages: readonly { role: "system" | "user" | "assistant"; content: string }[];
}

/** How much of each message goes into a prompt. */
export interface ClipOptions {
  /** Maximum length kept of a user or system message, in characters. @default 3000 */
  userChars?: number;
  /** Maximum length kept of an assistant message, in characters. @default 2000 */
  assistantChars?: number;
}

/**
 * Wraps untrusted data in `<tag>` … `</tag>` as JSON. JSON escapes quotes, backslashes and
 * newlines. This also escapes `<` and `>` (as `\u003c` and `\u003e`, still valid JSON), so no
 * text inside can close the block or open a new one, whatever it contains.
 */
export function dataBlock(tag: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<${tag}>\n${json}\n</${tag}>`;
}

/** Shortens `text` to `limit` characters, saying how much was cut. */
export function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)} …[${text.length - limit} more characters cut]`;
}

/** Returns the messages `from`…`to` (inclusive) as indexed, clipped records for a data block. */
export function messageRecords(
  conversation: PromptConversation,
  options: ClipOptions = {},
  from = 0,
  to = conversation.messages.length - 1,
): { index: number; role: string; content: string }[] {
  const userChars = options.userChars ?? 3000;
  const assistantChars = options.assistantChars ?? 2000;
  const records: { index: number; role: string; content: string }[] = [];
  for (
    let index = Math.max(0, from);
    index <= Math.min(to, conversation.messages.length - 1);
    index += 1
  ) {
    const message = conversation.messages[index]!;
    const limit = message.role === "assistant" ? assistantChars : userChars;
    records.push({ index, role: message.role, content: clip(message.content, limit) });
  }
  return records;
}

/**
 * Indexes of the assistant messages that a user message follows: the turns that can be judged
 * from the user's reaction. A last reply with no follow-up is left out (its judgment is NA).
 */
export function ratableTurns(conversation: PromptConversation): number[] {
  const turns: number[] = [];
  conversation.messages.forEach((message, index) => {
    if (message.role !== "assistant") return;
    const next = conversation.messages.slice(index + 1).find((later) => later.role !== "system");
    if (next?.role === "user") turns.push(index);
  });
  return turns;
}

/** Index of the first user message after `assistantIndex`, or undefined. */
export function followUpIndex(
  conversation: PromptConversation,
  assistantIndex: number,
): number | undefined {
  for (let index = assistantIndex + 1; index < conversation.messages.length; index += 1) {
    const role = conversation.messages[index]!.role;
    if (role === "user") return index;
    if (role === "assistant") return undefined;
  }
  return undefined;
}
