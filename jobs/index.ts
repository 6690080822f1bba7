import { JobCatalogue } from "./catalogue.ts";
import { extractRubricsJob } from "./extract-rubrics.job.ts";
import { importJob } from "./import.job.ts";
import { labelJob } from "./label.job.ts";
import { llmLabelJob } from "./llm-label.job.ts";
import type { JobDefinition } from "./types.ts";

/** Builds the one job catalogue: every kind this build can run. */
export function createJobCatalogue(extra: readonly JobDefinition[] = []): JobCatalogue {
  return new JobCatalogue([importJob, labelJob, llmLabelJob, extractRubricsJob, ...extra]);
}
