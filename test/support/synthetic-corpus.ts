/**
 * Synthetic labelled corpora for testing statistical rubric extraction: rated turns of one
 * intent with two groups, aspect flags at rates close to the built-in detectors' rates on
 * real assistant replies, and optionally two planted divergences:
 *
 * - group A is more satisfied when replies use numbered steps;
 * - group B is more satisfied when replies are short.
 *
 * Nothing else diverges. Two aspects lower or raise satisfaction equally in both groups
 * (refusal, code-block), and several unplanted aspects are correlated with each other, as in
 * real replies, but independent of the planted ones and of reply length.
 */
import type {
  AspectLabel,
  RatedTurn,
} from "../../src/domain/rubric/statistical-extraction.types.ts";
import { SeededRandom } from "../../src/domain/statistics/random.ts";

export const SYNTHETIC_ASPECTS: readonly AspectLabel[] = [
  { name: "numbered-steps", phrase: "used numbered steps" },
  { name: "bullet-points", phrase: "used bullet points" },
  { name: "code-block", phrase: "included a code block" },
  { name: "headings", phrase: "used headings" },
  { name: "table", phrase: "included a table" },
  { name: "short-reply", phrase: "were short (under 50 words)" },
  { name: "long-reply", phrase: "were long (200 words or more)" },
  { name: "concrete-examples", phrase: "gave concrete examples" },
  { name: "analogy", phrase: "used an analogy" },
  { name: "links-or-references", phrase: "cited links or references" },
  { name: "verify-advice", phrase: "advised testing or verifying" },
  { name: "clarifying-question", phrase: "asked the user a clarifying question" },
  { name: "apology", phrase: "apologized" },
  { name: "refusal", phrase: "refused the request" },
  { name: "hedging", phrase: "hedged" },
  { name: "second-person", phrase: "addressed the user directly as you" },
  { name: "emoji", phrase: "used emoji" },
];

const INDEX = new Map(SYNTHETIC_ASPECTS.map((aspect, index) => [aspect.name, index]));

/** A planted divergence: the side whose SAT rate rises by `effectPoints` with the aspect. */
export interface PlantedEffect {
  aspect: string;
  side: "A" | "B";
  effectPoints: number;
}

export interface SyntheticCorpusOptions {
  seed: number;
  /** Rated turns in the corpus. */
  turns: number;
  /** Plant the two divergences; false gives a corpus where no aspect diverges. */
  planted: boolean;
  /**
   * Size of each planted effect in SAT-rate points. The default, 35, is the smallest multiple
   * of 5 that extraction with default options keeps in at least 95% of corpora of 600 to 2,000
   * turns. At 30 points it keeps both planted aspects in about 85% of them.
   */
  plantedEffectPoints?: number;
  /** Share of turns in group A. */
  groupAShare?: number;
}

export interface SyntheticCorpus {
  aspects: readonly AspectLabel[];
  turns: RatedTurn[];
  groupNames: readonly [string, string];
  planted: readonly PlantedEffect[];
}

/** Aspects that come from the same measured variable as a planted aspect (reply length). */
export const SAME_VARIABLE_AS_PLANTED: ReadonlyMap<string, string> = new Map([
  ["long-reply", "short-reply"],
]);

function flag(random: SeededRandom, probability: number): boolean {
  return random.nextFloat() < probability;
}

/** Generates one corpus; the same options give the same corpus. */
export function generateSyntheticCorpus(options: SyntheticCorpusOptions): SyntheticCorpus {
  const random = new SeededRandom(`synthetic-corpus:${options.seed}`);
  const plantedPoints = options.plantedEffectPoints ?? 35;
  const groupAShare = options.groupAShare ?? 0.6;
  const planted: PlantedEffect[] = options.planted
    ? [
        { aspect: "numbered-steps", side: "A", effectPoints: plantedPoints },
        { aspect: "short-reply", side: "B", effectPoints: plantedPoints },
      ]
    : [];

  const turns: RatedTurn[] = [];
  for (let index = 0; index < options.turns; index += 1) {
    const side = random.nextFloat() < groupAShare ? "A" : "B";
    const present = new Set<string>();
    const mark = (name: string, probability: number) => {
      if (flag(random, probability)) present.add(name);
    };

    // Length: one of three buckets, independent of every other aspect.
    const lengthDraw = random.nextFloat();
    if (lengthDraw < 0.35) present.add("short-reply");
    else if (lengthDraw >= 0.76) present.add("long-reply");

    mark("numbered-steps", 0.25);

    // A latent "formatted" reply brings bullets, headings and tables together.
    const formatted = flag(random, 0.2);
    mark("bullet-points", formatted ? 0.25 : 0.03);
    mark("headings", formatted ? 0.1 : 0.01);
    mark("table", formatted ? 0.04 : 0.002);

    // A declined request brings apologies, hedges and questions back.
    const refused = flag(random, 0.06);
    if (refused) present.add("refusal");
    mark("apology", refused ? 0.5 : 0.06);
    mark("hedging", refused ? 0.25 : 0.08);
    mark("clarifying-question", refused ? 0.2 : 0.06);

    // Code comes with advice to test it and with links to documentation.
    const code = flag(random, 0.1);
    if (code) present.add("code-block");
    mark("verify-advice", code ? 0.15 : 0.02);
    mark("links-or-references", code ? 0.08 : 0.03);

    mark("concrete-examples", 0.21);
    mark("second-person", 0.26);
    mark("analogy", 0.02);
    // Emoji differ in frequency between groups, but not in their effect.
    mark("emoji", side === "A" ? 0.01 : 0.03);

    // Satisfaction: different base rates per group, two effects shared by both groups, and
    // the planted effects.
    let satProbability = side === "A" ? 0.45 : 0.5;
    if (present.has("refusal")) satProbability -= 0.2;
    if (present.has("code-block")) satProbability += 0.05;
    for (const effect of planted) {
      if (effect.side === side && present.has(effect.aspect))
        satProbability += effect.effectPoints / 100;
    }

    const aspects = SYNTHETIC_ASPECTS.map((aspect) => present.has(aspect.name));
    turns.push({
      turnId: `synthetic-${options.seed}-${index}`,
      group: side,
      satisfied: flag(random, satProbability),
      aspects,
    });
  }
  return {
    aspects: SYNTHETIC_ASPECTS,
    turns,
    groupNames: ["group A users", "group B users"],
    planted,
  };
}

/** Index of a synthetic aspect by name, for building bitmasks in tests. */
export function syntheticAspectIndex(name: string): number {
  const index = INDEX.get(name);
  if (index === undefined) throw new Error(`Unknown synthetic aspect ${JSON.stringify(name)}.`);
  return index;
}
