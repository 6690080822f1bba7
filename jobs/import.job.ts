import { z } from "zod";
import { IMPORT_FORMATS } from "../src/importers/types.ts";
import { runImport } from "../src/services/import.service.ts";
import { defineJob } from "./types.ts";

export const importPayload = z.object({
  /** Dataset to import into; created when missing. */
  dataset: z.string().min(1).max(200),
  /** File on the worker's disk: an upload spooled by the API, or a trusted server-side path. */
  path: z.string().min(1),
  /** Input format; `auto` detects it from the file. */
  format: z.enum([...IMPORT_FORMATS, "auto"]).default("auto"),
  /** Keep `hashed_ip` and request headers of WildChat rows (personal data; off by default). */
  keepPersonalData: z.boolean().default(false),
  /** Largest message content accepted, in UTF-8 bytes; defaults to TAILOR_MAX_MESSAGE_BYTES. */
  maxMessageBytes: z.number().int().min(1).optional(),
  /** Delete the file when the job ends (uploaded files). */
  deleteAfter: z.boolean().default(false),
});
export type ImportPayload = z.infer<typeof importPayload>;

export const importJob = defineJob({
  kind: "import",
  payload: importPayload,
  attempts: 3,
  backoffMs: 1000,
  process: (context, payload) => runImport(context, payload),
});
