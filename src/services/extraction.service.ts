import type { JobContext } from "../../jobs/types.ts";
import { groupVersusRest } from "../domain/rubric/group-versus-rest.ts";
import { runLabelShuffleControl } from "../domain/rubric/label-shuffle-control.ts";
import { extractStatisticalRubric } from "../domain/rubric/statistical-extraction.ts";
import type {
  AspectResult,
  RatedTurn,
  StatisticalExtractionOptions,
  StatisticalExtractionResult,
} from "../domain/rubric/statistical-extraction.types.ts";
import { InvalidInputError } from "../errors.ts";
import { requireDataset, requireGrouping } from "./catalog.lookup.ts";
import { extractRubricsWithLlm, type LlmExtractSummary } from "./llm-extraction.service.ts";
import { LLM_EXTRACTION_DEFAULTS } from "./llm-rubric.store.ts";
import { loadMeasuredTurns, type MeasuredTurn } from "./rated-turns.loader.ts";
import {
  type Comparison,
  comparisonKey,
  type NewRubricAspect,
  REST,
  saveRubricVersion,
} from "./rubric.repository.ts";

export interface ExtractRequest {
  dataset: string;
  grouping: string;
  /** Groups to compare; the grouping's declared groups when omitted. */
  groups?: string[] | undefined;
  method: "STATISTICAL" | "LLM";
  options?: StatisticalExtractionOptions & { shuffleSeed?: number | string } & LlmMethodOptions;
}

/** Options only the LLM method reads; `threshold` is shared with the statistical method. */
export interface LlmMethodOptions {
  minibatchSize?: number | undefined;
  pairing?: "all" | "zip" | undefined;
  maxPairs?: number | undefined;
  /** Prompt plus completion tokens the job may spend. */
  budgetTokens?: number | undefined;
}

export interface ComparisonOutcome {
  domain: string;
  task: string;
  comparison: Comparison;
  rubricId: string;
  version: number;
  turns: { a: number; b: number };
  kept: string[];
  /** Aspects the label-shuffle control kept; it should be empty. */
  shuffleKept: string[];
  emptyReason: string | null;
  detectablePoints: number | null;
}

export interface ExtractSummary {
  dataset: string;
  grouping: string;
  groups: string[];
  method: "STATISTICAL" | "LLM";
  ratedTurns: number;
  aspects: string[];
  comparisons: ComparisonOutcome[];
  detectorFailures: Record<string, number>;
  /** Reason no rubric was written at all; null when at least one intent had rated turns. */
  emptyReason: string | null;
}

/**
 * Extracts a rubric per intent and comparison (two groups directly, three or more each against
 * the rest), runs the label-shuffle control beside each, and stores every result as a new
 * active rubric version.
 */
export async function extractRubrics(
  context: JobContext,
  request: ExtractRequest,
): Promise<ExtractSummary | LlmExtractSummary> {
  const { db, plugins } = context.services;
  const dataset = await requireDataset(db, request.dataset);
  const grouping = await requireGrouping(db, request.grouping);
  const groups = request.groups?.length ? request.groups : grouping.groups;
  const undeclared = groups.filter((group) => !grouping.groups.includes(group));
  if (undeclared.length > 0) {
    throw new InvalidInputError(
      "groups",
      `Group ${JSON.stringify(undeclared[0])} is not declared by grouping "${grouping.name}"; its groups are ${grouping.groups.join(", ")}.`,
    );
  }
  if (new Set(groups).size < 2) {
    throw new InvalidInputError(
      "groups",
      `Extraction compares at least two groups; got ${JSON.stringify(groups)}.`,
    );
  }
  if (request.method === "LLM") {
    const { minibatchSize, pairing, maxPairs, threshold, budgetTokens } = request.options ?? {};
    return extractRubricsWithLlm(context, {
      dataset,
      grouping,
      groups,
      settings: {
        minibatchSize: minibatchSize ?? LLM_EXTRACTION_DEFAULTS.minibatchSize,
        pairing: pairing ?? LLM_EXTRACTION_DEFAULTS.pairing,
        maxPairs: maxPairs ?? LLM_EXTRACTION_DEFAULTS.maxPairs,
        threshold: threshold ?? LLM_EXTRACTION_DEFAULTS.threshold,
      },
      budgetTokens,
    });
  }

  await context.progress({ stage: "measure", done: 0, total: null });
  const measured = await loadMeasuredTurns(
    db,
    { datasetId: dataset.id, groupingId: grouping.id, groups },
    plugins.aspectDetectors(),
    (loaded) => context.progress({ stage: "measure", done: loaded, total: null }),
  );
  const aspectLabels = measured.aspects.map(({ name, phrase }) => ({ name, phrase }));

  const byIntent = new Map<string, MeasuredTurn[]>();
  for (const turn of measured.turns) {
    const key = `${turn.domain}/${turn.task}`;
    const list = byIntent.get(key) ?? [];
    list.push(turn);
    byIntent.set(key, list);
  }
  const comparisons: Comparison[] =
    groups.length === 2
      ? [{ a: groups[0]!, b: groups[1]! }]
      : groups.map((group) => ({ a: group, b: REST }));
  const intents = [...byIntent.keys()].sort();
  const total = intents.length * comparisons.length;
  const outcomes: ComparisonOutcome[] = [];
  const options = { ...request.options };

  for (const intent of intents) {
    const [domain, task] = intent.split("/") as [string, string];
    for (const comparison of comparisons) {
      const turns = sides(byIntent.get(intent)!, comparison);
      const groupNames = [
        `${comparison.a} users`,
        comparison.b === REST ? `users outside ${comparison.a}` : `${comparison.b} users`,
      ] as const;
      const input = { aspects: aspectLabels, turns, groupNames };
      const result = extractStatisticalRubric(input, options);
      const control = runLabelShuffleControl(input, options);
      const saved = await saveRubricVersion(db, {
        datasetId: dataset.id,
        groupingId: grouping.id,
        domain,
        task,
        comparison,
        method: "STATISTICAL",
        jobId: context.jobId,
        parameters: { ...result.options, seed: String(result.options.seed) },
        summary: {
          turns: { a: result.turns.A, b: result.turns.B },
          tested: result.tested,
          kept: result.kept,
          nothingKept: result.nothingKept,
          detectable: result.detectable,
          shuffleControl: {
            shuffleSeed: String(control.shuffleSeed),
            tested: control.result.tested,
            kept: control.result.kept,
          },
          detectorFailures: measured.detectorFailures,
        },
        aspects: result.aspects.map((aspect) => toStoredAspect(aspect, comparison)),
      });
      outcomes.push({
        domain,
        task,
        comparison,
        rubricId: saved.id,
        version: saved.version,
        turns: { a: result.turns.A, b: result.turns.B },
        kept: [...result.kept],
        shuffleKept: [...control.result.kept],
        emptyReason: result.nothingKept?.message ?? null,
        detectablePoints: result.detectable?.points ?? null,
      });
      await context.progress({ stage: "extract", done: outcomes.length, total });
    }
  }

  return {
    dataset: dataset.name,
    grouping: grouping.name,
    groups,
    method: "STATISTICAL",
    ratedTurns: measured.turns.length,
    aspects: aspectLabels.map((aspect) => aspect.name),
    comparisons: outcomes,
    detectorFailures: measured.detectorFailures,
    emptyReason:
      measured.turns.length === 0
        ? `No SAT or DSAT assistant turn of dataset "${dataset.name}" belongs to a conversation with a group among ${groups.join(", ")} and an intent; label the dataset first, or check the judge's counts.`
        : null,
  };
}

/** Turns of one comparison: side A is `comparison.a`, side B the other group or the rest. */
function sides(turns: readonly MeasuredTurn[], comparison: Comparison): RatedTurn[] {
  if (comparison.b === REST) return groupVersusRest(turns, comparison.a);
  return turns
    .filter((turn) => turn.group === comparison.a || turn.group === comparison.b)
    .map((turn) => ({ ...turn, group: turn.group === comparison.a ? "A" : "B" }));
}

function toStoredAspect(aspect: AspectResult, comparison: Comparison): NewRubricAspect {
  const [a, b] = aspect.sides;
  const preference = (effect: number | null) =>
    effect === null
      ? "not measurable"
      : effect > 0
        ? "prefers it"
        : effect < 0
          ? "prefers its absence"
          : "indifferent";
  return {
    aspect: aspect.name,
    kept: aspect.kept,
    significance: aspect.significance ?? 0,
    description: aspect.description,
    preferences: {
      a: {
        group: comparison.a,
        effectPoints: a.effectPoints,
        preference: preference(a.effectPoints),
        turnsWith: a.withAspect.turns,
        turnsWithout: a.withoutAspect.turns,
      },
      b: {
        group: comparison.b,
        effectPoints: b.effectPoints,
        preference: preference(b.effectPoints),
        turnsWith: b.withAspect.turns,
        turnsWithout: b.withoutAspect.turns,
      },
    },
    statistics: {
      phrase: aspect.phrase,
      status: aspect.status,
      divergencePoints: aspect.divergencePoints,
      standardErrorPoints: aspect.standardErrorPoints,
      adjustedDivergencePoints: aspect.adjustedDivergencePoints,
      pValue: aspect.pValue,
      qValue: aspect.qValue,
      detectablePoints: aspect.detectablePoints,
      sides: aspect.sides,
    },
    evidence: aspect.evidence.map((turn) => ({
      ...turn,
      group: turn.side === "A" ? comparison.a : comparison.b,
    })),
  };
}

export type { StatisticalExtractionResult };
export { comparisonKey };
