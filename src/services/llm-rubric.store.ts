import type { Db } from "../db/database.ts";
import {
  DEFAULT_MINIBATCH_SIZE,
  DEFAULT_RUBRIC_THRESHOLD,
  type FinishedChain,
  type PipelineComparison,
} from "../llm/index.ts";
import type { ExplanationItem } from "../prompts/index.ts";
import {
  type Comparison,
  type NewRubricAspect,
  REST,
  saveRubricVersion,
} from "./rubric.repository.ts";

/** Settings of an LLM extraction, stored as the rubric's parameters. */
export interface LlmExtractionSettings {
  minibatchSize: number;
  pairing: "all" | "zip";
  maxPairs: number | undefined;
  threshold: number;
}

/** Defaults of LLM rubric extraction in Tailor's jobs; see `extractRubricWithLlm`. */
export const LLM_EXTRACTION_DEFAULTS = {
  minibatchSize: DEFAULT_MINIBATCH_SIZE,
  /** Linear in the minibatches; `all` is the GPA paper's exhaustive pairing. */
  pairing: "zip",
  /** Bounds each comparison's chain of calls, so one large intent cannot hold up the run. */
  maxPairs: 32,
  threshold: DEFAULT_RUBRIC_THRESHOLD,
} as const satisfies LlmExtractionSettings;

/** Source of an explanation item: its assistant message and conversation. */
export interface ItemSource {
  turnId: number;
  conversationId: number;
}

export interface LlmRubricRecord {
  datasetId: string;
  groupingId: string;
  jobId: string;
  settings: LlmExtractionSettings;
  /** `llm:<model>` of the extraction task, and the prompt version. */
  source: { plugin: string; version: string };
  finished: FinishedChain<Comparison>;
  /** Maps an explanation item id back to its turn. */
  sourceOf(itemId: string): ItemSource | undefined;
}

/** The outcome of one comparison, as job results list them. */
export interface LlmComparisonOutcome {
  domain: string;
  task: string;
  comparison: Comparison;
  rubricId: string;
  version: number;
  explanations: { a: number; b: number };
  pairs: { done: number; total: number };
  kept: string[];
  emptyReason: string | null;
}

/** Side names as prompts and stored rubrics show them, matching the statistical method's. */
export function sideNames(comparison: Comparison): readonly [string, string] {
  return [
    `${comparison.a} users`,
    comparison.b === REST ? `users outside ${comparison.a}` : `${comparison.b} users`,
  ];
}

/**
 * Stores one LLM rubric as a new active version in the data model the statistical method uses:
 * the same aspects table, with each side's preference as text and `effectPoints` null, and
 * the explanations behind each aspect as evidence.
 */
export async function storeLlmRubric(
  db: Db,
  record: LlmRubricRecord,
): Promise<LlmComparisonOutcome> {
  const { spec, plan, result, items } = record.finished;
  const comparison = spec.meta;
  const [nameA, nameB] = spec.names;
  const sideOf = new Map<string, { side: "A" | "B"; item: ExplanationItem }>();
  for (const item of items.a) sideOf.set(item.id, { side: "A", item });
  for (const item of items.b) sideOf.set(item.id, { side: "B", item });

  const aspects: NewRubricAspect[] = result.aspects.map((aspect) => ({
    aspect: aspect.name,
    kept: aspect.kept,
    significance: aspect.significance,
    description: aspect.description,
    preferences: {
      a: { group: comparison.a, effectPoints: null, preference: aspect.preferences[nameA] ?? "" },
      b: { group: comparison.b, effectPoints: null, preference: aspect.preferences[nameB] ?? "" },
    },
    statistics: { evidenceCount: aspect.evidence.length },
    evidence: aspect.evidence.flatMap((id) => {
      const entry = sideOf.get(id);
      const source = record.sourceOf(id);
      if (!entry || !source) return [];
      return [
        {
          turnId: String(source.turnId),
          conversationId: String(source.conversationId),
          side: entry.side,
          group: entry.side === "A" ? comparison.a : comparison.b,
          satisfied: entry.item.judgment === "SAT",
          expectation: entry.item.expectation,
        },
      ];
    }),
  }));

  const kept = result.aspects.filter((aspect) => aspect.kept).map((aspect) => aspect.name);
  let emptySide: string | null = null;
  if (items.a.length === 0) emptySide = nameA;
  else if (items.b.length === 0) emptySide = nameB;
  const emptyReason = emptySide
    ? `No SAT or DSAT explanations from ${emptySide} for ${spec.intent.domain}/${spec.intent.task}, so there is nothing to compare.`
    : kept.length === 0
      ? `No aspect was rated above ${record.settings.threshold}: the groups' explanations do not diverge enough.`
      : null;
  const saved = await saveRubricVersion(db, {
    datasetId: record.datasetId,
    groupingId: record.groupingId,
    domain: spec.intent.domain,
    task: spec.intent.task,
    comparison,
    method: "LLM",
    jobId: record.jobId,
    parameters: {
      ...record.settings,
      maxPairs: record.settings.maxPairs ?? null,
      minibatchSizeUsed: plan.minibatchSize,
      model: record.source.plugin,
      promptVersion: record.source.version,
    },
    summary: {
      explanations: { a: items.a.length, b: items.b.length },
      pairs: result.pairs,
      failures: result.failures,
      unknownEvidence: result.unknownEvidence,
      kept,
      ...(emptyReason ? { nothingKept: { message: emptyReason } } : {}),
    },
    aspects,
  });
  return {
    domain: spec.intent.domain,
    task: spec.intent.task,
    comparison,
    rubricId: saved.id,
    version: saved.version,
    explanations: { a: items.a.length, b: items.b.length },
    pairs: result.pairs,
    kept,
    emptyReason,
  };
}

/** Lists the comparisons of an extraction: two groups directly, three or more each against the rest. */
export function comparisonsOf(groups: readonly string[]): Comparison[] {
  return groups.length === 2
    ? [{ a: groups[0]!, b: groups[1]! }]
    : groups.map((group) => ({ a: group, b: REST }));
}

/** Converts the comparisons for the pipeline: the groups on each side and the prompt names. */
export function pipelineComparisons(groups: readonly string[]): PipelineComparison<Comparison>[] {
  return comparisonsOf(groups).map((comparison) => ({
    meta: comparison,
    names: sideNames(comparison),
    sideA: [comparison.a],
    sideB:
      comparison.b === REST ? groups.filter((group) => group !== comparison.a) : [comparison.b],
  }));
}
