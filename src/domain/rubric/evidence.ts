import { hasAspect, type PackedTurns, type SideCounts } from "./packed-turns.ts";
import type { EvidenceTurn, GroupSide } from "./statistical-extraction.types.ts";

const SIDES: readonly GroupSide[] = ["A", "B"];

/**
 * Picks up to `limit` turns that show the aspect, shared as evenly as possible among the four
 * cells (A SAT, A DSAT, B SAT, B DSAT). A cell with fewer turns passes its share on. Within a
 * cell the picks are evenly spaced over input order, so the sample is deterministic and not
 * bunched at the start. The result lists the turns cell by cell.
 */
export function selectEvidence(
  packed: PackedTurns,
  sides: readonly [SideCounts, SideCounts],
  aspect: number,
  limit: number,
): EvidenceTurn[] {
  // Cell index: side × 2 + (satisfied ? 0 : 1).
  const available = sides.flatMap((counts) => [
    counts.withSatisfied[aspect]!,
    counts.withTurns[aspect]! - counts.withSatisfied[aspect]!,
  ]);
  const quota = [0, 0, 0, 0];
  let remaining = limit;
  while (remaining > 0) {
    let granted = false;
    for (let cell = 0; cell < 4 && remaining > 0; cell += 1) {
      if (quota[cell]! < available[cell]!) {
        quota[cell]! += 1;
        remaining -= 1;
        granted = true;
      }
    }
    if (!granted) break;
  }

  const picked: number[][] = [[], [], [], []];
  const seen = [0, 0, 0, 0];
  for (let turn = 0; turn < packed.count; turn += 1) {
    if (!hasAspect(packed, turn, aspect)) continue;
    const cell = packed.side[turn]! * 2 + (packed.satisfied[turn] === 1 ? 0 : 1);
    const rank = seen[cell]!;
    seen[cell] = rank + 1;
    const cellPicks = picked[cell]!;
    const wanted = quota[cell]!;
    if (
      cellPicks.length < wanted &&
      rank === Math.floor((cellPicks.length * available[cell]!) / wanted)
    ) {
      cellPicks.push(turn);
    }
  }

  return picked.flatMap((turns, cell) =>
    turns.map((turn) => ({
      turnId: packed.turnIds[turn]!,
      side: SIDES[cell >> 1]!,
      satisfied: cell % 2 === 0,
    })),
  );
}
