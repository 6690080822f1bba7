/**
 * Rated turns checked and packed into typed arrays: side, judgment and aspect bits per turn,
 * plus the per-aspect cell counts the extraction and the permutation test start from.
 */
import { InvalidInputError } from "../../errors.ts";
import type { PermutationDesign } from "../statistics/permutation.ts";
import type { AspectLabel, RatedTurn } from "./statistical-extraction.types.ts";

export interface PackedTurns {
  count: number;
  aspectCount: number;
  turnIds: readonly string[];
  /** 0 for side A, 1 for side B. */
  side: Uint8Array;
  satisfied: Uint8Array;
  /** Aspect bits: turn i, aspect k is bit (k % 32) of word i × wordsPerTurn + ⌊k / 32⌋. */
  aspectWords: Uint32Array;
  wordsPerTurn: number;
}

/** Per-aspect counts of one side. */
export interface SideCounts {
  turns: number;
  satisfied: number;
  withTurns: Int32Array;
  withSatisfied: Int32Array;
}

const MAX_BITMASK_ASPECTS = 32;

function sideIndex(turn: RatedTurn, position: number): 0 | 1 {
  const { group } = turn;
  if (group === "A" || group === 0) return 0;
  if (group === "B" || group === 1) return 1;
  throw new InvalidInputError(
    "turns.group",
    `Turn ${position} (${JSON.stringify(turn.turnId)}) has group ${JSON.stringify(group)}; use "A", "B", 0 or 1.`,
  );
}

/** Checks the aspect labels: at least one, and unique names. */
export function checkAspectLabels(aspects: readonly AspectLabel[]): void {
  if (aspects.length === 0) {
    throw new InvalidInputError(
      "aspects",
      "No aspects were given; pass the aspects the turns were measured on.",
    );
  }
  const seen = new Set<string>();
  for (const aspect of aspects) {
    if (seen.has(aspect.name)) {
      throw new InvalidInputError(
        "aspects",
        `Aspect ${JSON.stringify(aspect.name)} is listed twice; names must be unique.`,
      );
    }
    seen.add(aspect.name);
  }
}

/** Validates the turns and packs them; throws InvalidInputError naming the first bad turn. */
export function packTurns(turns: readonly RatedTurn[], aspectCount: number): PackedTurns {
  const count = turns.length;
  const wordsPerTurn = Math.max(1, Math.ceil(aspectCount / 32));
  const side = new Uint8Array(count);
  const satisfied = new Uint8Array(count);
  const aspectWords = new Uint32Array(count * wordsPerTurn);
  const turnIds: string[] = new Array(count);
  const seenIds = new Set<string>();

  for (let index = 0; index < count; index += 1) {
    const turn = turns[index]!;
    if (typeof turn.turnId !== "string" || turn.turnId === "" || seenIds.has(turn.turnId)) {
      throw new InvalidInputError(
        "turns.turnId",
        `Turn ${index} has turn id ${JSON.stringify(turn.turnId)}; ids must be non-empty and unique within the intent.`,
      );
    }
    seenIds.add(turn.turnId);
    turnIds[index] = turn.turnId;
    side[index] = sideIndex(turn, index);
    if (typeof turn.satisfied !== "boolean") {
      throw new InvalidInputError(
        "turns.satisfied",
        `Turn ${JSON.stringify(turn.turnId)} has no boolean "satisfied".`,
      );
    }
    satisfied[index] = turn.satisfied ? 1 : 0;
    packAspects(turn, aspectCount, aspectWords, index * wordsPerTurn);
  }
  return { count, aspectCount, turnIds, side, satisfied, aspectWords, wordsPerTurn };
}

function packAspects(
  turn: RatedTurn,
  aspectCount: number,
  words: Uint32Array,
  offset: number,
): void {
  const { aspects } = turn;
  if (typeof aspects === "number") {
    if (aspectCount > MAX_BITMASK_ASPECTS) {
      throw new InvalidInputError(
        "turns.aspects",
        `Turn ${JSON.stringify(turn.turnId)} gives a bitmask, but there are ${aspectCount} aspects; bitmasks hold at most 32, so pass a boolean array.`,
      );
    }
    // Bit 31 set by `|` or `<<` gives a negative int32, so those are read as unsigned.
    const inInt32Range =
      Number.isInteger(aspects) && aspects >= -(2 ** 31) && aspects <= 0xffffffff;
    const unsigned = aspects >>> 0;
    const beyondAspects = aspectCount < 32 && unsigned >>> aspectCount !== 0;
    if (!inInt32Range || beyondAspects) {
      throw new InvalidInputError(
        "turns.aspects",
        `Turn ${JSON.stringify(turn.turnId)} has aspect bitmask ${aspects}; it must be an integer with bits 0 to ${aspectCount - 1} only, one per aspect.`,
      );
    }
    words[offset] = unsigned;
    return;
  }
  if (!Array.isArray(aspects) || aspects.length > aspectCount) {
    throw new InvalidInputError(
      "turns.aspects",
      `Turn ${JSON.stringify(turn.turnId)} must give a bitmask or at most ${aspectCount} booleans, one per aspect.`,
    );
  }
  for (let aspect = 0; aspect < aspects.length; aspect += 1) {
    if (aspects[aspect] === true) words[offset + (aspect >>> 5)]! |= 1 << (aspect & 31);
  }
}

/** Tells whether turn `turn` shows aspect `aspect`. */
export function hasAspect(packed: PackedTurns, turn: number, aspect: number): boolean {
  const word = packed.aspectWords[turn * packed.wordsPerTurn + (aspect >>> 5)]!;
  return ((word >>> (aspect & 31)) & 1) === 1;
}

/** Counts, for each side, its turns, satisfied turns, and both per aspect. */
export function countBySide(packed: PackedTurns): [SideCounts, SideCounts] {
  const sides: [SideCounts, SideCounts] = [0, 1].map(() => ({
    turns: 0,
    satisfied: 0,
    withTurns: new Int32Array(packed.aspectCount),
    withSatisfied: new Int32Array(packed.aspectCount),
  })) as [SideCounts, SideCounts];

  for (let turn = 0; turn < packed.count; turn += 1) {
    const counts = sides[packed.side[turn]!]!;
    const isSatisfied = packed.satisfied[turn] === 1;
    counts.turns += 1;
    if (isSatisfied) counts.satisfied += 1;
    for (let aspect = 0; aspect < packed.aspectCount; aspect += 1) {
      if (!hasAspect(packed, turn, aspect)) continue;
      counts.withTurns[aspect]! += 1;
      if (isSatisfied) counts.withSatisfied[aspect]! += 1;
    }
  }
  return sides;
}

/**
 * Builds the permutation design over the tested aspects (`tested` contains aspect indices; the
 * design refers to them by position in that list). Observed |divergence| values are left at
 * zero for the caller to fill.
 */
export function buildPermutationDesign(
  packed: PackedTurns,
  sides: readonly [SideCounts, SideCounts],
  tested: readonly number[],
): { design: PermutationDesign; countedSide: 0 | 1 } {
  const countedSide: 0 | 1 = sides[0].turns <= sides[1].turns ? 0 : 1;
  const patternIds = new Map<string, number>();
  const patternSatisfied: number[] = [];
  const patternAspectLists: number[][] = [];
  const patternOfTurn = new Int32Array(packed.count);

  for (let turn = 0; turn < packed.count; turn += 1) {
    const present: number[] = [];
    for (let position = 0; position < tested.length; position += 1) {
      if (hasAspect(packed, turn, tested[position]!)) present.push(position);
    }
    const key = `${packed.satisfied[turn]}:${present.join(",")}`;
    let id = patternIds.get(key);
    if (id === undefined) {
      id = patternSatisfied.length;
      patternIds.set(key, id);
      patternSatisfied.push(packed.satisfied[turn]!);
      patternAspectLists.push(present);
    }
    patternOfTurn[turn] = id;
  }

  const patternAspectStart = new Int32Array(patternAspectLists.length + 1);
  for (let pattern = 0; pattern < patternAspectLists.length; pattern += 1) {
    patternAspectStart[pattern + 1] =
      patternAspectStart[pattern]! + patternAspectLists[pattern]!.length;
  }
  const patternAspects = Int32Array.from(patternAspectLists.flat());

  const [first, second] = sides;
  const design: PermutationDesign = {
    patternOfTurn,
    patternSatisfied: Uint8Array.from(patternSatisfied),
    patternAspectStart,
    patternAspects,
    testedCount: tested.length,
    countedGroupSize: sides[countedSide].turns,
    totals: {
      turns: first.turns + second.turns,
      satisfied: first.satisfied + second.satisfied,
      withTurns: Int32Array.from(
        tested,
        (aspect) => first.withTurns[aspect]! + second.withTurns[aspect]!,
      ),
      withSatisfied: Int32Array.from(
        tested,
        (aspect) => first.withSatisfied[aspect]! + second.withSatisfied[aspect]!,
      ),
    },
    observed: new Float64Array(tested.length),
  };
  return { design, countedSide };
}
