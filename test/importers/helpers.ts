import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openImport } from "../../src/importers/open-import.ts";
import type { ImportFormat, ImportItem, ImportOptions } from "../../src/importers/types.ts";

export const DEFAULT_OPTIONS: ImportOptions = {
  keepPersonalData: false,
  maxMessageBytes: 256 * 1024,
};

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

export function conversations(items: ImportItem[]) {
  return items.flatMap((item) => (item.kind === "conversation" ? [item.conversation] : []));
}

export function rejections(items: ImportItem[]) {
  return items.flatMap((item) =>
    item.kind === "rejected" ? [{ line: item.line, reason: item.reason }] : [],
  );
}

/** Joins records into JSONL text, one line per record. */
export function jsonl(records: unknown[]): string {
  return `${records.map((record) => JSON.stringify(record)).join("\n")}\n`;
}
