/**
 * The keep rule's parts beyond the permutation test: the correction for selection that the
 * significance table reads, the resolution filter, and the detectable divergence that must
 * describe the same rule.
 */
import { describe, expect, it } from "vitest";
import { detectableDivergencePoints } from "../../src/domain/rubric/detectable-divergence.ts";
import { significanceOf } from "../../src/domain/rubric/significance.ts";
import { extractStatisticalRubric } from "../../src/domain/rubric/statistical-extraction.ts";
import type {
  AspectLabel,
  RatedTurn,
} from "../../src/domain/rubric/statistical-extraction.types.ts";
import { normalQuantile } from "../../src/domain/statistics/normal.ts";
import { SeededRandom } from "../../src/domain/statistics/random.ts";
import {
  selectedMedianZ,
  selectionAdjustedZ,
} from "../../src/domain/statistics/selection-adjusted.ts";
import { InvalidInputError } from "../../src/errors.ts";

const ASPECTS: AspectLabel[] = [{ name: "numbered-steps", phrase: "used numbered steps" }];

/** SAT and DSAT turns of one group, with the aspect and without it. */
interface SideSpec {
  withSat: number;
  withDsat: number;
  withoutSat: number;
  withoutDsat: number;
}

function corpusFromCells(a: SideSpec, b: SideSpec): RatedTurn[] {
  const turns: RatedTurn[] = [];
  for (const [group, spec] of [
    ["A", a],
    ["B", b],
  ] as const) {
    const cells: [boolean, boolean, number][] = [
      [true, true, spec.withSat],
      [true, false, spec.withDsat],
      [false, true, spec.withoutSat],
      [false, false, spec.withoutDsat],
    ];
    let index = 0;
    for (const [steps, satisfied, count] of cells) {
      for (let turn = 0; turn < count; turn += 1) {
        turns.push({ turnId: `${group}-${index}`, group, satisfied, aspects: [steps] });
        index += 1;
      }
    }
  }
  return turns;
}

describe("selectionAdjustedZ", () => {
  it("leaves clear effects alone", () => {
    expect(selectionAdjustedZ(8, 1.96)).toBeCloseTo(8, 6);
    expect(selectionAdjustedZ(-8, 1.96)).toBeCloseTo(8, 6);
  });

  it("pulls marginal effects to zero", () => {
    expect(selectionAdjustedZ(1.5, 1.96)).toBe(0);
    expect(selectionAdjustedZ(1.96, 1.96)).toBe(0);
    expect(selectionAdjustedZ(2.1, 1.96)).toBeLessThan(0.5);
  });

  it("rises with the observed z", () => {
    let previous = 0;
    for (let z = 2; z <= 6; z += 0.25) {
      const adjusted = selectionAdjustedZ(z, 1.96);
      expect(adjusted).toBeGreaterThanOrEqual(previous);
      expect(adjusted).toBeLessThan(z);
      previous = adjusted;
    }
  });

  it("inverts selectedMedianZ", () => {
    for (const cutoff of [1.96, 2.5, 3.3]) {
      for (const mean of [0.5, 2, 4]) {
        expect(selectionAdjustedZ(selectedMedianZ(mean, cutoff), cutoff)).toBeCloseTo(mean, 6);
      }
    }
    expect(selectedMedianZ(0, 2.5)).toBeCloseTo(2.5, 9);
  });

  it("rejects invalid arguments", () => {
    expect(() => selectionAdjustedZ(Number.NaN, 2)).toThrow(/finite/);
    expect(() => selectionAdjustedZ(3, -1)).toThrow(/cutoff/);
    expect(() => selectedMedianZ(-1, 2)).toThrow(/mean/);
  });
});

describe("selection-adjusted divergence", () => {
  // Group A: +22 points with steps (64% vs 42%); group B: 0 points. Standard error about 9,
  // so the test passes at p ≈ 0.02 while chance could have produced much of the 22 points.
  const barely = corpusFromCells(
    { withSat: 45, withDsat: 25, withoutSat: 118, withoutDsat: 162 },
    { withSat: 28, withDsat: 42, withoutSat: 112, withoutDsat: 168 },
  );
  const result = extractStatisticalRubric({ aspects: ASPECTS, turns: barely }, { seed: 3 });
  const steps = result.aspects[0]!;

  it("corrects a barely significant divergence", () => {
    expect(steps.divergencePoints).toBeCloseTo(22.14, 2);
    expect(significanceOf(steps.divergencePoints!)).toBe(4);
    expect(steps.qValue).toBeLessThan(0.05);
    expect(steps.adjustedDivergencePoints).toBeGreaterThan(5);
    expect(steps.adjustedDivergencePoints).toBeLessThan(20);
    expect(steps.significance).toBe(significanceOf(steps.adjustedDivergencePoints!));
    expect(steps.status).toBe("below-threshold");
    expect(result.nothingKept?.reason).toBe("effects-below-threshold");
  });

  it("reports the selection cutoff", () => {
    expect(result.selection).toEqual({
      significant: 1,
      pValueCutoff: 0.05,
      zCutoff: normalQuantile(0.975),
    });
    expect(steps.standardErrorPoints).toBeCloseTo(9.09, 2);
  });

  it("describes raw and adjusted divergence", () => {
    expect(steps.description).toContain(
      "Divergence of the effects: +22 points (standard error 9), +12 after correcting for selection.",
    );
  });

  it("sets zero for non-significant aspects", () => {
    const same = corpusFromCells(
      { withSat: 36, withDsat: 34, withoutSat: 140, withoutDsat: 140 },
      { withSat: 35, withDsat: 35, withoutSat: 141, withoutDsat: 139 },
    );
    const flat = extractStatisticalRubric({ aspects: ASPECTS, turns: same }).aspects[0]!;
    expect(flat.status).toBe("not-significant");
    expect(flat.adjustedDivergencePoints).toBe(0);
    expect(flat.significance).toBe(1);
    expect(flat.description).toMatch(/standard error \d+\), not significant\.$/);
  });
});

describe("resolution filter", () => {
  // 30 turns with steps per group: +40 vs −10 points, but a standard error near 13.
  const noisy = corpusFromCells(
    { withSat: 21, withDsat: 9, withoutSat: 36, withoutDsat: 84 },
    { withSat: 9, withDsat: 21, withoutSat: 48, withoutDsat: 72 },
  );

  it("leaves imprecise aspects untested", () => {
    const result = extractStatisticalRubric({ aspects: ASPECTS, turns: noisy });
    const steps = result.aspects[0]!;
    expect(steps.status).toBe("insufficient-support");
    expect(steps.pValue).toBeNull();
    expect(steps.significance).toBeNull();
    expect(steps.adjustedDivergencePoints).toBeNull();
    expect(steps.description).toContain("The test could distinguish only divergences of 27 points");
    expect(result.tested).toBe(0);
    expect(result.nothingKept?.reason).toBe("no-aspect-with-support");
  });

  it("tests them at a coarser resolution", () => {
    const result = extractStatisticalRubric(
      { aspects: ASPECTS, turns: noisy },
      { resolutionPoints: 30 },
    );
    expect(result.aspects[0]!.status).toBe("kept");
  });

  it("rejects a non-positive resolution", () => {
    const extract = () =>
      extractStatisticalRubric({ aspects: ASPECTS, turns: noisy }, { resolutionPoints: 0 });
    expect(extract).toThrow(InvalidInputError);
    expect(extract).toThrow(/resolutionPoints/);
  });
});

describe("detectable divergence", () => {
  /** Turns per group with steps and without; SAT drawn at the given rates. */
  const WITH = 150;
  const WITHOUT = 450;

  function drawCorpus(random: SeededRandom, withRateA: number): RatedTurn[] {
    const turns: RatedTurn[] = [];
    for (const group of ["A", "B"] as const) {
      for (let index = 0; index < WITH + WITHOUT; index += 1) {
        const steps = index < WITH;
        const rate = group === "A" && steps ? withRateA : 0.5;
        turns.push({
          turnId: `${group}-${index}`,
          group,
          satisfied: random.nextFloat() < rate,
          aspects: [steps],
        });
      }
    }
    return turns;
  }

  /** Share of corpora with a true divergence of `points` in which the aspect is kept. */
  function keptShare(points: number, runs: number): number {
    const random = new SeededRandom(`detectable:${points}`);
    let kept = 0;
    for (let run = 0; run < runs; run += 1) {
      const turns = drawCorpus(random, 0.5 + points / 100);
      const result = extractStatisticalRubric(
        { aspects: ASPECTS, turns },
        { seed: run, permutations: 400, allowFewPermutations: true, evidenceLimit: 0 },
      );
      if (result.kept.length > 0) kept += 1;
    }
    return kept / runs;
  }

  // One aspect, so the per-test level is alpha. SE under no divergence at a 50% SAT rate.
  const nullStandardError = 100 * Math.sqrt(0.25 * (2 / WITH + 2 / WITHOUT));
  const detectable = detectableDivergencePoints(nullStandardError, 0.05, 0.8, 20);

  it("sits above the kept boundary", () => {
    expect(detectable).toBeGreaterThan(20 + normalQuantile(0.8) * nullStandardError);
    expect(detectable).toBeLessThan(35);
  });

  it("matches the keep rule's power", () => {
    // 300 runs: the share's standard error is about 0.023.
    const share = keptShare(detectable, 300);
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.88);
  });

  it("is infinite when nothing can pass", () => {
    expect(detectableDivergencePoints(0, 0.05, 0.8, 20)).toBe(Number.POSITIVE_INFINITY);
    expect(detectableDivergencePoints(5, 0.05, 0.8, Number.POSITIVE_INFINITY)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
