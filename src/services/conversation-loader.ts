import type { Db } from "../db/database.ts";
import type { MessageRow } from "../db/tables.ts";
import type { PluginConversation } from "../plugin-api/index.ts";

export interface LoadedConversation {
  id: number;
  /** Message ids in the same order as `plugin.messages`. */
  messageIds: number[];
  plugin: PluginConversation;
}

/**
 * Reads a dataset's conversations with their messages, a page at a time in id order, so
 * memory stays bounded whatever the dataset's size.
 */
export async function* loadConversationPages(
  db: Db,
  datasetId: string,
  pageSize = 200,
): AsyncGenerator<LoadedConversation[]> {
  let afterId = 0;
  for (;;) {
    const conversations = await db
      .selectFrom("conversations")
      .select(["id", "metadata"])
      .where("dataset_id", "=", datasetId)
      .where("id", ">", afterId)
      .orderBy("id")
      .limit(pageSize)
      .execute();
    if (conversations.length === 0) return;
    afterId = conversations.at(-1)!.id;

    const messages = await db
      .selectFrom("messages")
      .selectAll()
      .where(
        "conversation_id",
        "in",
        conversations.map((conversation) => conversation.id),
      )
      .orderBy("conversation_id")
      .orderBy("position")
      .execute();
    const byConversation = new Map<number, MessageRow[]>();
    for (const message of messages) {
      const list = byConversation.get(message.conversation_id) ?? [];
      list.push(message);
      byConversation.set(message.conversation_id, list);
    }
    yield conversations.map((conversation) => {
      const own = byConversation.get(conversation.id) ?? [];
      return {
        id: conversation.id,
        messageIds: own.map((message) => message.id),
        plugin: {
          id: String(conversation.id),
          metadata: conversation.metadata,
          messages: own.map((message) => ({
            role: message.role,
            content: message.content,
            feedback: message.feedback,
          })),
        },
      };
    });
  }
}
