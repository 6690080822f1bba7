import { describe, expect, it } from "vitest";
import { groupVersusRest } from "../../src/domain/rubric/group-versus-rest.ts";
import { runLabelShuffleControl } from "../../src/domain/rubric/label-shuffle-control.ts";
import {
  keptFromPoints,
  passesThreshold,
  significanceOf,
} from "../../src/domain/rubric/significance.ts";
import { extractStatisticalRubric } from "../../src/domain/rubric/statistical-extraction.ts";
import type {
  AspectLabel,
  RatedTurn,
  StatisticalExtractionResult,
} from "../../src/domain/rubric/statistical-extraction.types.ts";
import { InvalidInputError } from "../../src/errors.ts";
import { generateSyntheticCorpus, syntheticAspectIndex } from "../support/synthetic-corpus.ts";

const ASPECTS: AspectLabel[] = [
  { name: "numbered-steps", phrase: "used numbered steps" },
  { name: "emoji", phrase: "used emoji" },
];

/** Turn counts of one side: SAT and DSAT with the first aspect, and without it. */
interface SideSpec {
  withSat: number;
  withDsat: number;
  withoutSat: number;
  withoutDsat: number;
}

/**
 * Builds turns with exact cell counts for the first aspect. The second aspect (emoji) is on
 * `emojiEvery`-th turn of each side, or on none when 0.
 */
function corpusFromCells(a: SideSpec, b: SideSpec, emojiEvery = 0): RatedTurn[] {
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
        const emoji = emojiEvery > 0 && index % emojiEvery === 0;
        turns.push({ turnId: `${group}-${index}`, group, satisfied, aspects: [steps, emoji] });
        index += 1;
      }
    }
  }
  return turns;
}

/** Group A: +40 points with steps (70% vs 30%); group B: 0 points (50% vs 50%). */
const DIVERGENT = corpusFromCells(
  { withSat: 70, withDsat: 30, withoutSat: 60, withoutDsat: 140 },
  { withSat: 50, withDsat: 50, withoutSat: 100, withoutDsat: 100 },
);

function find(result: StatisticalExtractionResult, name: string) {
  return result.aspects.find((aspect) => aspect.name === name)!;
}

describe("extraction result", () => {
  const result = extractStatisticalRubric(
    { aspects: ASPECTS, turns: DIVERGENT, groupNames: ["US users", "other users"] },
    { seed: "result" },
  );
  const steps = find(result, "numbered-steps");

  it("reports effects per side", () => {
    expect(steps.sides[0].withAspect).toEqual({ turns: 100, satisfied: 70, satRate: 0.7 });
    expect(steps.sides[0].withoutAspect).toEqual({ turns: 200, satisfied: 60, satRate: 0.3 });
    expect(steps.sides[0].effectPoints).toBeCloseTo(40, 9);
    expect(steps.sides[1].effectPoints).toBeCloseTo(0, 9);
    expect(steps.divergencePoints).toBeCloseTo(40, 9);
    expect(result.turns).toEqual({ A: 300, B: 300 });
  });

  it("keeps a large divergence", () => {
    expect(steps.status).toBe("kept");
    expect(steps.significance).toBe(5);
    // z ≈ 4.8 against a cutoff of 1.96: the correction for selection barely moves it.
    expect(steps.adjustedDivergencePoints).toBeGreaterThan(39);
    expect(steps.adjustedDivergencePoints).toBeLessThanOrEqual(steps.divergencePoints!);
    expect(steps.pValue).toBeCloseTo(1 / 1001, 12);
    expect(steps.qValue).toBeLessThan(0.05);
    expect(result.kept).toEqual(["numbered-steps"]);
    expect(result.nothingKept).toBeNull();
  });

  it("describes directions with numbers", () => {
    expect(steps.description).toBe(
      "US users were more satisfied when replies used numbered steps: +40 points (70% vs 30% SAT, n=100 with and 200 without); " +
        "other users were equally satisfied with or without it: 0 points (50% vs 50% SAT, n=100 with and 200 without). " +
        "Divergence of the effects: +40 points (standard error 8), +40 after correcting for selection.",
    );
  });

  it("marks unsupported aspects", () => {
    const emoji = find(result, "emoji");
    expect(emoji.status).toBe("insufficient-support");
    expect(emoji.pValue).toBeNull();
    expect(emoji.qValue).toBeNull();
    expect(emoji.kept).toBe(false);
    expect(emoji.description).toContain("US users have 0 with and 300 without");
    expect(emoji.description).toContain("at least 10 turns");
    expect(result.tested).toBe(1);
  });

  it("samples evidence from every cell", () => {
    expect(steps.evidence).toHaveLength(20);
    const ids = new Set(steps.evidence.map((turn) => turn.turnId));
    expect(ids.size).toBe(20);
    for (const side of ["A", "B"] as const) {
      for (const satisfied of [true, false]) {
        const cell = steps.evidence.filter(
          (turn) => turn.side === side && turn.satisfied === satisfied,
        );
        expect(cell).toHaveLength(5);
      }
    }
    const byId = new Map(DIVERGENT.map((turn) => [turn.turnId, turn]));
    for (const turn of steps.evidence) {
      const source = byId.get(turn.turnId)!;
      expect((source.aspects as boolean[])[0]).toBe(true);
      expect(source.satisfied).toBe(turn.satisfied);
    }
  });

  it("reports the detectable divergence", () => {
    expect(steps.detectablePoints).toBeGreaterThan(5);
    expect(steps.detectablePoints).toBeLessThan(40);
    expect(result.detectable?.aspect).toBe("numbered-steps");
    expect(result.detectable?.keptFromPoints).toBe(20);
    expect(result.detectable?.levelPerTest).toBe(0.05);
  });
});

describe("extraction options and input", () => {
  it("repeats p-values for a seed", () => {
    const corpus = generateSyntheticCorpus({ seed: 5, turns: 800, planted: true });
    const first = extractStatisticalRubric(corpus, { seed: 11 });
    const second = extractStatisticalRubric(corpus, { seed: 11 });
    const other = extractStatisticalRubric(corpus, { seed: 12 });
    const pValues = (result: StatisticalExtractionResult) =>
      result.aspects.map((aspect) => aspect.pValue);
    expect(pValues(second)).toEqual(pValues(first));
    expect(pValues(other)).not.toEqual(pValues(first));
  });

  it("accepts bitmasks and side indices", () => {
    const corpus = generateSyntheticCorpus({ seed: 8, turns: 700, planted: true });
    const packed = corpus.turns.map((turn) => ({
      ...turn,
      group: turn.group === "A" ? 0 : 1,
      aspects: (turn.aspects as boolean[]).reduce(
        (mask, present, index) => (present ? mask | (1 << index) : mask),
        0,
      ),
    })) as RatedTurn[];
    const fromBooleans = extractStatisticalRubric(corpus, { seed: 3 });
    const fromMasks = extractStatisticalRubric({ ...corpus, turns: packed }, { seed: 3 });
    expect(fromMasks).toEqual(fromBooleans);
    expect(syntheticAspectIndex("numbered-steps")).toBe(0);
  });

  it("reads bit 31 of a bitmask", () => {
    const aspects = Array.from({ length: 32 }, (_, index) => ({
      name: `aspect-${index}`,
      phrase: `showed ${index}`,
    }));
    const turns: RatedTurn[] = Array.from({ length: 40 }, (_, index) => ({
      turnId: `t${index}`,
      group: index % 2 === 0 ? "A" : "B",
      satisfied: index % 3 === 0,
      aspects: index % 4 < 2 ? 1 << 31 : 0,
    }));
    expect(turns[0]!.aspects).toBeLessThan(0);
    const result = extractStatisticalRubric({ aspects, turns }, { minSupport: 5 });
    const last = result.aspects[31]!;
    expect(last.sides[0].withAspect.turns).toBe(10);
    expect(last.sides[1].withAspect.turns).toBe(10);
    const tooMany = [...aspects, { name: "aspect-32", phrase: "showed 32" }];
    expect(() => extractStatisticalRubric({ aspects: tooMany, turns })).toThrow(/boolean array/);
  });

  it("rejects too few permutations", () => {
    expect(() =>
      extractStatisticalRubric({ aspects: ASPECTS, turns: DIVERGENT }, { permutations: 999 }),
    ).toThrow(/at least 1000/);
    const quick = extractStatisticalRubric(
      { aspects: ASPECTS, turns: DIVERGENT },
      { permutations: 200, allowFewPermutations: true },
    );
    expect(find(quick, "numbered-steps").pValue).toBeCloseTo(1 / 201, 12);
  });

  it("rejects invalid options", () => {
    const input = { aspects: ASPECTS, turns: DIVERGENT };
    expect(() => extractStatisticalRubric(input, { alpha: 0 })).toThrow(InvalidInputError);
    expect(() => extractStatisticalRubric(input, { threshold: 6 })).toThrow(/threshold/);
    expect(() => extractStatisticalRubric(input, { minSupport: 0 })).toThrow(/minSupport/);
    expect(() => extractStatisticalRubric(input, { power: 1 })).toThrow(/power/);
  });

  it("rejects malformed turns", () => {
    const turn: RatedTurn = { turnId: "t1", group: "A", satisfied: true, aspects: 0 };
    const extract =
      (turns: RatedTurn[], aspects = ASPECTS) =>
      () =>
        extractStatisticalRubric({ aspects, turns });
    expect(extract([turn, { ...turn }])).toThrow(/unique/);
    expect(extract([{ ...turn, group: "C" as never }])).toThrow(/"C"/);
    expect(extract([{ ...turn, aspects: 4 }])).toThrow(/bitmask 4/);
    expect(extract([{ ...turn, aspects: [true, false, true] }])).toThrow(/at most 2 booleans/);
    expect(extract([turn], [ASPECTS[0]!, ASPECTS[0]!])).toThrow(/listed twice/);
    expect(extract([turn], [])).toThrow(/No aspects/);
  });
});

describe("nothing kept", () => {
  it("explains an empty intent", () => {
    const result = extractStatisticalRubric({ aspects: ASPECTS, turns: [] });
    expect(result.nothingKept?.reason).toBe("no-turns");
    expect(result.detectable).toBeNull();
  });

  it("explains missing support", () => {
    const sparse = corpusFromCells(
      { withSat: 3, withDsat: 2, withoutSat: 40, withoutDsat: 40 },
      { withSat: 30, withDsat: 30, withoutSat: 40, withoutDsat: 40 },
    );
    const result = extractStatisticalRubric({ aspects: ASPECTS, turns: sparse });
    expect(result.nothingKept?.reason).toBe("no-aspect-with-support");
    expect(result.nothingKept?.message).toContain("10 turns");
    expect(result.tested).toBe(0);
  });

  it("explains no significant divergence", () => {
    const same = corpusFromCells(
      { withSat: 60, withDsat: 40, withoutSat: 100, withoutDsat: 100 },
      { withSat: 62, withDsat: 38, withoutSat: 98, withoutDsat: 102 },
      4,
    );
    const result = extractStatisticalRubric({ aspects: ASPECTS, turns: same });
    expect(result.nothingKept?.reason).toBe("none-significant");
    expect(find(result, "numbered-steps").status).toBe("not-significant");
    expect(result.detectable?.points).toBeGreaterThan(0);
  });

  it("explains effects below threshold", () => {
    // 8 points of divergence on 8,000 turns: clearly significant, significance 2.
    const small = corpusFromCells(
      { withSat: 1080, withDsat: 920, withoutSat: 800, withoutDsat: 1200 },
      { withSat: 1000, withDsat: 1000, withoutSat: 880, withoutDsat: 1120 },
    );
    const result = extractStatisticalRubric({ aspects: ASPECTS, turns: small });
    const steps = find(result, "numbered-steps");
    expect(steps.divergencePoints).toBeCloseTo(8, 9);
    expect(steps.qValue).toBeLessThan(0.05);
    expect(steps.significance).toBe(2);
    expect(steps.status).toBe("below-threshold");
    expect(result.nothingKept?.reason).toBe("effects-below-threshold");
  });

  it("needs significance above ℓ", () => {
    // 25 points: significance 4, kept at ℓ = 3 but not at ℓ = 4 (strictly above).
    const turns = corpusFromCells(
      { withSat: 650, withDsat: 350, withoutSat: 400, withoutDsat: 600 },
      { withSat: 500, withDsat: 500, withoutSat: 500, withoutDsat: 500 },
    );
    const atThree = extractStatisticalRubric({ aspects: ASPECTS, turns }, { threshold: 3 });
    const atFour = extractStatisticalRubric({ aspects: ASPECTS, turns }, { threshold: 4 });
    expect(find(atThree, "numbered-steps").significance).toBe(4);
    expect(find(atThree, "numbered-steps").status).toBe("kept");
    expect(find(atFour, "numbered-steps").status).toBe("below-threshold");
  });
});

describe("significance table", () => {
  it("maps points to bands", () => {
    expect([0, 4.9, 5, 9.9, 10, 19.9, 20, 29.9, 30, 100].map(significanceOf)).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    expect(significanceOf(-25)).toBe(4);
  });

  it("compares strictly with ℓ", () => {
    expect(passesThreshold(3, 3)).toBe(false);
    expect(passesThreshold(4, 3)).toBe(true);
    expect(keptFromPoints(3)).toBe(20);
    expect(keptFromPoints(5)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("label-shuffle control", () => {
  it("keeps group sizes and repeats", () => {
    const corpus = generateSyntheticCorpus({ seed: 2, turns: 900, planted: true });
    const first = runLabelShuffleControl(corpus, { seed: 4 });
    const second = runLabelShuffleControl(corpus, { seed: 4 });
    const real = extractStatisticalRubric(corpus, { seed: 4 });
    expect(first.result.turns).toEqual(real.turns);
    expect(second.result).toEqual(first.result);
    expect(first.shuffleSeed).toBe("label-shuffle:4");
    expect(real.kept).toContain("numbered-steps");
    expect(first.result.kept).toEqual([]);
  });
});

describe("groupVersusRest", () => {
  it("maps one group to side A", () => {
    const turns = groupVersusRest(
      [
        { turnId: "1", group: "US", satisfied: true, aspects: 0 },
        { turnId: "2", group: "India", satisfied: false, aspects: 1 },
        { turnId: "3", group: "China", satisfied: true, aspects: 0 },
      ],
      "India",
    );
    expect(turns.map((turn) => turn.group)).toEqual(["B", "A", "B"]);
  });
});
