import { type Seed, SeededRandom, shufflePrefixInPlace } from "../statistics/random.ts";
import { extractStatisticalRubric } from "./statistical-extraction.ts";
import {
  DEFAULT_EXTRACTION_OPTIONS,
  type RatedTurn,
  type StatisticalExtractionInput,
  type StatisticalExtractionOptions,
  type StatisticalExtractionResult,
} from "./statistical-extraction.types.ts";

export interface LabelShuffleControlOptions extends StatisticalExtractionOptions {
  /** Seed of the label shuffle; defaults to one derived from `seed`. */
  shuffleSeed?: Seed;
}

export interface LabelShuffleControl {
  /** The extraction on shuffled labels; it should keep nothing when the method is sound. */
  result: StatisticalExtractionResult;
  shuffleSeed: Seed;
}

/**
 * Runs the same extraction after permuting the group labels of the turns at random (seeded),
 * keeping each group's size. Any link between group and aspect effects is broken, so an
 * aspect kept here is a false discovery; report this result beside the real one.
 */
export function runLabelShuffleControl(
  input: StatisticalExtractionInput,
  options: LabelShuffleControlOptions = {},
): LabelShuffleControl {
  const { shuffleSeed: requested, ...extractionOptions } = options;
  const shuffleSeed =
    requested ?? `label-shuffle:${String(options.seed ?? DEFAULT_EXTRACTION_OPTIONS.seed)}`;

  const labels: RatedTurn["group"][] = input.turns.map((turn) => turn.group);
  shufflePrefixInPlace(labels, labels.length, new SeededRandom(shuffleSeed));
  const turns = input.turns.map((turn, index) => ({ ...turn, group: labels[index]! }));

  return { result: extractStatisticalRubric({ ...input, turns }, extractionOptions), shuffleSeed };
}
