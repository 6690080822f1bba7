export interface AspectVersion {
  name: string;
  kept: boolean;
  significance: number;
}

export interface RubricAspectDiff {
  added: string[];
  removed: string[];
  changed: {
    name: string;
    fromSignificance: number | null;
    toSignificance: number | null;
    fromKept: boolean;
    toKept: boolean;
  }[];
}

/** Compares the aspects of two versions of one rubric: kept aspects added, removed, or re-rated. */
export function diffRubricAspects(
  from: readonly AspectVersion[],
  to: readonly AspectVersion[],
): RubricAspectDiff {
  const before = new Map(from.map((aspect) => [aspect.name, aspect]));
  const after = new Map(to.map((aspect) => [aspect.name, aspect]));
  const added = to
    .filter((aspect) => aspect.kept && !before.get(aspect.name)?.kept)
    .map((aspect) => aspect.name);
  const removed = from
    .filter((aspect) => aspect.kept && !after.get(aspect.name)?.kept)
    .map((aspect) => aspect.name);
  const changed: RubricAspectDiff["changed"] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(name);
    const current = after.get(name);
    if (old?.significance === current?.significance && old?.kept === current?.kept) continue;
    changed.push({
      name,
      fromSignificance: old?.significance ?? null,
      toSignificance: current?.significance ?? null,
      fromKept: old?.kept ?? false,
      toKept: current?.kept ?? false,
    });
  }
  return {
    added: added.sort(),
    removed: removed.sort(),
    changed: changed.sort((x, y) => x.name.localeCompare(y.name)),
  };
}
