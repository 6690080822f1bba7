/**
 * Recovery and error rates of statistical extraction on synthetic corpora with planted
 * divergences (group A likes numbered steps, group B likes short replies). The default run
 * uses 100 seeds; TAILOR_LONG_TESTS=1 runs 400 and prints the measured rates.
 *
 * Rates that should be at most (or at least) a target are checked against the target plus
 * (or minus) two binomial standard errors over the runs, because the seeds are a sample.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { runLabelShuffleControl } from "../../src/domain/rubric/label-shuffle-control.ts";
import { extractStatisticalRubric } from "../../src/domain/rubric/statistical-extraction.ts";
import type { StatisticalExtractionResult } from "../../src/domain/rubric/statistical-extraction.types.ts";
import { generateSyntheticCorpus, SAME_VARIABLE_AS_PLANTED } from "../support/synthetic-corpus.ts";

const LONG = process.env.TAILOR_LONG_TESTS === "1";
const SEEDS = LONG ? 400 : 100;
const ALPHA = 0.05;
const MIN_TURNS = 600;
const MAX_TURNS = 2000;

/** Target plus two binomial standard errors of a rate measured over the runs. */
function upperMargin(target: number): number {
  return target + 2 * Math.sqrt((target * (1 - target)) / SEEDS);
}

/** Corpus size for a seed: spread evenly over [600, 2000] across the seeds. */
function sizeFor(seed: number): number {
  return Math.round(MIN_TURNS + ((MAX_TURNS - MIN_TURNS) * ((seed * 7) % SEEDS)) / (SEEDS - 1));
}

function aspect(result: StatisticalExtractionResult, name: string) {
  const found = result.aspects.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`aspect ${name} missing from the result`);
  return found;
}

/** Kept aspects that were not planted and do not measure the same variable as a planted one. */
function unplantedKept(result: StatisticalExtractionResult, planted: readonly string[]): string[] {
  return result.kept.filter(
    (name) => !planted.includes(name) && !SAME_VARIABLE_AS_PLANTED.has(name),
  );
}

interface Trials {
  runs: number;
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

    const steps = aspect(result, "numbered-steps");
    const short = aspect(result, "short-reply");
    const stepsRight =
      steps.kept && steps.divergencePoints! > 0 && steps.sides[0].effectPoints! > 0;
    const shortRight =
      short.kept && short.divergencePoints! < 0 && short.sides[1].effectPoints! > 0;
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
      `both recovered in ${trials.recoveredBoth}/${trials.runs} runs`,
    ).toBeGreaterThanOrEqual(0.9);
  });

  it("keeps length buckets consistent", () => {
    // long-reply measures the same length variable as the planted short-reply; when kept,
    // it must show group B's preference for brevity.
    expect(trials.longReplyKeptWithBrevityDirection).toBe(trials.longReplyKept);
  });

  it("bounds false discoveries", () => {
    const meanProportion = trials.falseDiscoveryProportionSum / trials.runs;
    expect(meanProportion, `mean false discovery proportion ${meanProportion}`).toBeLessThanOrEqual(
      upperMargin(ALPHA),
    );
    // Benjamini–Hochberg controls the expected share of false discoveries, not the chance of
    // any: with two true discoveries, each null aspect passes at q < alpha when its p-value is
    // at most 3·alpha/m, so runs with one false aspect reach about 3·alpha·m0/m at most.
    const runRate = trials.runsWithUnplanted / trials.runs;
    expect(
      runRate,
      `runs with an unplanted aspect: ${trials.runsWithUnplanted}/${trials.runs}`,
    ).toBeLessThanOrEqual(3 * ALPHA);
  });

  it("keeps nothing without planted effects", () => {
    const rate = trials.nullRunsWithKept / trials.runs;
    expect(
      rate,
      `null runs with a kept aspect: ${trials.nullRunsWithKept}/${trials.runs}`,
    ).toBeLessThanOrEqual(upperMargin(ALPHA));
  });

  it("label-shuffle control keeps nothing", () => {
    const rate = trials.shuffleRunsWithKept / trials.runs;
    expect(
      rate,
      `shuffle runs with a kept aspect: ${trials.shuffleRunsWithKept}/${trials.runs}`,
    ).toBeLessThanOrEqual(upperMargin(ALPHA));
  });
});
