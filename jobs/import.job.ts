import { rm } from "node:fs/promises";
import { z } from "zod";
import { IMPORT_FORMATS } from "../src/importers/types.ts";
import { runImport } from "../src/services/import.service.ts";
import { isRetryable } from "./errors.ts";
import { SHUTDOWN } from "./execute.ts";
import { defineJob, type JobContext } from "./types.ts";

export const importPayload = z.object({
  /** Dataset to import into; created when missing. */
  dataset: z.string().min(1).max(200),
  /** File on the worker's disk: an upload spooled by the API, or a trusted server-side path. */
  path: z.string().min(1),
  /**
   * Input format; `auto` detects it from the file's first bytes and first records. `parquet`
   * detects the row layout from the columns; a layout name with a parquet file reads its rows
   * in that layout.
   */
  format: z.enum([...IMPORT_FORMATS, "auto"]).default("auto"),
  /** Keep `hashed_ip` and request headers of WildChat rows (personal data; off by default). */
  keepPersonalData: z.boolean().default(false),
  /** Largest message content accepted, in UTF-8 bytes; defaults to TAILOR_MAX_MESSAGE_BYTES. */
  maxMessageBytes: z.number().int().min(1).optional(),
  /** Delete the file when the job ends (uploaded files). */
  deleteAfter: z.boolean().default(false),
});
export type ImportPayload = z.infer<typeof importPayload>;

const IMPORT_ATTEMPTS = 3;

export const importJob = defineJob({
  kind: "import",
  payload: importPayload,
  attempts: IMPORT_ATTEMPTS,
  backoffMs: 1000,
  async process(context, payload) {
    try {
      const result = await runImport(context, payload);
      if (payload.deleteAfter) await rm(payload.path, { force: true });
      return result;
    } catch (error) {
      if (payload.deleteAfter && isLastAttempt(context, error))
        await rm(payload.path, { force: true });
      throw error;
    }
  },
});

/**
 * True when no later attempt will read the file again: the file stays for a retry and for a
 * job that a shutting-down process puts back in the queue. A worker killed outright never
 * gets here, so its file also stays for the next worker.
 */
function isLastAttempt(context: JobContext, error: unknown): boolean {
  if (context.signal.aborted && context.signal.reason === SHUTDOWN) return false;
  return !isRetryable(error) || context.attempt >= IMPORT_ATTEMPTS;
}
