import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempFile } from "../importers/helpers.ts";
import { writeWildchatParquet } from "../importers/wildchat-parquet.ts";
import { createTestApp, realData, type TestApp } from "../support/test-app.ts";

/** Returns a file path whose parent is a regular file, so stat fails with ENOTDIR. */
async function pathBelowFile(): Promise<string> {
  return path.join(await tempFile("plain.jsonl", "{}\n"), "inside.jsonl");
}

/** Writes real WildChat rows as parquet and damages the footer (the last bytes). */
async function damagedParquet(): Promise<string> {
  const rows = (await readFile(realData("wildchat/wildchat_1m_schema.jsonl"), "utf8"))
    .split("\n")
    .filter((line) => line !== "")
    .slice(0, 10)
    .map((line) => JSON.parse(line));
  const file = await tempFile("damaged.parquet", "");
  writeWildchatParquet(file, rows, { codec: "SNAPPY", rowGroupSize: 5 });
  const bytes = await readFile(file);
  // Keep the "PAR1" magic at both ends; overwrite the footer before the trailing length.
  bytes.fill(0x41, bytes.length - 400, bytes.length - 8);
  await writeFile(file, bytes);
  return file;
}

describe("import input failures", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ backend: "pglite" });
  });
  afterAll(async () => {
    await app?.close();
  });

  const cases: [name: string, makePath: () => Promise<string>, message: RegExp][] = [
    [
      "a directory",
      () => mkdtemp(path.join(os.tmpdir(), "tailor-dir-")),
      /is a directory; pass the path of one log file/,
    ],
    ["a path below a file", pathBelowFile, /was not found: a part of its path is a file/],
    [
      "an unknown layout",
      () => tempFile("other.jsonl", '{"question": "hi", "answer": "hello"}\n'),
      /Could not tell the record format .* --format \(CLI\)/,
    ],
    ["a damaged parquet footer", damagedParquet, /is not a readable parquet file: its footer/],
  ];

  it.each(cases)("fails %s for good", async (_name, makePath, message) => {
    const job = await app.jobs.enqueue("import", { dataset: "failures", path: await makePath() });
    const row = await app.jobs.waitFor(job.id);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
    expect(row.error?.code).toBe("INVALID_INPUT");
    expect(row.error?.retryable).toBe(false);
    expect(row.error?.message).toMatch(message);
  });
});
