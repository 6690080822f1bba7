import { createReadStream } from "node:fs";

/** One line of a file, without its newline. */
export interface RawLine {
  /** 1-based line number. */
  number: number;
  /** The line's bytes; null when the line is longer than `maxLineBytes` and was skipped. */
  bytes: Buffer | null;
  byteLength: number;
  /** False for a last line that ends without a newline. */
  terminated: boolean;
}

const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a file line by line in fixed-size chunks, so memory stays at one chunk plus the
 * longest line, whatever the file size. A line longer than `maxLineBytes` is not buffered:
 * it is reported with `bytes: null` and its length.
 */
export class LineReader {
  /** Bytes of the file that the lines yielded so far cover, newlines included. */
  bytesRead = 0;

  constructor(
    private readonly path: string,
    private readonly maxLineBytes: number,
  ) {}

  async *lines(): AsyncGenerator<RawLine> {
    let number = 0;
    let parts: Buffer[] = [];
    let pendingBytes = 0;
    let oversize = false;

    for await (const chunk of createReadStream(this.path, { highWaterMark: READ_CHUNK_BYTES })) {
      const buffer = chunk as Buffer;
      let start = 0;
      for (;;) {
        const end = buffer.indexOf(NEWLINE, start);
        if (end === -1) break;
        const piece = buffer.subarray(start, end);
        const byteLength = pendingBytes + piece.length;
        const tooLong = oversize || byteLength > this.maxLineBytes;
        const bytes = tooLong
          ? null
          : parts.length === 0
            ? piece
            : Buffer.concat([...parts, piece]);
        parts = [];
        pendingBytes = 0;
        oversize = false;
        number++;
        this.bytesRead += byteLength + 1;
        yield { number, bytes, byteLength, terminated: true };
        start = end + 1;
      }
      if (start < buffer.length) {
        const rest = buffer.subarray(start);
        pendingBytes += rest.length;
        if (oversize || pendingBytes > this.maxLineBytes) {
          oversize = true;
          parts = [];
        } else {
          // Copy, so the 1 MiB read chunk is not kept alive by a short tail.
          parts.push(Buffer.from(rest));
        }
      }
    }

    if (pendingBytes > 0) {
      number++;
      this.bytesRead += pendingBytes;
      const bytes = oversize ? null : Buffer.concat(parts);
      yield { number, bytes, byteLength: pendingBytes, terminated: false };
    }
  }
}
