import { createReadStream } from "node:fs";
import { decodeRecord, MAX_RECORD_BYTES } from "./record-decoding.ts";
import type { RecordSource } from "./record-source.ts";
import type { SourceRecord } from "./types.ts";

const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * A file containing one JSON array of records (ShareGPT dumps), read as a stream. The scanner
 * cuts the array into its elements and each element is parsed on its own, so memory stays at
 * one read chunk plus the largest element. A broken element is rejected with the line it
 * starts on and its 0-based index in the array, and the elements after it still import.
 */
export class JsonArraySource implements RecordSource {
  readonly container = "json";
  private bytesRead = 0;

  constructor(
    private readonly path: string,
    readonly total: number,
  ) {}

  done(): number {
    return this.bytesRead;
  }

  async *records(): AsyncGenerator<SourceRecord> {
    this.bytesRead = 0;
    const scanner = new ArrayScanner(MAX_RECORD_BYTES);
    for await (const chunk of createReadStream(this.path, { highWaterMark: READ_CHUNK_BYTES })) {
      const pieces = scanner.push(chunk as Buffer);
      this.bytesRead += (chunk as Buffer).length;
      yield* decodePieces(pieces);
    }
    yield* decodePieces(scanner.end());
  }
}

/**
 * An element's bytes, or a structural error. `record` is the element's 0-based index in the
 * array; an error after the last element gets the index the next element would have had.
 */
type Piece =
  | { line: number; record: number; bytes: Buffer | null; byteLength: number }
  | { line: number; record: number; reason: string };

function* decodePieces(pieces: Piece[]): Generator<SourceRecord> {
  for (const piece of pieces) {
    if ("reason" in piece) {
      yield { kind: "rejected", line: piece.line, record: piece.record, reason: piece.reason };
      continue;
    }
    const record = decodeRecord(piece.bytes, piece.byteLength, piece.line, piece.record, true);
    if (record) yield record;
  }
}

enum Phase {
  BeforeArray,
  BetweenElements,
  InElement,
  AfterArray,
  Ignoring,
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;
}

/**
 * Splits a top-level JSON array into the bytes of its elements. It tracks only strings,
 * escapes and bracket depth; validating each element is left to `JSON.parse`.
 */
export class ArrayScanner {
  private phase = Phase.BeforeArray;
  private line = 1;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: Buffer[] = [];
  private elementBytes = 0;
  private elementLine = 0;
  /** Index of the element being scanned, or of the next one between elements. */
  private elementIndex = 0;
  private oversize = false;
  private started = false;

  constructor(private readonly maxElementBytes: number) {}

  /** Scans one chunk and returns the elements (and structural errors) it completed. */
  push(chunk: Buffer): Piece[] {
    const out: Piece[] = [];
    let index = 0;
    if (!this.started) {
      this.started = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) index = 3;
    }
    let elementStart = this.phase === Phase.InElement ? index : -1;

    for (; index < chunk.length; index++) {
      const byte = chunk[index]!;
      if (byte === NEWLINE) this.line++;

      if (this.phase === Phase.InElement) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (byte === BACKSLASH) this.escaped = true;
          else if (byte === QUOTE) this.inString = false;
          continue;
        }
        if (byte === QUOTE) {
          this.inString = true;
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          this.depth++;
        } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (this.depth === 0) {
            // A bare value (not an object) closed by the array's own bracket.
            out.push(this.finishElement(chunk, elementStart, index));
            this.phase = Phase.AfterArray;
          } else if (--this.depth === 0) {
            out.push(this.finishElement(chunk, elementStart, index + 1));
            this.phase = Phase.BetweenElements;
          }
        } else if (byte === COMMA && this.depth === 0) {
          out.push(this.finishElement(chunk, elementStart, index));
          this.phase = Phase.BetweenElements;
        }
        continue;
      }

      if (isWhitespace(byte) || this.phase === Phase.Ignoring) continue;
      if (this.phase === Phase.BeforeArray) {
        if (byte === OPEN_BRACKET) {
          this.phase = Phase.BetweenElements;
        } else {
          out.push({
            line: this.line,
            record: 0,
            reason: 'the file does not start with a JSON array ("[")',
          });
          this.phase = Phase.Ignoring;
        }
      } else if (this.phase === Phase.BetweenElements) {
        if (byte === CLOSE_BRACKET) {
          this.phase = Phase.AfterArray;
        } else if (byte !== COMMA) {
          this.phase = Phase.InElement;
          this.elementLine = this.line;
          elementStart = index;
          index--; // Scan this byte again as the element's first byte.
        }
      } else if (this.phase === Phase.AfterArray) {
        out.push({
          line: this.line,
          record: this.elementIndex,
          reason: "unexpected content after the end of the JSON array",
        });
        this.phase = Phase.Ignoring;
      }
    }

    if (this.phase === Phase.InElement) this.keep(chunk.subarray(elementStart), true);
    return out;
  }

  /** Reports what the end of the file left open. */
  end(): Piece[] {
    if (this.phase === Phase.InElement) {
      return [
        {
          line: this.elementLine,
          record: this.elementIndex,
          reason: "truncated: the file ends inside this record",
        },
      ];
    }
    if (this.phase === Phase.BetweenElements) {
      return [
        {
          line: this.line,
          record: this.elementIndex,
          reason: "truncated: the file ends before the JSON array is closed",
        },
      ];
    }
    return [];
  }

  private finishElement(chunk: Buffer, start: number, end: number): Piece {
    this.keep(chunk.subarray(start, end), false);
    const bytes = this.oversize
      ? null
      : this.parts.length === 1
        ? this.parts[0]!
        : Buffer.concat(this.parts);
    const piece = {
      line: this.elementLine,
      record: this.elementIndex++,
      bytes,
      byteLength: this.elementBytes,
    };
    this.parts = [];
    this.elementBytes = 0;
    this.oversize = false;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    return piece;
  }

  private keep(bytes: Buffer, copy: boolean): void {
    this.elementBytes += bytes.length;
    if (this.oversize || this.elementBytes > this.maxElementBytes) {
      this.oversize = true;
      this.parts = [];
      return;
    }
    this.parts.push(copy ? Buffer.from(bytes) : bytes);
  }
}
