import { open } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError } from "../errors.ts";
import { fileAccessError } from "./file-errors.ts";
import { messagesMapper } from "./messages.importer.ts";
import { FLAT_OASST_EXPORT, isFlatOasstMessage, oasstMapper } from "./oasst.importer.ts";
import type { RecordSource } from "./record-source.ts";
import { sharegptMapper } from "./sharegpt.importer.ts";
import type { Container, RecordFormat, RecordMapper } from "./types.ts";
import { wildchatMapper } from "./wildchat.importer.ts";

/** Every record layout, most specific shape first: detection takes the first that matches. */
export const MAPPERS: readonly RecordMapper[] = [
  oasstMapper,
  wildchatMapper,
  sharegptMapper,
  messagesMapper,
];

export function mapperFor(format: RecordFormat): RecordMapper {
  return MAPPERS.find((mapper) => mapper.format === format)!;
}

/** Parsed records examined before detection gives up on an unrecognized file. */
const DETECTION_RECORDS = 1000;
const SNIFF_BYTES = 64 * 1024;
const PARQUET_MAGIC = "PAR1";
const GZIP_MAGIC = [0x1f, 0x8b];

/** Hint naming the format option of the CLI and the API, for messages where detection fails. */
const FORMAT_HINT =
  "Name the format with --format (CLI) or the format field of the importConversations input " +
  "(API): wildchat, messages, sharegpt or oasst.";

/**
 * Tells the container from the file's first bytes: the parquet magic number, a JSON array
 * (`[`), or else JSON Lines. The extension only serves to catch a `.parquet` file that is
 * not parquet.
 */
export async function detectContainer(file: string): Promise<Container> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw fileAccessError(file, error);
  }
  let head: Buffer;
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    head = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }

  if (head.subarray(0, 4).toString("latin1") === PARQUET_MAGIC) return "parquet";
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
    // Read as JSONL, a compressed file would only give one invalid-UTF-8 rejection per line.
    throw new InvalidInputError(
      "path",
      `${file} is gzip-compressed; decompress it first (gunzip -k ${file}) and import the result.`,
    );
  }
  if (path.extname(file).toLowerCase() === ".parquet") {
    throw new InvalidInputError(
      "path",
      `${file} has a .parquet extension but does not start with the parquet magic bytes "PAR1".`,
    );
  }
  const text = head.toString("utf8").replace(/^\uFEFF/, "");
  return text.trimStart().startsWith("[") ? "json" : "jsonl";
}

/**
 * Picks the record layout of a parquet file from its top-level columns.
 */
export function detectParquetFormat(file: string, columns: readonly string[]): RecordFormat {
  checkFlatOasstColumns(file, columns);
  const has = new Set(columns);
  if (has.has("conversation")) return "wildchat";
  if (has.has("messages")) return "messages";
  if (has.has("conversations")) return "sharegpt";
  if (has.has("prompt")) return "oasst";
  throw new InvalidInputError(
    "format",
    `Could not tell the record format of ${file} from its columns (${columns.join(", ")}): expected a ` +
      `"conversation", "messages", "conversations" or "prompt" column. ${FORMAT_HINT}`,
  );
}

/** Fails when the parquet columns are those of OpenAssistant's flat message export. */
export function checkFlatOasstColumns(file: string, columns: readonly string[]): void {
  const has = new Set(columns);
  if (has.has("message_id") && has.has("parent_id") && !has.has("prompt")) {
    throw flatOasstError(file);
  }
}

/** Fails when the first parsed record is a message of OpenAssistant's flat export. */
export async function checkFlatOasstRecords(file: string, source: RecordSource): Promise<void> {
  for await (const record of source.records()) {
    if (record.kind !== "record") continue;
    if (isFlatOasstMessage(record.value)) throw flatOasstError(file);
    return;
  }
}

function flatOasstError(file: string): InvalidInputError {
  return new InvalidInputError("format", `Cannot import ${file}: ${FLAT_OASST_EXPORT}.`);
}

/**
 * Picks the record layout of a JSON or JSONL file from its first parsed records. When no
 * record parses at all (an empty file, or only broken lines), the generic `messages` layout
 * is used, so that each broken line still gets reported with its reason.
 */
export async function detectRecordFormat(
  file: string,
  source: RecordSource,
): Promise<RecordFormat> {
  let parsed = 0;
  for await (const record of source.records()) {
    if (record.kind !== "record") continue;
    if (isFlatOasstMessage(record.value)) throw flatOasstError(file);
    const mapper = MAPPERS.find((candidate) => candidate.matches(record.value));
    if (mapper) return mapper.format;
    if (++parsed >= DETECTION_RECORDS) break;
  }
  if (parsed === 0) return "messages";
  throw new InvalidInputError(
    "format",
    `Could not tell the record format of ${file} from its first ${parsed} records: none has a ` +
      `"conversation" list (wildchat), "messages" list (messages), "conversations" list (sharegpt) ` +
      `or "prompt" tree (oasst). ${FORMAT_HINT}`,
  );
}
