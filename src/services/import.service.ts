import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { ImportPayload } from "../../jobs/import.job.ts";
import type { JobContext, JobServices } from "../../jobs/types.ts";
import { contentHash } from "../importers/content-hash.ts";
import { openImport } from "../importers/open-import.ts";
import type {
  ImportedConversation,
  ImportFormat,
  ImportOptions,
  RecordFormat,
} from "../importers/types.ts";
import { ConversationRepository, type NewConversation } from "./conversation.repository.ts";

export interface ImportResult {
  datasetId: string;
  /** The format as a payload names it: `parquet` for parquet files, else the record layout. */
  format: ImportFormat;
  recordFormat: RecordFormat;
  /** Conversations this job stored, over all its attempts. */
  imported: number;
  /** Conversations the dataset already held, or that appeared earlier in the same file. */
  duplicates: number;
  /** The first rejected records in file order. `import_errors` contains all of them. */
  rejected: ImportRejection[];
  rejectedCount: number;
}

/**
 * One rejected record. `record` is always present: the record's 0-based index in a JSON array
 * file, 0 for JSONL lines and parquet rows. Elements of a JSON array written on one line
 * share their line and differ in `record`.
 */
export interface ImportRejection {
  line: number;
  record: number;
  reason: string;
}

/** Job context without plugins, which an import does not use, so scripts can run it without an app. */
export type ImportContext = Omit<JobContext, "services"> & {
  services: Pick<JobServices, "db" | "config" | "logger">;
};

/** Rejections listed in the job result; the rest are only in `import_errors`. */
const RESULT_REJECTIONS = 1000;

/**
 * A batch is one transaction. These bounds keep its memory (and the rows a crash rolls
 * back) small, and make progress reports and lock renewals frequent.
 */
const BATCH_CONVERSATIONS = 500;
const BATCH_TEXT_CHARS = 8 * 1024 * 1024;
const BATCH_REJECTIONS = 1000;

/**
 * Imports one file into a dataset: detects the format, streams the records, and stores
 * conversations and rejections batch by batch, creating the dataset when missing.
 *
 * Idempotent: conversations are keyed by content hash within the dataset, and rejections by
 * (job, line, record). A retried job reads the file again from the start and skips what an
 * earlier attempt committed. A worker killed mid-import therefore leaves no duplicate rows
 * behind.
 */
export async function runImport(
  context: ImportContext,
  payload: ImportPayload,
): Promise<ImportResult> {
  const { db, config, logger } = context.services;
  const options: ImportOptions = {
    keepPersonalData: payload.keepPersonalData,
    maxMessageBytes: payload.maxMessageBytes ?? config.maxMessageBytes,
  };
  const log = logger.child({ jobId: context.jobId, dataset: payload.dataset });

  // Opening checks the whole-file conditions, so a bad file fails before the dataset exists.
  const opened = await openImport(payload.path, payload.format, options);
  const repository = new ConversationRepository(db);
  const datasetId = await repository.ensureDataset(payload.dataset);
  log.info(
    {
      path: payload.path,
      format: opened.recordFormat,
      container: opened.container,
      attempt: context.attempt,
    },
    "import started",
  );

  const batch = new ImportBatch();
  const rejected: ImportResult["rejected"] = [];
  let rejectedCount = 0;
  let lastRejected: ImportRejection | undefined;
  let seen = 0;

  const flush = async () => {
    if (batch.isEmpty()) return;
    await db.transaction().execute(async (trx) => {
      await repository.insertConversations(trx, datasetId, context.jobId, batch.conversations());
      await repository.insertImportErrors(trx, context.jobId, datasetId, batch.rejections);
    });
    batch.clear();
    // Also the cancellation check.
    await context.progress({ stage: "import", done: opened.done(), total: opened.total });
    // Let timers run between batches: BullMQ renews the job's lock from one.
    await yieldToEventLoop();
  };

  for await (const item of opened.items()) {
    if (item.kind === "conversation") {
      seen++;
      batch.add(toNewConversation(item.conversation, opened.recordFormat));
    } else if (item.line !== lastRejected?.line || item.record !== lastRejected.record) {
      // One rejection per record, as `import_errors` stores it.
      lastRejected = { line: item.line, record: item.record, reason: item.reason };
      rejectedCount++;
      if (rejected.length < RESULT_REJECTIONS) rejected.push(lastRejected);
      batch.rejections.push(lastRejected);
    }
    if (batch.isFull()) await flush();
  }
  await flush();
  await context.progress({ stage: "import", done: opened.total, total: opened.total });

  // Counted in the database, so that a retry also counts what earlier attempts stored.
  const imported = await repository.countImportedByJob(context.jobId);
  const result: ImportResult = {
    datasetId,
    format: opened.format,
    recordFormat: opened.recordFormat,
    imported,
    // A file changed between attempts may contain fewer conversations than were stored.
    duplicates: Math.max(0, seen - imported),
    rejected,
    rejectedCount,
  };
  if (rejectedCount > 0) {
    log.warn(
      { rejected: rejectedCount, first: rejected[0] },
      "import rejected records; import_errors lists them",
    );
  }
  log.info({ imported, duplicates: result.duplicates, rejected: rejectedCount }, "import finished");
  return result;
}

function toNewConversation(
  conversation: ImportedConversation,
  sourceFormat: RecordFormat,
): NewConversation {
  return {
    externalId: conversation.externalId,
    contentHash: contentHash(conversation),
    sourceFormat,
    metadata: conversation.metadata,
    turnCount: conversation.messages.filter((message) => message.role === "user").length,
    messages: conversation.messages,
  };
}

/** Conversations and rejections waiting for the next transaction. */
class ImportBatch {
  readonly rejections: ImportRejection[] = [];
  // Keyed by hash: a conversation repeated within one batch is stored once.
  private readonly byHash = new Map<string, NewConversation>();
  private textChars = 0;

  add(conversation: NewConversation): void {
    if (this.byHash.has(conversation.contentHash)) return;
    this.byHash.set(conversation.contentHash, conversation);
    for (const message of conversation.messages) this.textChars += message.content.length;
  }

  /**
   * Returns the batch in hash order. Two imports into one dataset then take the unique-index
   * locks of shared conversations in the same order, so they wait for each other instead of
   * deadlocking.
   */
  conversations(): NewConversation[] {
    return [...this.byHash.values()].sort((a, b) => (a.contentHash < b.contentHash ? -1 : 1));
  }

  isEmpty(): boolean {
    return this.byHash.size === 0 && this.rejections.length === 0;
  }

  isFull(): boolean {
    return (
      this.byHash.size >= BATCH_CONVERSATIONS ||
      this.textChars >= BATCH_TEXT_CHARS ||
      this.rejections.length >= BATCH_REJECTIONS
    );
  }

  clear(): void {
    this.byHash.clear();
    this.rejections.length = 0;
    this.textChars = 0;
  }
}
