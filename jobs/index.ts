import { JobCatalogue } from "./catalogue.ts";
import { importJob } from "./import.job.ts";

/** The one job catalogue: every kind this build can run. */
export function createJobCatalogue(): JobCatalogue {
  return new JobCatalogue([importJob]);
}
