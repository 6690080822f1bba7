import type { CellCounts, SideEffect } from "./statistical-extraction.types.ts";

/** Effects smaller than this many points read as "equally satisfied". */
const NEGLIGIBLE_POINTS = 0.5;

function signedPoints(points: number): string {
  const rounded = Math.round(points);
  if (rounded > 0) return `+${rounded}`;
  if (rounded < 0) return `−${-rounded}`;
  return "0";
}

function percent(cell: CellCounts): string {
  return cell.satRate === null ? "n/a" : `${Math.round(cell.satRate * 100)}%`;
}

function numbers(side: SideEffect): string {
  const effect =
    side.effectPoints === null ? "effect undefined" : `${signedPoints(side.effectPoints)} points`;
  return (
    `${effect} (${percent(side.withAspect)} vs ${percent(side.withoutAspect)} SAT, ` +
    `n=${side.withAspect.turns} with and ${side.withoutAspect.turns} without)`
  );
}

function direction(effectPoints: number | null): "more" | "less" | "equal" {
  if (effectPoints === null || Math.abs(effectPoints) < NEGLIGIBLE_POINTS) return "equal";
  return effectPoints > 0 ? "more" : "less";
}

/** The divergence figures a tested aspect's description ends with. */
export interface DivergenceFigures {
  divergencePoints: number;
  standardErrorPoints: number;
  /** Selection-adjusted divergence; null when the aspect is not significant. */
  adjustedPoints: number | null;
}

function describeDivergence(figures: DivergenceFigures): string {
  const raw =
    `Divergence of the effects: ${signedPoints(figures.divergencePoints)} points ` +
    `(standard error ${Math.round(figures.standardErrorPoints)})`;
  if (figures.adjustedPoints === null) return `${raw}, not significant.`;
  return `${raw}, ${signedPoints(figures.adjustedPoints)} after correcting for selection.`;
}

/**
 * Describes a tested aspect with each group's direction and numbers, then the divergence
 * raw and corrected for selection, e.g. "US users were more satisfied when replies used
 * numbered steps: +18 points (61% vs 43% SAT, n=212 with and 588 without); other users were
 * less satisfied with it: −2 points (…). Divergence of the effects: +20 points (standard
 * error 6), +17 after correcting for selection."
 */
export function describeTestedAspect(
  phrase: string,
  sides: readonly [SideEffect, SideEffect],
  figures: DivergenceFigures,
): string {
  const [first, second] = sides;
  const firstDirection = direction(first.effectPoints);
  const lead =
    firstDirection === "equal"
      ? `${first.groupName} were equally satisfied whether or not replies ${phrase}`
      : `${first.groupName} were ${firstDirection} satisfied when replies ${phrase}`;

  const secondDirection = direction(second.effectPoints);
  const follow =
    secondDirection === "equal"
      ? `${second.groupName} were equally satisfied with or without it`
      : `${second.groupName} were ${secondDirection} satisfied with it`;

  return `${lead}: ${numbers(first)}; ${follow}: ${numbers(second)}. ${describeDivergence(figures)}`;
}

/** Describes an aspect left untested for lack of turns, with the counts that fell short. */
export function describeUntestedAspect(
  phrase: string,
  sides: readonly [SideEffect, SideEffect],
  minSupport: number,
): string {
  const counts = sides
    .map(
      (side) =>
        `${side.groupName} have ${side.withAspect.turns} with and ${side.withoutAspect.turns} without`,
    )
    .join(", ");
  return (
    `Not tested: each group needs at least ${minSupport} turns where replies ${phrase} and ` +
    `${minSupport} where they did not; ${counts}.`
  );
}

/**
 * Describes an aspect left untested because its cells are too small to distinguish a divergence
 * of `resolutionPoints` from zero.
 */
export function describeUnresolvedAspect(
  phrase: string,
  sides: readonly [SideEffect, SideEffect],
  resolvable: number,
  resolutionPoints: number,
): string {
  const counts = sides
    .map(
      (side) =>
        `${side.groupName} have ${side.withAspect.turns} with and ${side.withoutAspect.turns} without`,
    )
    .join(", ");
  return (
    `Not tested: too few turns to measure the divergence precisely where replies ${phrase} ` +
    `(${counts}). The test could distinguish only divergences of ${Math.round(resolvable)} ` +
    `points or more from zero, and ${resolutionPoints} are required.`
  );
}
