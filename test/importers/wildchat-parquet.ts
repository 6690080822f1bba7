import { type ColumnSource, parquetWriteFile } from "hyparquet-writer";

// The writer bundles its own hyparquet, so take the schema type from the writer's signature.
type SchemaElement = NonNullable<Parameters<typeof parquetWriteFile>[0]["schema"]>[number];

/**
 * Writes WildChat rows (as parsed from the JSONL export) to a parquet file with the nested
 * column layout of the published WildChat-1M files: `conversation` is a list of structs that
 * contains a `header` struct, timestamps are UTC microsecond timestamps and counters are int64.
 */
export function writeWildchatParquet(
  file: string,
  rows: WildchatRow[],
  options: {
    codec: "SNAPPY" | "ZSTD" | "LZO" | "UNCOMPRESSED";
    rowGroupSize: number;
    pageSize?: number;
  },
): void {
  const columnData: ColumnSource[] = [
    { name: "conversation_hash", data: rows.map((row) => row.conversation_hash) },
    { name: "model", data: rows.map((row) => row.model) },
    { name: "timestamp", data: rows.map((row) => toDate(row.timestamp)) },
    { name: "conversation", data: rows.map((row) => row.conversation.map(toParquetTurn)) },
    { name: "turn", data: rows.map((row) => toBigInt(row.turn)) },
    { name: "language", data: rows.map((row) => row.language) },
    { name: "toxic", data: rows.map((row) => row.toxic) },
    { name: "redacted", data: rows.map((row) => row.redacted) },
    { name: "state", data: rows.map((row) => row.state) },
    { name: "country", data: rows.map((row) => row.country) },
    { name: "hashed_ip", data: rows.map((row) => row.hashed_ip) },
    { name: "header", data: rows.map((row) => row.header) },
  ];
  parquetWriteFile({
    filename: file,
    schema: SCHEMA,
    columnData,
    codec: options.codec,
    compressors: { ZSTD: zstdStoredFrame, LZO: (input: Uint8Array) => input },
    rowGroupSize: options.rowGroupSize,
    pageSize: options.pageSize ?? 16 * 1024,
  });
}

/** A WildChat row as parsed from the JSONL export. */
export interface WildchatRow {
  conversation: Record<string, unknown>[];
  [field: string]: unknown;
}

function toParquetTurn(turn: Record<string, unknown>): Record<string, unknown> {
  return {
    ...turn,
    timestamp: toDate(turn.timestamp),
    turn_identifier: toBigInt(turn.turn_identifier),
  };
}

function toDate(value: unknown): Date | null {
  return typeof value === "string" ? new Date(value) : null;
}

function toBigInt(value: unknown): bigint | null {
  return typeof value === "number" ? BigInt(value) : null;
}

const text = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: "OPTIONAL",
});
const flag = (name: string): SchemaElement => ({
  name,
  type: "BOOLEAN",
  repetition_type: "OPTIONAL",
});
const int64 = (name: string): SchemaElement => ({
  name,
  type: "INT64",
  repetition_type: "OPTIONAL",
});
const timestamp = (name: string): SchemaElement => ({
  name,
  type: "INT64",
  repetition_type: "OPTIONAL",
  logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
});
const header: SchemaElement[] = [
  { name: "header", repetition_type: "OPTIONAL", num_children: 2 },
  text("accept-language"),
  text("user-agent"),
];

const SCHEMA: SchemaElement[] = [
  { name: "schema", num_children: 12 },
  text("conversation_hash"),
  text("model"),
  timestamp("timestamp"),
  { name: "conversation", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "OPTIONAL", num_children: 11 },
  text("content"),
  text("country"),
  text("hashed_ip"),
  ...header,
  text("language"),
  flag("redacted"),
  text("role"),
  text("state"),
  timestamp("timestamp"),
  flag("toxic"),
  int64("turn_identifier"),
  int64("turn"),
  text("language"),
  flag("toxic"),
  flag("redacted"),
  text("state"),
  text("country"),
  text("hashed_ip"),
  ...header,
];

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const ZSTD_MAX_BLOCK = 128 * 1024;

/**
 * A zstd frame made of raw (stored) blocks: valid zstd that any decoder must read, written
 * without a zstd compressor (Node 20 has none). It exercises the reader's zstd path, not the
 * compression ratio. Layout per RFC 8878: magic, a descriptor for a single-segment frame
 * with an 8-byte content size, then blocks with 3-byte headers (last flag, type 0 = raw, size).
 */
export function zstdStoredFrame(input: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(input.length / ZSTD_MAX_BLOCK));
  const output = new Uint8Array(4 + 1 + 8 + blocks * 3 + input.length);
  output.set(ZSTD_MAGIC, 0);
  output[4] = 0xe0;
  new DataView(output.buffer).setBigUint64(5, BigInt(input.length), true);
  let at = 13;
  for (let block = 0; block < blocks; block++) {
    const start = block * ZSTD_MAX_BLOCK;
    const size = Math.min(ZSTD_MAX_BLOCK, input.length - start);
    const last = block === blocks - 1 ? 1 : 0;
    const blockHeader = last | (size << 3);
    output[at] = blockHeader & 0xff;
    output[at + 1] = (blockHeader >> 8) & 0xff;
    output[at + 2] = (blockHeader >> 16) & 0xff;
    output.set(input.subarray(start, start + size), at + 3);
    at += 3 + size;
  }
  return output;
}
