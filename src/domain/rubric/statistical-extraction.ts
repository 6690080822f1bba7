/**
 * Statistical rubric extraction for one intent: which reply aspects move two groups'
 * satisfaction differently. No LLM is involved; every kept aspect rests on counts.
 *
 * For each aspect and group, effect = SAT rate with the aspect − SAT rate without it.
 * Divergence = effect(A) − effect(B). An aspect is tested when each of its four cells has
 * `minSupport` turns and the cells can resolve `resolutionPoints`. The test is two-sided and
 * permutes group labels within the intent; Benjamini–Hochberg turns the tested aspects'
 * p-values into q-values. Each significant aspect's divergence is then corrected for that
 * selection (the winner's curse), and the corrected |divergence| maps to significance 1–5
 * (see significance.ts). An aspect is kept when q < alpha and its significance is strictly
 * above the threshold ℓ.
 */
import { benjaminiHochberg } from "../statistics/benjamini-hochberg.ts";
import { normalQuantile } from "../statistics/normal.ts";
import {
  countExtremePermutations,
  divergenceFromCounts,
  permutationPValue,
} from "../statistics/permutation.ts";
import { SeededRandom } from "../statistics/random.ts";
import {
  describeTestedAspect,
  describeUnresolvedAspect,
  describeUntestedAspect,
} from "./aspect-description.ts";
import { detectableDivergencePoints } from "./detectable-divergence.ts";
import {
  nullStandardErrorPoints,
  observedStandardErrorPoints,
  resolvablePoints,
  selectionAdjustedPoints,
} from "./divergence-estimate.ts";
import { selectEvidence } from "./evidence.ts";
import { resolveExtractionOptions } from "./extraction-options.ts";
import { explainNothingKept, smallestDetectable } from "./extraction-summary.ts";
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
  ResolvedExtractionOptions,
  SelectionCutoff,
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

/**
 * Outcome of screening an aspect: the reason it stays untested with the figures its description
 * needs, or `untested: null` with the standard error that the detectable divergence needs.
 */
type Screening =
  | { untested: "support" }
  | { untested: "resolution"; resolvable: number }
  | { untested: null; nullStandardError: number };

function screen(
  sides: readonly [SideEffect, SideEffect],
  pooledSatRate: number,
  options: ResolvedExtractionOptions,
): Screening {
  const supported = sides.every(
    (side) =>
      side.withAspect.turns >= options.minSupport && side.withoutAspect.turns >= options.minSupport,
  );
  const nullStandardError = nullStandardErrorPoints(sides, pooledSatRate);
  if (!supported || nullStandardError === null) return { untested: "support" };
  const resolvable = resolvablePoints(nullStandardError, options.alpha);
  if (resolvable > options.resolutionPoints) return { untested: "resolution", resolvable };
  return { untested: null, nullStandardError };
}

/**
 * Expresses the Benjamini–Hochberg selection as a cutoff. With R of m aspects significant, it
 * rejects exactly the p-values below R·alpha/m, so a selected aspect's |z| cleared the matching
 * two-sided normal quantile. Returns null when nothing is significant.
 */
function selectionCutoff(qValues: readonly number[], alpha: number): SelectionCutoff | null {
  const significant = qValues.filter((q) => q < alpha).length;
  if (significant === 0) return null;
  const pValueCutoff = (significant * alpha) / qValues.length;
  return { significant, pValueCutoff, zCutoff: normalQuantile(1 - pValueCutoff / 2) };
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
  const pooledSatRate =
    packed.count === 0 ? 0 : (counts[0].satisfied + counts[1].satisfied) / packed.count;
  const screenings = allSides.map((sides) => screen(sides, pooledSatRate, resolved));
  const tested = input.aspects.flatMap((_, aspect) =>
    screenings[aspect]!.untested === null ? [aspect] : [],
  );
  const pValues = tested.length > 0 ? permutationPValues(packed, counts, tested, resolved) : [];
  const qValues = benjaminiHochberg(pValues);
  const selection = selectionCutoff(qValues, resolved.alpha);

  // The detectable divergence assumes the aspect diverges alone, when Benjamini–Hochberg
  // selects at its strictest level.
  const levelPerTest = resolved.alpha / Math.max(tested.length, 1);
  const keptFrom = keptFromPoints(resolved.threshold);

  const aspects: AspectResult[] = input.aspects.map((label, aspect) => {
    const sides = allSides[aspect]!;
    const [first, second] = sides;
    const divergencePoints =
      first.effectPoints === null || second.effectPoints === null
        ? null
        : first.effectPoints - second.effectPoints;
    const standardErrorPoints = observedStandardErrorPoints(sides);
    const evidence = selectEvidence(packed, counts, aspect, resolved.evidenceLimit);
    const screening = screenings[aspect]!;
    const untested = {
      name: label.name,
      phrase: label.phrase,
      status: "insufficient-support",
      kept: false,
      sides,
      divergencePoints,
      standardErrorPoints,
      adjustedDivergencePoints: null,
      pValue: null,
      qValue: null,
      significance: null,
      detectablePoints: null,
      evidence,
    } as const;
    if (screening.untested === "support") {
      return {
        ...untested,
        description: describeUntestedAspect(label.phrase, sides, resolved.minSupport),
      };
    }
    if (screening.untested === "resolution") {
      return {
        ...untested,
        description: describeUnresolvedAspect(
          label.phrase,
          sides,
          screening.resolvable,
          resolved.resolutionPoints,
        ),
      };
    }

    // Tested aspects have every cell non-empty, so their divergence and errors are defined.
    const position = tested.indexOf(aspect);
    const qValue = qValues[position]!;
    const significant = qValue < resolved.alpha && selection !== null;
    const adjustedDivergencePoints = significant
      ? selectionAdjustedPoints(divergencePoints!, standardErrorPoints!, selection.zCutoff)
      : 0;
    const significance = significanceOf(adjustedDivergencePoints);
    let status: AspectResult["status"] = "not-significant";
    if (significant) {
      status = passesThreshold(significance, resolved.threshold) ? "kept" : "below-threshold";
    }
    return {
      name: label.name,
      phrase: label.phrase,
      status,
      kept: status === "kept",
      sides,
      divergencePoints,
      standardErrorPoints,
      adjustedDivergencePoints,
      pValue: pValues[position]!,
      qValue,
      significance,
      detectablePoints: detectableDivergencePoints(
        screening.nullStandardError,
        levelPerTest,
        resolved.power,
        keptFrom,
      ),
      evidence,
      description: describeTestedAspect(label.phrase, sides, {
        divergencePoints: divergencePoints!,
        standardErrorPoints: standardErrorPoints!,
        adjustedPoints: significant ? adjustedDivergencePoints : null,
      }),
    };
  });

  const kept = aspects
    .filter((aspect) => aspect.kept)
    .sort(
      (left, right) =>
        Math.abs(right.adjustedDivergencePoints!) - Math.abs(left.adjustedDivergencePoints!),
    )
    .map((aspect) => aspect.name);

  return {
    aspects,
    kept,
    turns: { A: counts[0].turns, B: counts[1].turns },
    tested: tested.length,
    selection,
    options: resolved,
    nothingKept: kept.length > 0 ? null : explainNothingKept(aspects, packed.count, resolved),
    detectable: smallestDetectable(aspects, levelPerTest, resolved),
  };
}
