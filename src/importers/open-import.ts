import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { InvalidInputError } from "../errors.ts";
import {
  checkFlatOasstColumns,
  checkFlatOasstRecords,
  detectContainer,
  detectParquetFormat,
  detectRecordFormat,
  mapperFor,
} from "./detect-format.ts";
import { fileAccessError } from "./file-errors.ts";
import { JsonArraySource } from "./json-array.source.ts";
import { JsonlSource } from "./jsonl.source.ts";
import { ParquetSource } from "./parquet.source.ts";
import type { RecordSource } from "./record-source.ts";
import type { Container, ImportFormat, ImportItem, ImportOptions, RecordFormat } from "./types.ts";

/** A file ready to import: its detected formats and a stream of mapped items. */
export interface OpenedImport {
  /** The format as a payload would name it: `parquet` for parquet files, else the layout. */
  format: ImportFormat;
  recordFormat: RecordFormat;
  container: Container;
  /** Progress total: bytes for JSONL and JSON, rows for parquet. */
  total: number;
  /** Progress so far, in the unit of `total`. */
  done(): number;
  /** Every item of the file in order; each call reads the file again. */
  items(): AsyncGenerator<ImportItem>;
}

/**
 * Opens a file for import and settles its format: the container from its first bytes, the
 * record layout from `requested` or else from the first records (or parquet columns). Every
 * check that can fail for the whole file (missing file, not parquet, unknown layout,
 * unsupported parquet codec) fails here, before anything is imported.
 */
export async function openImport(
  file: string,
  requested: ImportFormat | "auto",
  options: ImportOptions,
): Promise<OpenedImport> {
  const size = await fileSize(file);
  const container = await detectContainer(file);
  if (requested === "parquet" && container !== "parquet") {
    throw new InvalidInputError(
      "format",
      `Format parquet was requested, but ${file} does not start with the parquet magic bytes "PAR1".`,
    );
  }

  let source: RecordSource;
  let recordFormat: RecordFormat;
  if (container === "parquet") {
    const parquet = await ParquetSource.open(file);
    if (requested === "oasst") checkFlatOasstColumns(file, parquet.columnNames());
    recordFormat = isRecordFormat(requested)
      ? requested
      : detectParquetFormat(file, parquet.columnNames());
    parquet.selectColumns(mapperFor(recordFormat).parquetColumns?.(options));
    source = parquet;
  } else {
    source = container === "json" ? new JsonArraySource(file, size) : new JsonlSource(file, size);
    if (requested === "oasst") await checkFlatOasstRecords(file, source);
    recordFormat = isRecordFormat(requested) ? requested : await detectRecordFormat(file, source);
  }

  const mapper = mapperFor(recordFormat);
  return {
    format: container === "parquet" ? "parquet" : recordFormat,
    recordFormat,
    container,
    total: source.total,
    done: () => source.done(),
    async *items() {
      for await (const record of source.records()) {
        if (record.kind === "rejected") {
          yield record;
          continue;
        }
        for (const item of mapper.map(record.value, record.line, options)) {
          yield { ...item, record: record.record };
        }
      }
    },
  };
}

function isRecordFormat(format: ImportFormat | "auto"): format is RecordFormat {
  return format !== "auto" && format !== "parquet";
}

async function fileSize(file: string): Promise<number> {
  let stats: Stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw fileAccessError(file, error);
  }
  if (stats.isDirectory()) {
    throw new InvalidInputError(
      "path",
      `Import path ${file} is a directory; pass the path of one log file.`,
    );
  }
  if (!stats.isFile()) {
    throw new InvalidInputError(
      "path",
      `Import path ${file} is not a regular file (a device, socket or pipe); pass the path of one log file.`,
    );
  }
  return stats.size;
}
