/**
 * Import throughput and memory: `npm run bench:import [-- --sizes 10000,100000]`.
 *
 * Builds WildChat JSONL files of the requested sizes by resampling the shared real rows
 * (each copy gets its own conversation_hash, so none is a duplicate), then for each size runs,
 * each in a fresh child process:
 * - a JSON.parse-only pass over the file (the floor for any JSONL importer);
 * - the import service into an embedded PGlite database on disk in a temporary TAILOR_HOME,
 *   created beforehand by another child so that PGlite's initdb peak is not counted.
 * It prints conversations/s, MiB/s, the import/parse throughput ratio and peak RSS
 * (`process.resourceUsage().maxRSS`), which must stay flat as the file grows.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createReadStream, createWriteStream, existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const SOURCE = path.resolve(
  import.meta.dirname,
  "../../shared/data/wildchat/wildchat_1m_schema.jsonl",
);
const DATA_FOLDER = path.resolve(import.meta.dirname, ".data");
const MIB = 1024 * 1024;

interface ParseFigures {
  seconds: number;
  records: number;
  maxRssMib: number;
}

interface ImportFigures extends ParseFigures {
  imported: number;
  /** RSS after the database opened, before the import started. */
  baselineRssMib: number;
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === "--child-parse") return report(await parseOnly(rest[0]!));
  if (mode === "--child-init") return initDatabase(rest[0]!);
  if (mode === "--child-import") return report(await importOnce(rest[0]!, rest[1]!));

  const sizesArgument = process.argv.indexOf("--sizes");
  const sizes =
    sizesArgument > 0 ? process.argv[sizesArgument + 1]!.split(",").map(Number) : [10_000, 100_000];
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM`,
  );

  console.log(
    [
      "conversations",
      "file MiB",
      "parse only",
      "parse peak RSS",
      "import time",
      "conversations/s",
      "import",
      "import/parse",
      "RSS after open",
      "import peak RSS",
    ].join(" | "),
  );
  for (const size of sizes) {
    const file = await buildFile(size);
    const mebibytes = (await stat(file)).size / MIB;
    const parse = await child<ParseFigures>(["--child-parse", file]);
    const home = await mkdtemp(path.join(os.tmpdir(), "tailor-bench-"));
    try {
      await child(["--child-init", home]);
      const imported = await child<ImportFigures>(["--child-import", file, home]);
      if (imported.imported !== size)
        throw new Error(`Imported ${imported.imported} of ${size} conversations.`);
      const parseRate = mebibytes / parse.seconds;
      const importRate = mebibytes / imported.seconds;
      const row = [
        size.toLocaleString("en"),
        mebibytes.toFixed(0),
        `${parseRate.toFixed(0)} MiB/s`,
        `${parse.maxRssMib.toFixed(0)} MiB`,
        `${imported.seconds.toFixed(1)} s`,
        `${(size / imported.seconds).toFixed(0)}`,
        `${importRate.toFixed(1)} MiB/s`,
        `${(importRate / parseRate).toFixed(3)}`,
        `${imported.baselineRssMib.toFixed(0)} MiB`,
        `${imported.maxRssMib.toFixed(0)} MiB`,
      ];
      console.log(row.join(" | "));
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }
}

/** Writes `size` rows resampled from the shared file, unless a file of that size exists. */
async function buildFile(size: number): Promise<string> {
  await mkdir(DATA_FOLDER, { recursive: true });
  const file = path.join(DATA_FOLDER, `wildchat-${size}.jsonl`);
  if (existsSync(file)) return file;
  const source = readFileSync(SOURCE, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
  const random = mulberry32(size);
  const output = createWriteStream(`${file}.partial`);
  for (let index = 0; index < size; index++) {
    const row = source[Math.floor(random() * source.length)];
    const line = `${JSON.stringify({ ...row, conversation_hash: `${row.conversation_hash}-${index}` })}\n`;
    if (!output.write(line)) await once(output, "drain");
  }
  output.end();
  await once(output, "finish");
  await rename(`${file}.partial`, file);
  return file;
}

/** Small seeded generator, so every run resamples the same rows. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits the file into lines on the raw bytes and parses each one, with no other work. */
async function parseOnly(file: string): Promise<ParseFigures> {
  const started = performance.now();
  let records = 0;
  let pending: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: MIB })) {
    const buffer = pending ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const end = buffer.indexOf(0x0a, start);
      if (end === -1) break;
      if (end > start) {
        JSON.parse(buffer.toString("utf8", start, end));
        records++;
      }
      start = end + 1;
    }
    pending = start < buffer.length ? buffer.subarray(start) : undefined;
  }
  return { seconds: (performance.now() - started) / 1000, records, maxRssMib: maxRssMib() };
}

/**
 * Loads the application modules only in the children that use them, so the parse-only child's
 * peak RSS is not inflated by PGlite and the rest of the app.
 */
async function appModules() {
  const [
    { loadConfig },
    { openDatabase },
    { JobStore },
    { importPayload },
    { runImport },
    { pino },
  ] = await Promise.all([
    import("../src/config.ts"),
    import("../src/db/database.ts"),
    import("../jobs/job-store.ts"),
    import("../jobs/import.job.ts"),
    import("../src/services/import.service.ts"),
    import("pino"),
  ]);
  const config = (home: string) =>
    loadConfig({
      TAILOR_HOME: home,
      LOG_LEVEL: "silent",
      TAILOR_CONFIG: path.join(home, "none.json"),
    });
  return { config, openDatabase, JobStore, importPayload, runImport, pino };
}

async function initDatabase(home: string): Promise<void> {
  const { config, openDatabase } = await appModules();
  const database = await openDatabase({ pgliteDataDir: path.join(config(home).home, "pglite") });
  await database.close();
}

async function importOnce(file: string, home: string): Promise<ImportFigures> {
  const { config, openDatabase, JobStore, importPayload, runImport, pino } = await appModules();
  const settings = config(home);
  const database = await openDatabase({ pgliteDataDir: path.join(settings.home, "pglite") });
  const baselineRssMib = process.memoryUsage().rss / MIB;
  const store = new JobStore(database.db);
  const payload = importPayload.parse({ dataset: "bench", path: file, format: "wildchat" });
  const job = await store.create("import", payload);
  await store.start(job.id);

  const started = performance.now();
  const result = await runImport(
    {
      jobId: job.id,
      attempt: 1,
      signal: new AbortController().signal,
      services: { db: database.db, config: settings, logger: pino({ level: "silent" }) },
      progress: async (update) => {
        await store.setProgress(job.id, update);
      },
    },
    payload,
  );
  const seconds = (performance.now() - started) / 1000;
  await database.close();
  return {
    seconds,
    records: result.imported + result.duplicates,
    imported: result.imported,
    baselineRssMib,
    maxRssMib: maxRssMib(),
  };
}

function maxRssMib(): number {
  // Kilobytes on Linux.
  return process.resourceUsage().maxRSS / 1024;
}

function report(figures: object): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function child<T>(args: string[]): Promise<T> {
  const process_ = spawn(process.execPath, ["--import", "tsx", import.meta.filename, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  process_.stdout.on("data", (chunk) => {
    output += String(chunk);
  });
  const [code] = await once(process_, "exit");
  if (code !== 0) throw new Error(`Benchmark step ${args[0]} exited with code ${code}.`);
  return JSON.parse(output.trim().split("\n").at(-1) || "{}") as T;
}

await main();
