import type { Seed } from "../statistics/random.ts";

/** The two sides compared: `A` is the first group (index 0), `B` the second (index 1). */
export type GroupSide = "A" | "B";

/** One rated assistant turn of the intent under study. */
export interface RatedTurn {
  turnId: string;
  /** The turn's side: `"A"` or `0` for the first group, `"B"` or `1` for the second. */
  group: GroupSide | 0 | 1;
  /** True for SAT, false for DSAT; turns judged NA are left out by the caller. */
  satisfied: boolean;
  /**
   * The aspects the reply shows, in the order of `StatisticalExtractionInput.aspects`. A
   * bitmask (bit i set means aspect i is present) holds at most 32 aspects. A boolean array
   * holds any number, and missing entries count as absent.
   */
  aspects: number | readonly boolean[];
}

/** An aspect as the rubric names it. */
export interface AspectLabel {
  /** Identifier such as `numbered-steps`. */
  name: string;
  /** Phrase that completes "when replies …", such as "used numbered steps". */
  phrase: string;
}

export interface StatisticalExtractionInput {
  aspects: readonly AspectLabel[];
  turns: readonly RatedTurn[];
  /** Display names of the two sides in descriptions, e.g. `["US users", "other users"]`. */
  groupNames?: readonly [string, string];
}

export interface StatisticalExtractionOptions {
  /** Label permutations per test; at least 1000 unless `allowFewPermutations` is set. */
  permutations?: number;
  /** Seed of the permutations; the same seed and input give the same p-values. */
  seed?: Seed;
  /** False discovery rate for the Benjamini–Hochberg step: an aspect is kept only if q < alpha. */
  alpha?: number;
  /** ℓ: an aspect is kept only if its significance (1–5) is strictly greater than this. */
  threshold?: number;
  /** Turns each of the four cells (group × with/without the aspect) needs for the aspect to be tested. */
  minSupport?: number;
  /**
   * Divergence in points that an aspect's cells must be able to distinguish from zero for the
   * aspect to be tested: z₁₋α/₂ × SE₀ ≤ resolutionPoints, where SE₀ is the divergence's standard
   * error under no divergence. Noisier aspects could only be kept on estimates that chance
   * inflated. The default, 20, is the smallest divergence kept at ℓ = 3.
   */
  resolutionPoints?: number;
  /** Evidence turns listed per aspect. */
  evidenceLimit?: number;
  /** Power used for the smallest detectable divergence. */
  power?: number;
  /** Lets tests run with fewer than 1000 permutations. */
  allowFewPermutations?: boolean;
}

export type ResolvedExtractionOptions = Required<
  Omit<StatisticalExtractionOptions, "allowFewPermutations">
>;

export const DEFAULT_EXTRACTION_OPTIONS: ResolvedExtractionOptions = {
  permutations: 1000,
  seed: 1,
  alpha: 0.05,
  threshold: 3,
  minSupport: 10,
  resolutionPoints: 20,
  evidenceLimit: 20,
  power: 0.8,
};

/**
 * Minimum number of permutations allowed by default. With m aspects tested, Benjamini–Hochberg keeps a
 * single aspect only if its p-value is at most alpha / m; a permutation p-value cannot go
 * below 1 / (permutations + 1), so 1000 permutations allow about 50 tested aspects at
 * alpha = 0.05.
 */
export const MIN_PERMUTATIONS = 1000;

/** Turns of one group in one cell: with or without the aspect. */
export interface CellCounts {
  turns: number;
  satisfied: number;
  /** satisfied / turns; null when the cell is empty. */
  satRate: number | null;
}

/** The effect of an aspect on satisfaction within one group. */
export interface SideEffect {
  side: GroupSide;
  groupName: string;
  withAspect: CellCounts;
  withoutAspect: CellCounts;
  /** SAT rate with the aspect minus without, in percentage points; null if a cell is empty. */
  effectPoints: number | null;
}

/**
 * - `kept`: q < alpha and significance above the threshold; the aspect joins the rubric.
 * - `below-threshold`: q < alpha, but the adjusted divergence maps to a significance at or
 *   below ℓ.
 * - `not-significant`: q ≥ alpha after Benjamini–Hochberg correction.
 * - `insufficient-support`: not tested, because a cell has fewer turns than `minSupport` or
 *   the cells cannot resolve `resolutionPoints` (see the description for which).
 */
export type AspectStatus = "kept" | "below-threshold" | "not-significant" | "insufficient-support";

export interface EvidenceTurn {
  turnId: string;
  side: GroupSide;
  satisfied: boolean;
}

export interface AspectResult {
  name: string;
  phrase: string;
  status: AspectStatus;
  kept: boolean;
  sides: readonly [SideEffect, SideEffect];
  /** effect(A) − effect(B) in percentage points, as observed; null when a cell is empty. */
  divergencePoints: number | null;
  /** Standard error of `divergencePoints` in points; null when a cell is empty. */
  standardErrorPoints: number | null;
  /**
   * The divergence corrected for selection, in points, with the sign of `divergencePoints`:
   * the conditional median-unbiased estimate given that the test selected the aspect. 0 when
   * the aspect is not significant; null when it was not tested. Significance is read from it.
   */
  adjustedDivergencePoints: number | null;
  /** Two-sided permutation p-value; null when not tested. */
  pValue: number | null;
  /** Benjamini–Hochberg q-value over the tested aspects; null when not tested. */
  qValue: number | null;
  /** 1–5 from |adjusted divergence| (see significance.ts); null when not tested. */
  significance: number | null;
  /**
   * Smallest true |divergence| in points that the keep rule would keep with probability
   * `power` at this aspect's cell sizes, were it the only divergent aspect (normal
   * approximation; see `detectableDivergencePoints`); null when not tested.
   */
  detectablePoints: number | null;
  /** Up to `evidenceLimit` turns with the aspect, spread over both groups, SAT and DSAT. */
  evidence: readonly EvidenceTurn[];
  /**
   * Readable sentences: each group's direction with numbers, then the raw and adjusted
   * divergence; or why the aspect was not tested.
   */
  description: string;
}

/** Reason a result keeps no aspect. */
export type NothingKeptReason =
  | "no-turns"
  | "no-aspect-with-support"
  | "none-significant"
  | "effects-below-threshold";

export interface DetectableDivergence {
  /**
   * Smallest true |divergence| in points, over the tested aspects, that the keep rule keeps
   * with probability `power` (the aspect's `detectablePoints`).
   */
  points: number;
  /** The aspect with that smallest detectable divergence. */
  aspect: string;
  /** Smallest adjusted |divergence| the significance table keeps (above ℓ), in points. */
  keptFromPoints: number;
  method: "normal-approximation";
  power: number;
  /**
   * Two-sided level at which the test selects an aspect that diverges alone: alpha divided by
   * the number of tested aspects, the strictest level Benjamini–Hochberg applies.
   */
  levelPerTest: number;
}

/** The Benjamini–Hochberg selection: it rejects exactly the p-values below `pValueCutoff`. */
export interface SelectionCutoff {
  /** Aspects with q < alpha. */
  significant: number;
  /** significant × alpha / tested. */
  pValueCutoff: number;
  /** z₁₋cutoff/2: the |z| the selection-adjusted divergence conditions on. */
  zCutoff: number;
}

export interface StatisticalExtractionResult {
  aspects: readonly AspectResult[];
  /** Names of kept aspects, by decreasing |adjusted divergence|. */
  kept: readonly string[];
  turns: { A: number; B: number };
  tested: number;
  /** Null when no aspect is significant. */
  selection: SelectionCutoff | null;
  options: ResolvedExtractionOptions;
  /** Null when some aspect is kept. */
  nothingKept: { reason: NothingKeptReason; message: string } | null;
  /** Null when no aspect was tested. */
  detectable: DetectableDivergence | null;
}
