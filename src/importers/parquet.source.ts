import type { AsyncBuffer, FileMetaData } from "hyparquet";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InvalidInputError } from "../errors.ts";
import { fileAccessError } from "./file-errors.ts";
import type { RecordSource } from "./record-source.ts";
import type { SourceRecord } from "./types.ts";

/** Codecs hyparquet decodes itself; the rest come from hyparquet-compressors. */
const BUILT_IN_CODECS = ["UNCOMPRESSED", "SNAPPY"];
const SUPPORTED_CODECS = new Set([...BUILT_IN_CODECS, ...Object.keys(compressors)]);

/**
 * A parquet file read one row group at a time, so memory is bounded by the largest row
 * group's selected columns rather than by the file. Nested columns (WildChat's
 * `conversation`, a list of structs holding a `header` struct) are assembled by hyparquet.
 * Each row's `line` is its 1-based row number.
 */
export class ParquetSource implements RecordSource {
  readonly container = "parquet";
  readonly total: number;
  private rowsRead = 0;
  private columns: string[] | undefined;

  private constructor(
    private readonly path: string,
    private readonly file: AsyncBuffer,
    private readonly metadata: FileMetaData,
  ) {
    this.total = Number(metadata.num_rows);
  }

  /**
   * Reads the footer and the column names; a file that is not parquet, or whose footer is
   * damaged, fails here before anything is imported.
   */
  static async open(path: string): Promise<ParquetSource> {
    let file: AsyncBuffer;
    try {
      file = await asyncBufferFromFile(path);
    } catch (error) {
      throw fileAccessError(path, error);
    }
    try {
      const source = new ParquetSource(path, file, await parquetMetadataAsync(file));
      source.columnNames();
      return source;
    } catch (error) {
      throw new InvalidInputError(
        "path",
        `${path} is not a readable parquet file: its footer could not be decoded (${errorText(error)}). ` +
          "The file may be truncated or damaged; copy or export it again.",
      );
    }
  }

  /** Top-level column names, in schema order. */
  columnNames(): string[] {
    const names: string[] = [];
    const root = this.metadata.schema[0];
    let index = 1;
    for (let child = 0; child < (root?.num_children ?? 0); child++) {
      const element = this.metadata.schema[index]!;
      names.push(element.name);
      index = skipSubtree(this.metadata, index);
    }
    return names;
  }

  /**
   * Restricts reading to these top-level columns (those missing from the file are ignored)
   * and checks, for every row group, that their codecs can be decoded. An unsupported codec
   * fails here, naming codec and column, so the import stops before its first row.
   */
  selectColumns(columns: readonly string[] | undefined): void {
    const present = new Set(this.columnNames());
    this.columns = columns?.filter((column) => present.has(column));
    const selected = this.columns ? new Set(this.columns) : present;
    for (const group of this.metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (!meta || !selected.has(meta.path_in_schema[0]!)) continue;
        if (!SUPPORTED_CODECS.has(meta.codec)) {
          throw new InvalidInputError(
            "path",
            `Parquet column "${meta.path_in_schema.join(".")}" in ${this.path} is compressed with ${meta.codec}, ` +
              `which this importer cannot decode (supported: ${[...SUPPORTED_CODECS].join(", ")}). ` +
              "Rewrite the file with snappy or zstd compression.",
          );
        }
      }
    }
  }

  done(): number {
    return this.rowsRead;
  }

  async *records(): AsyncGenerator<SourceRecord> {
    this.rowsRead = 0;
    let rowStart = 0;
    for (const [groupIndex, group] of this.metadata.row_groups.entries()) {
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({
          file: this.file,
          metadata: this.metadata,
          rowStart,
          rowEnd,
          compressors,
          ...(this.columns ? { columns: this.columns } : {}),
        });
      } catch (error) {
        // NOTE: rows of earlier row groups are already stored when a later one fails; a
        // re-import of the repaired file skips them as duplicates.
        throw new InvalidInputError(
          "path",
          `Row group ${groupIndex + 1} (rows ${rowStart + 1}-${rowEnd}) of ${this.path} could not be decoded ` +
            `(${errorText(error)}). The file may be damaged; copy or export it again.`,
        );
      }
      for (const [offset, row] of rows.entries()) {
        this.rowsRead = rowStart + offset + 1;
        yield { kind: "record", line: rowStart + offset + 1, record: 0, value: plainValue(row) };
      }
      rowStart = rowEnd;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function skipSubtree(metadata: FileMetaData, index: number): number {
  const children = metadata.schema[index]?.num_children ?? 0;
  let next = index + 1;
  for (let child = 0; child < children; child++) next = skipSubtree(metadata, next);
  return next;
}

/**
 * Converts parquet's typed values to what `JSON.parse` would give for the same row, so both
 * containers map alike: 64-bit integers become numbers (strings when beyond 2^53). Dates are
 * kept; the mappers format them.
 */
function plainValue(value: unknown): unknown {
  if (typeof value === "bigint") {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(plainValue);
  if (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !ArrayBuffer.isView(value)
  ) {
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) result[key] = plainValue(field);
    return result;
  }
  return value;
}
