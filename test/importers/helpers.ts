import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openImport } from "../../src/importers/open-import.ts";
import type {
  ImportFormat,
  ImportItem,
  ImportOptions,
  MappedItem,
} from "../../src/importers/types.ts";

export const DEFAULT_OPTIONS: ImportOptions = {
  keepPersonalData: false,
  maxMessageBytes: 256 * 1024,
};

/** The end of a size-limit rejection: where to raise the limit. */
export const LIMIT_FIX =
  "; to accept it, raise the limit with --max-message-bytes (CLI), maxMessageBytes (API) or " +
  "the TAILOR_MAX_MESSAGE_BYTES variable (server default)";

/** Writes a file into a fresh temporary folder and returns its path. */
export async function tempFile(name: string, content: string | Uint8Array): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "tailor-import-"));
  const file = path.join(folder, name);
  await writeFile(file, content);
  return file;
}

/** Opens a file for import and collects every item it yields. */
export async function readItems(
  file: string,
  format: ImportFormat | "auto" = "auto",
  options: Partial<ImportOptions> = {},
): Promise<{ format: ImportFormat; items: ImportItem[] }> {
  const opened = await openImport(file, format, { ...DEFAULT_OPTIONS, ...options });
  const items: ImportItem[] = [];
  for await (const item of opened.items()) items.push(item);
  return { format: opened.format, items };
}

export function conversations(items: MappedItem[]) {
  return items.flatMap((item) => (item.kind === "conversation" ? [item.conversation] : []));
}

/** Rejections as `{line, reason}`, plus `record` where it is not 0 (a JSON array element). */
export function rejections(items: (MappedItem | ImportItem)[]) {
  return items.flatMap((item) => {
    if (item.kind !== "rejected") return [];
    const record = "record" in item ? item.record : 0;
    return [{ line: item.line, ...(record !== 0 ? { record } : {}), reason: item.reason }];
  });
}

/** Joins records into JSONL text, one line per record. */
export function jsonl(records: unknown[]): string {
  return `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
}
