/**
 * Recovery and error rates of statistical extraction on synthetic corpora of 600 to 2,000
 * rated turns, the size of one intent in a realistic log. Group A is more satisfied with
 * numbered steps and group B with short replies, each by 35 points; nothing else diverges.
 * The default run uses 100 seeds; TAILOR_LONG_TESTS=1 runs 400 and prints the measured rates.
 *
 * Why 35 points: it is the smallest multiple of 5 that the default keep rule recovers in at
 * least 95% of runs over this size range. At 600 turns the divergence of an aspect found in
 * a quarter of the replies has a standard error of about 9 points, so a 35-point divergence
 * lies under two standard errors above the 20-point boundary that ℓ = 3 keeps from. With
 * 30-point effects both aspects were kept in 85% of 400 runs (70% of those under 950 turns).
 *
 * Error rates must not exceed alpha over the runs. At most alpha of the planted runs keep an
 * unplanted aspect, at most alpha of the corpora with nothing planted keep anything, and at
 * most alpha of the label-shuffle controls keep anything.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runLabelShuffleControl } from "../../src/domain/rubric/label-shuffle-control.ts";
import { extractStatisticalRubric } from "../../src/domain/rubric/statistical-extraction.ts";
import type { StatisticalExtractionResult } from "../../src/domain/rubric/statistical-extraction.types.ts";
import { generateSyntheticCorpus, SAME_VARIABLE_AS_PLANTED } from "../support/synthetic-corpus.ts";

const LONG = process.env.TAILOR_LONG_TESTS === "1";
const SEEDS = LONG ? 400 : 100;
const ALPHA = 0.05;
const MIN_RECOVERY = 0.95;
const MIN_TURNS = 600;
const MAX_TURNS = 2000;

/** Corpus size for a seed: spread evenly over [600, 2000] across the seeds. */
function sizeFor(seed: number): number {
  return Math.round(MIN_TURNS + ((MAX_TURNS - MIN_TURNS) * ((seed * 7) % SEEDS)) / (SEEDS - 1));
}

function aspect(result: StatisticalExtractionResult, name: string) {
  const found = result.aspects.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`aspect ${name} missing from the result`);
  return found;
}

/**
 * Kept aspects that were not planted. The rule for reply length: `long-reply` is another
 * bucket of the length variable that the planted `short-reply` divides (short, medium, long),
 * so group B's preference for short replies makes it genuinely less satisfied with long
 * ones. A kept `long-reply` therefore counts as the planted brevity effect, not as a false
 * discovery; the "length buckets" test checks its direction.
 */
function unplantedKept(result: StatisticalExtractionResult, planted: readonly string[]): string[] {
  return result.kept.filter(
    (name) => !planted.includes(name) && !SAME_VARIABLE_AS_PLANTED.has(name),
  );
}

interface Trials {
  runs: number;
  stepsRecovered: number;
  shortRecovered: number;
  recoveredBoth: number;
  runsWithUnplanted: number;
  falseDiscoveryProportionSum: number;
  longReplyKept: number;
  longReplyKeptWithBrevityDirection: number;
  nullRunsWithKept: number;
  shuffleRunsWithKept: number;
}

function runTrials(): Trials {
  const trials: Trials = {
    runs: SEEDS,
    stepsRecovered: 0,
    shortRecovered: 0,
    recoveredBoth: 0,
    runsWithUnplanted: 0,
    falseDiscoveryProportionSum: 0,
    longReplyKept: 0,
    longReplyKeptWithBrevityDirection: 0,
    nullRunsWithKept: 0,
    shuffleRunsWithKept: 0,
  };

  for (let seed = 0; seed < SEEDS; seed += 1) {
    const turns = sizeFor(seed);
    const corpus = generateSyntheticCorpus({ seed, turns, planted: true });
    const result = extractStatisticalRubric(corpus, { seed });

    // Right directions: group A gains with steps, group B gains with short replies.
    const steps = aspect(result, "numbered-steps");
    const short = aspect(result, "short-reply");
    const stepsRight =
      steps.kept && steps.adjustedDivergencePoints! > 0 && steps.sides[0].effectPoints! > 0;
    const shortRight =
      short.kept && short.adjustedDivergencePoints! < 0 && short.sides[1].effectPoints! > 0;
    if (stepsRight) trials.stepsRecovered += 1;
    if (shortRight) trials.shortRecovered += 1;
    if (stepsRight && shortRight) trials.recoveredBoth += 1;

    const planted = corpus.planted.map((effect) => effect.aspect);
    const unplanted = unplantedKept(result, planted);
    if (unplanted.length > 0) trials.runsWithUnplanted += 1;
    if (result.kept.length > 0)
      trials.falseDiscoveryProportionSum += unplanted.length / result.kept.length;

    const long = aspect(result, "long-reply");
    if (long.kept) {
      trials.longReplyKept += 1;
      // Brevity seen from the long bucket: group B is less satisfied with long replies.
      if (long.sides[1].effectPoints! < 0) trials.longReplyKeptWithBrevityDirection += 1;
    }

    const nullCorpus = generateSyntheticCorpus({ seed: 10_000 + seed, turns, planted: false });
    if (extractStatisticalRubric(nullCorpus, { seed }).kept.length > 0)
      trials.nullRunsWithKept += 1;

    if (runLabelShuffleControl(corpus, { seed }).result.kept.length > 0)
      trials.shuffleRunsWithKept += 1;
  }

  if (LONG) console.info("statistical extraction trials", trials);
  return trials;
}

describe("statistical extraction on synthetic corpora", () => {
  let trials: Trials;
  beforeAll(() => {
    trials = runTrials();
  });

  it("recovers both planted aspects", () => {
    const rate = trials.recoveredBoth / trials.runs;
    expect(
      rate,
      `both recovered in ${trials.recoveredBoth}/${trials.runs} runs ` +
        `(steps ${trials.stepsRecovered}, short ${trials.shortRecovered})`,
    ).toBeGreaterThanOrEqual(MIN_RECOVERY);
  });

  it("keeps length buckets consistent", () => {
    expect(trials.longReplyKeptWithBrevityDirection).toBe(trials.longReplyKept);
  });

  it("rarely keeps unplanted aspects", () => {
    const runRate = trials.runsWithUnplanted / trials.runs;
    expect(
      runRate,
      `runs with an unplanted aspect: ${trials.runsWithUnplanted}/${trials.runs}`,
    ).toBeLessThanOrEqual(ALPHA);
    const meanProportion = trials.falseDiscoveryProportionSum / trials.runs;
    expect(meanProportion, `mean false discovery proportion ${meanProportion}`).toBeLessThanOrEqual(
      ALPHA,
    );
  });

  it("keeps nothing without planted effects", () => {
    const rate = trials.nullRunsWithKept / trials.runs;
    expect(
      rate,
      `null runs with a kept aspect: ${trials.nullRunsWithKept}/${trials.runs}`,
    ).toBeLessThanOrEqual(ALPHA);
  });

  it("label-shuffle control keeps nothing", () => {
    const rate = trials.shuffleRunsWithKept / trials.runs;
    expect(
      rate,
      `shuffle runs with a kept aspect: ${trials.shuffleRunsWithKept}/${trials.runs}`,
    ).toBeLessThanOrEqual(ALPHA);
  });
});
