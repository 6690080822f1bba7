import type { Db } from "../db/database.ts";
import type { PromptConversation } from "../prompts/index.ts";
import { loadConversationPages } from "./conversation-loader.ts";
import type { StoredConversation } from "./llm-label.writer.ts";

/**
 * Reads every conversation of a dataset in id order, as prompts read them (`id` is the
 * conversation's row id as text), with the message ids their labels are stored under.
 * NOTE: the whole dataset is held in memory, about its text size, because the pipeline ranks
 * reviews by every conversation's group. A first pass that only classifies, then reviews read
 * page by page, would bound the memory once datasets outgrow it.
 */
export async function loadPromptConversations(
  db: Db,
  datasetId: string,
): Promise<{ conversations: PromptConversation[]; stored: Map<string, StoredConversation> }> {
  const conversations: PromptConversation[] = [];
  const stored = new Map<string, StoredConversation>();
  for await (const page of loadConversationPages(db, datasetId, 500)) {
    for (const conversation of page) {
      const id = String(conversation.id);
      conversations.push({
        id,
        messages: conversation.plugin.messages.map(({ role, content }) => ({ role, content })),
      });
      stored.set(id, { id: conversation.id, messageIds: conversation.messageIds });
    }
  }
  return { conversations, stored };
}
