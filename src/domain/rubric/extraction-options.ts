import { InvalidInputError } from "../../errors.ts";
import {
  DEFAULT_EXTRACTION_OPTIONS,
  MIN_PERMUTATIONS,
  type ResolvedExtractionOptions,
  type StatisticalExtractionOptions,
} from "./statistical-extraction.types.ts";

function invalid(field: string, value: unknown, rule: string): never {
  throw new InvalidInputError(field, `Option ${field} is ${JSON.stringify(value)}; ${rule}.`);
}

/** Most permutations one extraction may ask for; 100,000 already resolves p-values to 1e-5. */
export const MAX_PERMUTATIONS = 100_000;

/** Fills in defaults and checks every option, naming the bad value and the allowed range. */
export function resolveExtractionOptions(
  options: StatisticalExtractionOptions = {},
): ResolvedExtractionOptions {
  const resolved: ResolvedExtractionOptions = {
    permutations: options.permutations ?? DEFAULT_EXTRACTION_OPTIONS.permutations,
    seed: options.seed ?? DEFAULT_EXTRACTION_OPTIONS.seed,
    alpha: options.alpha ?? DEFAULT_EXTRACTION_OPTIONS.alpha,
    threshold: options.threshold ?? DEFAULT_EXTRACTION_OPTIONS.threshold,
    minSupport: options.minSupport ?? DEFAULT_EXTRACTION_OPTIONS.minSupport,
    resolutionPoints: options.resolutionPoints ?? DEFAULT_EXTRACTION_OPTIONS.resolutionPoints,
    evidenceLimit: options.evidenceLimit ?? DEFAULT_EXTRACTION_OPTIONS.evidenceLimit,
    power: options.power ?? DEFAULT_EXTRACTION_OPTIONS.power,
  };

  const {
    permutations,
    alpha,
    threshold,
    minSupport,
    resolutionPoints,
    evidenceLimit,
    power,
    seed,
  } = resolved;
  if (!Number.isInteger(permutations) || permutations < 1) {
    invalid("permutations", permutations, "it must be a positive integer");
  }
  if (permutations > MAX_PERMUTATIONS) {
    invalid(
      "permutations",
      permutations,
      `use at most ${MAX_PERMUTATIONS}, because the test runs every permutation over every turn and more would block the process for minutes`,
    );
  }
  if (permutations < MIN_PERMUTATIONS && !options.allowFewPermutations) {
    invalid(
      "permutations",
      permutations,
      `use at least ${MIN_PERMUTATIONS}, because fewer cannot reach the p-values that multiple-testing correction needs`,
    );
  }
  if (!(alpha > 0 && alpha < 1)) invalid("alpha", alpha, "it must lie strictly between 0 and 1");
  if (!(threshold >= 0 && threshold <= 5))
    invalid("threshold", threshold, "it must lie between 0 and 5");
  if (!Number.isInteger(minSupport) || minSupport < 1) {
    invalid("minSupport", minSupport, "it must be an integer of at least 1");
  }
  if (!(typeof resolutionPoints === "number" && resolutionPoints > 0)) {
    invalid("resolutionPoints", resolutionPoints, "it must be a positive number of points");
  }
  if (!Number.isInteger(evidenceLimit) || evidenceLimit < 0) {
    invalid("evidenceLimit", evidenceLimit, "it must be a non-negative integer");
  }
  if (!(power > 0 && power < 1)) invalid("power", power, "it must lie strictly between 0 and 1");
  if (typeof seed === "number" ? !Number.isFinite(seed) : typeof seed !== "string") {
    invalid("seed", seed, "it must be a finite number or a string");
  }
  return resolved;
}
