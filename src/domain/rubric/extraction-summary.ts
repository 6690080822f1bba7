/**
 * Result-level summaries of a statistical extraction: the smallest divergence the sample
 * could have detected, and why nothing was kept.
 */
import { keptFromPoints } from "./significance.ts";
import type {
  AspectResult,
  DetectableDivergence,
  ResolvedExtractionOptions,
  StatisticalExtractionResult,
} from "./statistical-extraction.types.ts";

/** Finds the tested aspect with the smallest detectable divergence; null when none was tested. */
export function smallestDetectable(
  aspects: readonly AspectResult[],
  levelPerTest: number,
  options: ResolvedExtractionOptions,
): DetectableDivergence | null {
  let best: AspectResult | null = null;
  for (const aspect of aspects) {
    if (aspect.detectablePoints === null) continue;
    if (best === null || aspect.detectablePoints < best.detectablePoints!) best = aspect;
  }
  if (best === null) return null;
  return {
    points: best.detectablePoints!,
    aspect: best.name,
    keptFromPoints: keptFromPoints(options.threshold),
    method: "normal-approximation",
    power: options.power,
    levelPerTest,
  };
}

/** Explains an extraction that kept no aspect, naming the first condition that failed. */
export function explainNothingKept(
  aspects: readonly AspectResult[],
  turnCount: number,
  options: ResolvedExtractionOptions,
): NonNullable<StatisticalExtractionResult["nothingKept"]> {
  if (turnCount === 0) {
    return { reason: "no-turns", message: "No rated turns were given for this intent." };
  }
  const tested = aspects.filter((aspect) => aspect.status !== "insufficient-support");
  if (tested.length === 0) {
    return {
      reason: "no-aspect-with-support",
      message:
        `No aspect has at least ${options.minSupport} turns with it and ${options.minSupport} without it ` +
        `in both groups and enough turns to distinguish a divergence of ${options.resolutionPoints} points ` +
        "from zero, so none was tested.",
    };
  }
  const significant = tested.filter((aspect) => aspect.status === "below-threshold");
  if (significant.length === 0) {
    return {
      reason: "none-significant",
      message:
        `None of the ${tested.length} tested aspects diverges significantly after Benjamini–Hochberg ` +
        `correction (all q ≥ ${options.alpha}).`,
    };
  }
  return {
    reason: "effects-below-threshold",
    message:
      `${significant.length} aspect(s) diverge significantly, but after correcting for selection none ` +
      `by ${keptFromPoints(options.threshold)} points or more (significance above ${options.threshold}).`,
  };
}
