import type { Container, SourceRecord } from "./types.ts";

/** Records taken one at a time out of a file container (JSONL, JSON array, parquet). */
export interface RecordSource {
  readonly container: Container;
  /** Size of the whole input in progress units: bytes for JSONL and JSON, rows for parquet. */
  readonly total: number;
  /** How far `records()` has read, in the unit of `total`. */
  done(): number;
  /**
   * Yields every record in file order. Each call reads the file again from the start;
   * stopping the iteration early closes the file.
   */
  records(): AsyncGenerator<SourceRecord>;
}
