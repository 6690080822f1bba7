import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, realpath, rm } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { toSnapshot } from "../../jobs/progress-bus.ts";
import type { App } from "../app.ts";
import type { DatasetRow } from "../db/tables.ts";
import { InvalidInputError } from "../errors.ts";
import { IMPORT_FORMATS } from "../importers/types.ts";
import { builder } from "./builder.ts";
import { cursorConnection, decodeNameCursor, encodeCursor } from "./cursor.ts";
import { JobRef } from "./job.ts";

export const DatasetRef = builder.objectRef<DatasetRow>("Dataset");

const ImportErrorRef = builder
  .objectRef<{ line: number; record: number; reason: string; jobId: string }>("ImportError")
  .implement({
    description: "A record an import rejected, with its line number (1-based) and the reason.",
    fields: (t) => ({
      line: t.exposeInt("line"),
      record: t.exposeInt("record", {
        description:
          "0-based element index within the line, for JSON arrays written on one line; 0 otherwise.",
      }),
      reason: t.exposeString("reason"),
      jobId: t.exposeID("jobId"),
    }),
  });

builder.node(DatasetRef, {
  id: { resolve: (dataset) => dataset.id },
  loadOne: async (id, { app }) =>
    (await app.database.db
      .selectFrom("datasets")
      .selectAll()
      .where("id", "=", String(id))
      .executeTakeFirst()) ?? null,
  fields: (t) => ({
    name: t.exposeString("name"),
    createdAt: t.field({ type: "DateTime", resolve: (dataset) => dataset.created_at }),
    conversationCount: t.int({
      resolve: async (dataset, _args, { app }) => {
        const row = await app.database.db
          .selectFrom("conversations")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .where("dataset_id", "=", dataset.id)
          .executeTakeFirstOrThrow();
        return Number(row.count);
      },
    }),
    importErrors: t.field({
      type: [ImportErrorRef],
      description: "Rejected records of this dataset's imports, in line order.",
      args: {
        jobId: t.arg.id({ required: false }),
        limit: t.arg.int({ required: false, defaultValue: 100 }),
      },
      resolve: async (dataset, args, { app }) => {
        const limit = args.limit ?? 100;
        if (limit < 1 || limit > 10_000) {
          throw new InvalidInputError("limit", `limit must be between 1 and 10000; got ${limit}.`);
        }
        let query = app.database.db
          .selectFrom("import_errors")
          .select(["line", "record", "reason", "job_id"])
          .where("dataset_id", "=", dataset.id);
        if (args.jobId) query = query.where("job_id", "=", String(args.jobId));
        const rows = await query.orderBy("job_id").orderBy("line").limit(limit).execute();
        return rows.map((row) => ({
          line: row.line,
          record: row.record,
          reason: row.reason,
          jobId: row.job_id,
        }));
      },
    }),
  }),
});

builder.queryFields((t) => ({
  datasets: t.connection({
    type: DatasetRef,
    description: "Datasets by name.",
    resolve: (_root, args, { app }) =>
      cursorConnection(
        args,
        (dataset: DatasetRow) => encodeCursor([dataset.name]),
        async ({ before, after, limit, inverted }) => {
          let query = app.database.db.selectFrom("datasets").selectAll();
          const name = decodeNameCursor(after ?? before);
          if (name !== undefined) query = query.where("name", after ? ">" : "<", name);
          return query
            .orderBy("name", inverted ? "desc" : "asc")
            .limit(limit)
            .execute();
        },
      ),
  }),
  dataset: t.field({
    type: DatasetRef,
    nullable: true,
    description: "One dataset by its name.",
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, { name }, { app }) =>
      (await app.database.db
        .selectFrom("datasets")
        .selectAll()
        .where("name", "=", name)
        .executeTakeFirst()) ?? null,
  }),
}));

const ImportFormatEnum = builder.enumType("ImportFormat", {
  description: "Input formats; AUTO detects the format from the file.",
  values: Object.fromEntries(
    [...IMPORT_FORMATS, "auto"].map((format) => [format.toUpperCase(), { value: format }]),
  ),
});

const ImportConversationsInput = builder.inputType("ImportConversationsInput", {
  fields: (t) => ({
    dataset: t.string({ required: true, description: "Dataset name; created when missing." }),
    file: t.field({
      type: "File",
      required: false,
      description: "The log file, sent as a multipart upload.",
    }),
    path: t.string({
      required: false,
      description:
        "A file on the server, for trusted callers: inside TAILOR_IMPORT_ROOTS, or any path from the CLI.",
    }),
    format: t.field({ type: ImportFormatEnum, required: false, defaultValue: "auto" }),
    keepPersonalData: t.boolean({
      required: false,
      defaultValue: false,
      description: "Keep WildChat's hashed_ip and request headers (personal data).",
    }),
    maxMessageBytes: t.int({
      required: false,
      description: "Reject messages longer than this, in UTF-8 bytes.",
    }),
  }),
});

builder.mutationFields((t) => ({
  importConversations: t.field({
    type: JobRef,
    description: "Starts an import job; follow it with `jobProgress` or `job`.",
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: ImportConversationsInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { app } = context;
      if (Boolean(input.file) === Boolean(input.path)) {
        throw new InvalidInputError(
          "input.file",
          "Give exactly one of `file` (an upload) or `path` (a server-side file).",
        );
      }
      if (
        input.maxMessageBytes !== null &&
        input.maxMessageBytes !== undefined &&
        input.maxMessageBytes < 1
      ) {
        throw new InvalidInputError(
          "input.maxMessageBytes",
          `maxMessageBytes must be at least 1; got ${input.maxMessageBytes}.`,
        );
      }
      const source = input.file
        ? { path: await spoolUpload(app, input.file), deleteAfter: true }
        : { path: await checkServerPath(context.trusted, app, input.path!), deleteAfter: false };
      const row = await app.jobs.enqueue("import", {
        dataset: input.dataset,
        path: source.path,
        format: input.format ?? "auto",
        keepPersonalData: input.keepPersonalData ?? false,
        deleteAfter: source.deleteAfter,
        ...(input.maxMessageBytes ? { maxMessageBytes: input.maxMessageBytes } : {}),
      });
      return toSnapshot(row);
    },
  }),
}));

/** Writes an upload to TAILOR_HOME/uploads, which workers read; rejects files over the size limit. */
async function spoolUpload(app: App, file: File): Promise<string> {
  const limit = app.config.maxUploadBytes;
  if (file.size > limit) {
    throw new InvalidInputError(
      "input.file",
      `The upload is ${file.size} bytes; the limit is ${limit} (TAILOR_MAX_UPLOAD_BYTES).`,
    );
  }
  const folder = path.join(app.config.home, "uploads");
  await mkdir(folder, { recursive: true });
  const extension = path
    .extname(file.name)
    .replace(/[^.\w]/g, "")
    .slice(0, 16);
  const target = path.join(folder, `${randomUUID()}${extension}`);
  let written = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      written += chunk.length;
      callback(
        written > limit
          ? new InvalidInputError("input.file", `The upload exceeds ${limit} bytes.`)
          : null,
        chunk,
      );
    },
  });
  try {
    await pipeline(Readable.from(readChunks(file.stream())), counter, createWriteStream(target));
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
  return target;
}

/**
 * Reads a web stream through its reader. Uploads arrive as the fetch ponyfill's streams, which
 * `Readable.fromWeb` rejects because they are not Node's own `ReadableStream` class.
 */
async function* readChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Only trusted callers may name files on the server, and only inside TAILOR_IMPORT_ROOTS over HTTP. */
async function checkServerPath(trusted: boolean, app: App, requested: string): Promise<string> {
  let resolved: string;
  try {
    resolved = await realpath(requested);
  } catch {
    throw new InvalidInputError(
      "input.path",
      `File ${JSON.stringify(requested)} was not found on the server.`,
    );
  }
  if (trusted) return resolved;
  const allowed = app.config.importRoots.some(
    (root) => resolved === root || resolved.startsWith(root + path.sep),
  );
  if (!allowed) {
    throw new InvalidInputError(
      "input.path",
      `Path ${JSON.stringify(requested)} is outside the import roots; upload the file instead, or add its folder to TAILOR_IMPORT_ROOTS.`,
    );
  }
  return resolved;
}
