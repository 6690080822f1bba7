import { toSlug } from "./output-schemas.ts";

/** Domain → task ids, as intent classifiers declare them. */
export type Taxonomy = Readonly<Record<string, readonly string[]>>;

/** The intent used when nothing in the taxonomy fits. */
export const OTHER_INTENT = { domain: "other", task: "other" } as const;

export interface NormalizedIntent {
  domain: string;
  task: string;
  /** `exact`: the model named a taxonomy pair; `near`: a near miss was mapped; `other`: nothing fit. */
  match: "exact" | "near" | "other";
}

/**
 * Maps a model's domain and task onto the taxonomy. These near misses are mapped:
 * - other letter case or punctuation ("Code Debugging" → `code-debugging`);
 * - a plural;
 * - a small typo (edit distance up to 2, on ids of 5 or more letters);
 * - a known task under the wrong domain, when only one domain has that task.
 * Anything else becomes `other`/`other`, or `<domain>`/`other` when the matched domain
 * declares an `other` task.
 */
export function normalizeIntent(
  domain: string,
  task: string,
  taxonomy: Taxonomy,
): NormalizedIntent {
  const domainSlug = toSlug(domain);
  const taskSlug = toSlug(task);
  const domains = Object.keys(taxonomy);

  const matchedDomain = closest(domainSlug, domains);
  if (matchedDomain) {
    const tasks = taxonomy[matchedDomain.value] ?? [];
    const matchedTask = closest(taskSlug, tasks);
    if (matchedTask) {
      const exact =
        matchedDomain.exact &&
        matchedTask.exact &&
        domain === matchedDomain.value &&
        task === matchedTask.value;
      return {
        domain: matchedDomain.value,
        task: matchedTask.value,
        match: exact ? "exact" : "near",
      };
    }
  }

  // The task alone may identify the pair when exactly one domain declares it.
  const owners = domains.filter((candidate) => closest(taskSlug, taxonomy[candidate] ?? [])?.exact);
  if (owners.length === 1) {
    const owner = owners[0]!;
    return { domain: owner, task: closest(taskSlug, taxonomy[owner] ?? [])!.value, match: "near" };
  }
  if (matchedDomain && (taxonomy[matchedDomain.value] ?? []).includes("other")) {
    return { domain: matchedDomain.value, task: "other", match: "other" };
  }
  return { ...OTHER_INTENT, match: "other" };
}

function closest(
  slug: string,
  candidates: readonly string[],
): { value: string; exact: boolean } | undefined {
  if (slug === "") return undefined;
  const exact = candidates.find((candidate) => candidate === slug);
  if (exact) return { value: exact, exact: true };
  const singular = (value: string) => value.replace(/(?<=[a-z])s\b/g, "");
  const plural = candidates.find((candidate) => singular(candidate) === singular(slug));
  if (plural) return { value: plural, exact: false };
  if (slug.length < 5) return undefined;
  let best: { value: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(slug, candidate);
    if (distance <= 2 && (!best || distance < best.distance)) best = { value: candidate, distance };
  }
  return best ? { value: best.value, exact: false } : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length]!;
}
