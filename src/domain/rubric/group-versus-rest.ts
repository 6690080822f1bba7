import type { RatedTurn } from "./statistical-extraction.types.ts";

/** A rated turn labelled with any group name, before it is reduced to two sides. */
export type GroupLabelledTurn = Omit<RatedTurn, "group"> & { group: string };

/**
 * Reduces three or more groups to two sides for extraction: turns of `group` become side A,
 * every other turn side B.
 */
export function groupVersusRest(turns: readonly GroupLabelledTurn[], group: string): RatedTurn[] {
  return turns.map((turn) => ({ ...turn, group: turn.group === group ? "A" : "B" }));
}
