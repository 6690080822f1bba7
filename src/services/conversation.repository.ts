import { randomUUID } from "node:crypto";
import type { Db } from "../db/database.ts";
import { toJson } from "../db/tables.ts";
import { storableText } from "../importers/conversation-rules.ts";
import type { ImportedMessage } from "../importers/types.ts";

/** A conversation ready to store: an importer's output plus its dedup key. */
export interface NewConversation {
  externalId: string | null;
  contentHash: string;
  sourceFormat: string;
  metadata: Record<string, unknown>;
  /** Number of user messages. */
  turnCount: number;
  messages: ImportedMessage[];
}

/** Rows per multi-row insert; 5 parameters a message stays far below Postgres' 65,535. */
const MESSAGE_ROWS_PER_INSERT = 2000;

/** Datasets, conversations, messages and import errors. */
export class ConversationRepository {
  constructor(private readonly db: Db) {}

  /** Returns the dataset's id, creating the dataset when no dataset has this name. */
  async ensureDataset(name: string): Promise<string> {
    await this.db
      .insertInto("datasets")
      .values({ id: randomUUID(), name })
      .onConflict((conflict) => conflict.column("name").doNothing())
      .execute();
    const row = await this.db
      .selectFrom("datasets")
      .select("id")
      .where("name", "=", name)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Inserts the conversations the dataset does not hold yet (by content hash) and their
   * messages; returns how many were new. Pass the transaction handle: on PGlite a query on
   * `db` inside a transaction waits for that transaction and deadlocks.
   */
  async insertConversations(
    trx: Db,
    datasetId: string,
    jobId: string,
    conversations: readonly NewConversation[],
  ): Promise<number> {
    if (conversations.length === 0) return 0;
    const inserted = await trx
      .insertInto("conversations")
      .values(
        conversations.map((conversation) => ({
          dataset_id: datasetId,
          external_id: conversation.externalId,
          content_hash: conversation.contentHash,
          source_format: conversation.sourceFormat,
          metadata: jsonText(conversation.metadata),
          turn_count: conversation.turnCount,
          import_job_id: jobId,
        })),
      )
      .onConflict((conflict) => conflict.columns(["dataset_id", "content_hash"]).doNothing())
      .returning(["id", "content_hash"])
      .execute();
    if (inserted.length === 0) return 0;

    const byHash = new Map(
      conversations.map((conversation) => [conversation.contentHash, conversation]),
    );
    let rows: MessageInsert[] = [];
    for (const { id, content_hash } of inserted) {
      const messages = byHash.get(content_hash)!.messages;
      for (const [position, message] of messages.entries()) {
        rows.push({
          conversation_id: id,
          position,
          role: message.role,
          content: message.content,
          feedback: message.feedback ? jsonText(message.feedback) : null,
        });
      }
      if (rows.length >= MESSAGE_ROWS_PER_INSERT) {
        await trx.insertInto("messages").values(rows).execute();
        rows = [];
      }
    }
    if (rows.length > 0) await trx.insertInto("messages").values(rows).execute();
    return inserted.length;
  }

  /**
   * Records rejected records; a (line, record) pair already recorded for this job (by an
   * earlier attempt) is skipped.
   */
  async insertImportErrors(
    trx: Db,
    jobId: string,
    datasetId: string,
    errors: readonly { line: number; record: number; reason: string }[],
  ): Promise<void> {
    if (errors.length === 0) return;
    await trx
      .insertInto("import_errors")
      .values(
        errors.map(({ line, record, reason }) => ({
          job_id: jobId,
          dataset_id: datasetId,
          line,
          record,
          reason,
        })),
      )
      .onConflict((conflict) => conflict.columns(["job_id", "line", "record"]).doNothing())
      .execute();
  }

  /** Conversations stored by a job, over all its attempts. */
  async countImportedByJob(jobId: string): Promise<number> {
    const row = await this.db
      .selectFrom("conversations")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .where("import_job_id", "=", jobId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

interface MessageInsert {
  conversation_id: number;
  position: number;
  role: ImportedMessage["role"];
  content: string;
  feedback: string | null;
}

/**
 * Encodes a value for a jsonb column. Postgres rejects the escapes JSON.stringify writes for
 * NUL and for unpaired surrogates, so strings containing them are cleaned first. Checking the
 * encoded text keeps the usual case to one stringify.
 */
function jsonText(value: unknown): string {
  const text = toJson(value);
  if (!/\\u0000|\\ud[89a-f]/i.test(text)) return text;
  return JSON.stringify(value, (_key, field) =>
    typeof field === "string" ? storableText(field) : field,
  );
}
