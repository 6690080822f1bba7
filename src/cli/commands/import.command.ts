import path from "node:path";
import type { Command } from "commander";
import { ImportConversationsDocument, type ImportFormat } from "../../graphql/generated/graphql.ts";
import { IMPORT_FORMATS } from "../../importers/types.ts";
import { CliError, followJob, printJson, withApp } from "../runtime.ts";

interface ImportOptions {
  format: string;
  dataset?: string;
  json?: boolean;
  keepPersonalData?: boolean;
  maxMessageBytes?: string;
}

export function registerImportCommand(program: Command): void {
  program
    .command("import")
    .description("Import a conversation log file into a dataset")
    .argument(
      "<file>",
      "WildChat JSONL or parquet, messages JSONL, ShareGPT JSON, or OpenAssistant trees",
    )
    .option("--format <format>", `input format: ${[...IMPORT_FORMATS, "auto"].join(", ")}`, "auto")
    .option("--dataset <name>", "dataset to import into (default: the file name without extension)")
    .option("--keep-personal-data", "keep WildChat's hashed_ip and request headers")
    .option("--max-message-bytes <bytes>", "reject messages longer than this many UTF-8 bytes")
    .option("--json", "print the result as one JSON object")
    .action((file: string, options: ImportOptions) => importCommand(file, options));
}

async function importCommand(file: string, options: ImportOptions): Promise<void> {
  const format = options.format.toLowerCase();
  if (![...IMPORT_FORMATS, "auto"].includes(format)) {
    throw new CliError(
      `Unknown format ${JSON.stringify(options.format)}; use one of ${[...IMPORT_FORMATS, "auto"].join(", ")}.`,
    );
  }
  const maxMessageBytes =
    options.maxMessageBytes === undefined ? undefined : Number(options.maxMessageBytes);
  if (
    maxMessageBytes !== undefined &&
    !(Number.isInteger(maxMessageBytes) && maxMessageBytes > 0)
  ) {
    throw new CliError(
      `--max-message-bytes must be a positive integer; got ${JSON.stringify(options.maxMessageBytes)}.`,
    );
  }
  const dataset = options.dataset ?? path.basename(file).replace(/\.[^.]+$/, "");

  await withApp(async ({ graphql }) => {
    const { importConversations } = await graphql.request(ImportConversationsDocument, {
      input: {
        dataset,
        path: path.resolve(file),
        format: format.toUpperCase() as ImportFormat,
        keepPersonalData: options.keepPersonalData ?? false,
        ...(maxMessageBytes ? { maxMessageBytes } : {}),
      },
    });
    if (importConversations.__typename !== "MutationImportConversationsSuccess") {
      throw new CliError(importConversations.message);
    }
    const job = await followJob(graphql, importConversations.data.id, {
      progressBar: !options.json,
    });
    if (job.status !== "COMPLETED") {
      throw new CliError(
        `Import ${job.status.toLowerCase()}: ${job.error?.message ?? "no error recorded"}`,
      );
    }
    const result = job.result as ImportSummary;
    if (options.json) {
      printJson({
        datasetId: result.datasetId,
        imported: result.imported,
        duplicates: result.duplicates,
        rejected: result.rejected,
      });
      return;
    }
    process.stdout.write(
      `Imported ${result.imported} conversations into "${dataset}" (${result.format}); ` +
        `${result.duplicates} duplicates skipped, ${result.rejectedCount ?? result.rejected.length} records rejected.\n`,
    );
    for (const rejected of result.rejected.slice(0, 20)) {
      const where = rejected.record
        ? `line ${rejected.line}, element ${rejected.record}`
        : `line ${rejected.line}`;
      process.stdout.write(`  ${where}: ${rejected.reason}\n`);
    }
    if (result.rejected.length > 20) {
      process.stdout.write(
        `  … and ${result.rejected.length - 20} more (query the dataset's importErrors).\n`,
      );
    }
  });
}

interface ImportSummary {
  datasetId: string;
  format: string;
  imported: number;
  duplicates: number;
  rejected: { line: number; record?: number; reason: string }[];
  rejectedCount?: number;
}
