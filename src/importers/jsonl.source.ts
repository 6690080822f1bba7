import { LineReader } from "./line-reader.ts";
import { decodeRecord, MAX_RECORD_BYTES } from "./record-decoding.ts";
import type { RecordSource } from "./record-source.ts";
import type { SourceRecord } from "./types.ts";

/**
 * JSON Lines: one record per line. Blank lines are skipped. A last line without a newline is
 * accepted when it parses and reported as truncated when it does not.
 */
export class JsonlSource implements RecordSource {
  readonly container = "jsonl";
  private reader: LineReader | undefined;

  constructor(
    private readonly path: string,
    readonly total: number,
  ) {}

  done(): number {
    return this.reader?.bytesRead ?? 0;
  }

  async *records(): AsyncGenerator<SourceRecord> {
    const reader = new LineReader(this.path, MAX_RECORD_BYTES);
    this.reader = reader;
    for await (const line of reader.lines()) {
      const record = decodeRecord(line.bytes, line.byteLength, line.number, 0, line.terminated);
      if (record) yield record;
    }
  }
}
