/**
 * Statistical rubric extraction for one intent: which reply aspects move two groups'
 * satisfaction differently. No LLM is involved; every kept aspect rests on counts.
 *
 * For each aspect and group, effect = SAT rate with the aspect − SAT rate without it.
 * Divergence = effect(A) − effect(B), tested two-sided by permuting group labels within the
 * intent; Benjamini–Hochberg turns the tested aspects' p-values into q-values; |divergence|
 * maps to significance 1–5 (see significance.ts). An aspect is kept when q < alpha and its
 * significance is strictly above the threshold ℓ.
 */
import { benjaminiHochberg } from "../statistics/benjamini-hochberg.ts";
import {
  countExtremePermutations,
  divergenceFromCounts,
  permutationPValue,
} from "../statistics/permutation.ts";
import { SeededRandom } from "../statistics/random.ts";
import { describeTestedAspect, describeUntestedAspect } from "./aspect-description.ts";
import { detectableDivergencePoints } from "./detectable-divergence.ts";
import { selectEvidence } from "./evidence.ts";
import { resolveExtractionOptions } from "./extraction-options.ts";
import {
  buildPermutationDesign,
  checkAspectLabels,
  countBySide,
  packTurns,
  type SideCounts,
} from "./packed-turns.ts";
import { keptFromPoints, passesThreshold, significanceOf } from "./significance.ts";
import type {
  AspectResult,
  CellCounts,
  DetectableDivergence,
  ResolvedExtractionOptions,
  SideEffect,
  StatisticalExtractionInput,
  StatisticalExtractionOptions,
  StatisticalExtractionResult,
} from "./statistical-extraction.types.ts";

const DEFAULT_GROUP_NAMES: readonly [string, string] = ["group A users", "group B users"];

function cell(turns: number, satisfied: number): CellCounts {
  return { turns, satisfied, satRate: turns === 0 ? null : satisfied / turns };
}

function sideEffect(
  counts: SideCounts,
  aspect: number,
  side: 0 | 1,
  groupName: string,
): SideEffect {
  const withTurns = counts.withTurns[aspect]!;
  const withSatisfied = counts.withSatisfied[aspect]!;
  const withAspect = cell(withTurns, withSatisfied);
  const withoutAspect = cell(counts.turns - withTurns, counts.satisfied - withSatisfied);
  const effectPoints =
    withAspect.satRate === null || withoutAspect.satRate === null
      ? null
      : 100 * (withAspect.satRate - withoutAspect.satRate);
  return { side: side === 0 ? "A" : "B", groupName, withAspect, withoutAspect, effectPoints };
}

function hasSupport(sides: readonly [SideEffect, SideEffect], minSupport: number): boolean {
  return sides.every(
    (side) => side.withAspect.turns >= minSupport && side.withoutAspect.turns >= minSupport,
  );
}

/** Runs the permutation test over the tested aspects; returns one p-value per tested aspect. */
function permutationPValues(
  packed: ReturnType<typeof packTurns>,
  counts: readonly [SideCounts, SideCounts],
  tested: readonly number[],
  options: ResolvedExtractionOptions,
): number[] {
  const { design, countedSide } = buildPermutationDesign(packed, counts, tested);
  const counted = counts[countedSide];
  tested.forEach((aspect, position) => {
    const divergence = divergenceFromCounts(
      counted.withTurns[aspect]!,
      counted.withSatisfied[aspect]!,
      counted.turns,
      counted.satisfied,
      design.totals.withTurns[position]!,
      design.totals.withSatisfied[position]!,
      design.totals.turns,
      design.totals.satisfied,
    );
    design.observed[position] = Math.abs(divergence);
  });
  const random = new SeededRandom(options.seed);
  const extreme = countExtremePermutations(design, options.permutations, random);
  return Array.from(extreme, (count) => permutationPValue(count, options.permutations));
}

/**
 * Extracts the rubric aspects of one intent from its rated turns. Pure and deterministic:
 * the same input and seed give the same result. Throws InvalidInputError for malformed turns
 * or options.
 */
export function extractStatisticalRubric(
  input: StatisticalExtractionInput,
  options: StatisticalExtractionOptions = {},
): StatisticalExtractionResult {
  const resolved = resolveExtractionOptions(options);
  checkAspectLabels(input.aspects);
  const groupNames = input.groupNames ?? DEFAULT_GROUP_NAMES;
  const packed = packTurns(input.turns, input.aspects.length);
  const counts = countBySide(packed);

  const allSides = input.aspects.map(
    (_, aspect) =>
      [
        sideEffect(counts[0], aspect, 0, groupNames[0]),
        sideEffect(counts[1], aspect, 1, groupNames[1]),
      ] as const,
  );
  const tested = input.aspects.flatMap((_, aspect) =>
    hasSupport(allSides[aspect]!, resolved.minSupport) ? [aspect] : [],
  );
  const pValues = tested.length > 0 ? permutationPValues(packed, counts, tested, resolved) : [];
  const qValues = benjaminiHochberg(pValues);

  const pooledSatRate =
    packed.count === 0 ? 0 : (counts[0].satisfied + counts[1].satisfied) / packed.count;
  const levelPerTest = resolved.alpha / Math.max(tested.length, 1);

  const aspects: AspectResult[] = input.aspects.map((label, aspect) => {
    const sides = allSides[aspect]!;
    const [first, second] = sides;
    const divergencePoints =
      first.effectPoints === null || second.effectPoints === null
        ? null
        : first.effectPoints - second.effectPoints;
    const significance = divergencePoints === null ? null : significanceOf(divergencePoints);
    const evidence = selectEvidence(packed, counts, aspect, resolved.evidenceLimit);
    const position = tested.indexOf(aspect);

    if (position < 0) {
      return {
        name: label.name,
        phrase: label.phrase,
        status: "insufficient-support",
        kept: false,
        sides,
        divergencePoints,
        pValue: null,
        qValue: null,
        significance,
        detectablePoints: null,
        evidence,
        description: describeUntestedAspect(label.phrase, sides, resolved.minSupport),
      };
    }

    const qValue = qValues[position]!;
    const significant = qValue < resolved.alpha;
    const large = significance !== null && passesThreshold(significance, resolved.threshold);
    let status: AspectResult["status"] = "not-significant";
    if (significant) status = large ? "kept" : "below-threshold";
    const cellTurns = sides.flatMap((side) => [side.withAspect.turns, side.withoutAspect.turns]);
    return {
      name: label.name,
      phrase: label.phrase,
      status,
      kept: status === "kept",
      sides,
      divergencePoints,
      pValue: pValues[position]!,
      qValue,
      significance,
      detectablePoints: detectableDivergencePoints(
        cellTurns,
        pooledSatRate,
        levelPerTest,
        resolved.power,
      ),
      evidence,
      description: describeTestedAspect(label.phrase, sides),
    };
  });

  const kept = aspects
    .filter((aspect) => aspect.kept)
    .sort((left, right) => Math.abs(right.divergencePoints!) - Math.abs(left.divergencePoints!))
    .map((aspect) => aspect.name);

  return {
    aspects,
    kept,
    turns: { A: counts[0].turns, B: counts[1].turns },
    tested: tested.length,
    options: resolved,
    nothingKept: kept.length > 0 ? null : explainNothingKept(aspects, packed.count, resolved),
    detectable: smallestDetectable(aspects, levelPerTest, resolved),
  };
}

function smallestDetectable(
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

function explainNothingKept(
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
        "in both groups, so none was tested.",
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
      `${significant.length} aspect(s) diverge significantly, but none by ${keptFromPoints(options.threshold)} ` +
      `points or more (significance above ${options.threshold}).`,
  };
}
