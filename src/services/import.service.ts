import type { ImportPayload } from "../../jobs/import.job.ts";
import type { JobContext } from "../../jobs/types.ts";

export interface ImportResult {
  datasetId: string;
  format: string;
  imported: number;
  duplicates: number;
  rejected: { line: number; reason: string }[];
}

/** NOTE: placeholder until the importers land. */
export async function runImport(_context: JobContext, _payload: ImportPayload): Promise<ImportResult> {
  throw new Error("not implemented");
}
