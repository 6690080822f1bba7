import type { Selectable } from "kysely";
import { toSnapshot } from "../../jobs/progress-bus.ts";
import type { RubricAspectsTable, RubricsTable } from "../db/tables.ts";
import { resolveExtractionOptions } from "../domain/rubric/extraction-options.ts";
import { diffRubricAspects } from "../domain/rubric/rubric-diff.ts";
import { InvalidInputError, NotFoundError, UnavailableError } from "../errors.ts";
import { requireDataset, requireGrouping } from "../services/catalog.lookup.ts";
import { parseComparison, REST } from "../services/rubric.repository.ts";
import { builder } from "./builder.ts";
import { GroupingRef } from "./grouping.ts";
import { JobRef } from "./job.ts";

type RubricRow = Selectable<RubricsTable>;
type AspectRow = Selectable<RubricAspectsTable>;

export const RubricRef = builder.objectRef<RubricRow>("Rubric");
const RubricAspectRef = builder.objectRef<AspectRow>("RubricAspect");

const ExtractionMethodEnum = builder.enumType("ExtractionMethod", {
  values: {
    STATISTICAL: {
      value: "STATISTICAL",
      description: "Aspect detectors and permutation tests; no LLM.",
    },
    LLM: {
      value: "LLM",
      description: "Minibatch comparison of preference explanations by an LLM.",
    },
  } as const,
});

RubricAspectRef.implement({
  description: "An aspect of replies on which the compared groups' satisfaction diverges.",
  fields: (t) => ({
    name: t.exposeString("aspect"),
    kept: t.exposeBoolean("kept", { description: "True when the aspect is part of the rubric." }),
    significance: t.exposeInt("significance", { description: "1–5; 0 when untested." }),
    description: t.exposeString("description"),
    preferences: t.field({
      type: "JSON",
      description: "Each side's group, effect in points and direction.",
      resolve: (row) => row.preferences,
    }),
    statistics: t.field({
      type: "JSON",
      description: "Status, divergence, p, q and cell counts.",
      resolve: (row) => row.statistics,
    }),
    evidence: t.field({
      type: "JSON",
      description: "Assistant turns the aspect rests on.",
      resolve: (row) => row.evidence,
    }),
  }),
});

const ComparisonRef = builder.objectRef<{ a: string; b: string }>("Comparison").implement({
  fields: (t) => ({
    a: t.exposeString("a"),
    b: t.exposeString("b", { description: "The other group, or `*rest*` for all other groups." }),
    againstRest: t.boolean({ resolve: (comparison) => comparison.b === REST }),
  }),
});

RubricRef.implement({
  description: "One version of the rubric for an intent and comparison of groups.",
  fields: (t) => ({
    id: t.exposeID("id"),
    grouping: t.field({
      type: GroupingRef,
      resolve: (rubric, _args, { app }) =>
        app.database.db
          .selectFrom("groupings")
          .selectAll()
          .where("id", "=", rubric.grouping_id)
          .executeTakeFirstOrThrow(),
    }),
    domain: t.exposeString("domain"),
    task: t.exposeString("task"),
    comparison: t.field({
      type: ComparisonRef,
      resolve: (rubric) => parseComparison(rubric.comparison),
    }),
    method: t.field({ type: ExtractionMethodEnum, resolve: (rubric) => rubric.method }),
    version: t.exposeInt("version"),
    active: t.exposeBoolean("active", {
      description: "The newest version of its scope is the active one.",
    }),
    jobId: t.exposeID("job_id", { nullable: true }),
    parameters: t.field({ type: "JSON", resolve: (rubric) => rubric.parameters }),
    summary: t.field({
      type: "JSON",
      description: "Turn counts, detectable divergence, shuffle control.",
      resolve: (rubric) => rubric.summary,
    }),
    empty: t.boolean({
      resolve: (rubric) => ((rubric.summary as { kept?: unknown[] }).kept ?? []).length === 0,
    }),
    emptyReason: t.string({
      nullable: true,
      description: "Why no aspect was kept, with the smallest divergence this sample could detect.",
      resolve: (rubric) =>
        (rubric.summary as { nothingKept?: { message?: string } | null }).nothingKept?.message ??
        null,
    }),
    createdAt: t.field({ type: "DateTime", resolve: (rubric) => rubric.created_at }),
    aspects: t.field({
      type: [RubricAspectRef],
      args: {
        includeRejected: t.arg.boolean({
          required: false,
          defaultValue: false,
          description: "Also list aspects that were not kept.",
        }),
        minSignificance: t.arg.int({ required: false }),
      },
      resolve: (rubric, args, { app }) => {
        let query = app.database.db
          .selectFrom("rubric_aspects")
          .selectAll()
          .where("rubric_id", "=", rubric.id);
        if (!args.includeRejected) query = query.where("kept", "=", true);
        if (args.minSignificance) query = query.where("significance", ">=", args.minSignificance);
        return query.orderBy("significance", "desc").orderBy("aspect").execute();
      },
    }),
  }),
});

const RubricFilter = builder.inputType("RubricFilter", {
  fields: (t) => ({
    grouping: t.string({ required: false }),
    domain: t.string({ required: false }),
    task: t.string({ required: false }),
    group: t.string({
      required: false,
      description: "Rubrics comparing this group with another or with the rest.",
    }),
    minSignificance: t.int({
      required: false,
      description: "Only rubrics with a kept aspect at least this significant.",
    }),
    activeOnly: t.boolean({ required: false, defaultValue: true }),
  }),
});

const AspectChangeRef = builder
  .objectRef<{
    name: string;
    fromSignificance: number | null;
    toSignificance: number | null;
    fromKept: boolean;
    toKept: boolean;
  }>("RubricAspectChange")
  .implement({
    fields: (t) => ({
      name: t.exposeString("name"),
      fromSignificance: t.exposeInt("fromSignificance", { nullable: true }),
      toSignificance: t.exposeInt("toSignificance", { nullable: true }),
      fromKept: t.exposeBoolean("fromKept"),
      toKept: t.exposeBoolean("toKept"),
    }),
  });

const RubricDiffRef = builder
  .objectRef<{ from: RubricRow; to: RubricRow; changes: ReturnType<typeof diffRubricAspects> }>(
    "RubricDiff",
  )
  .implement({
    description: "What changed between two rubric versions.",
    fields: (t) => ({
      from: t.field({ type: RubricRef, resolve: (diff) => diff.from }),
      to: t.field({ type: RubricRef, resolve: (diff) => diff.to }),
      added: t.stringList({
        description: "Kept in `to`, not in `from`.",
        resolve: (diff) => diff.changes.added,
      }),
      removed: t.stringList({
        description: "Kept in `from`, not in `to`.",
        resolve: (diff) => diff.changes.removed,
      }),
      changed: t.field({ type: [AspectChangeRef], resolve: (diff) => diff.changes.changed }),
    }),
  });

builder.queryFields((t) => ({
  rubrics: t.field({
    type: [RubricRef],
    description:
      "Rubrics by grouping, intent, group and minimum significance; active versions unless asked.",
    args: { filter: t.arg({ type: RubricFilter, required: false }) },
    resolve: async (_root, args, { app }) => {
      const filter = args.filter ?? {};
      const { db } = app.database;
      let query = db.selectFrom("rubrics").selectAll("rubrics");
      if (filter.activeOnly ?? true) query = query.where("active", "=", true);
      if (filter.grouping) {
        query = query.where(
          "grouping_id",
          "in",
          db.selectFrom("groupings").select("id").where("name", "=", filter.grouping),
        );
      }
      if (filter.domain) query = query.where("domain", "=", filter.domain);
      if (filter.task) query = query.where("task", "=", filter.task);
      if (filter.group) {
        const group = filter.group;
        query = query.where((eb) =>
          eb.or([eb("comparison", "like", `${group}|%`), eb("comparison", "like", `%|${group}`)]),
        );
      }
      if (filter.minSignificance) {
        const min = filter.minSignificance;
        query = query.where("id", "in", (eb) =>
          eb
            .selectFrom("rubric_aspects")
            .select("rubric_id")
            .where("kept", "=", true)
            .where("significance", ">=", min),
        );
      }
      return query
        .orderBy("domain")
        .orderBy("task")
        .orderBy("comparison")
        .orderBy("version", "desc")
        .limit(1000)
        .execute();
    },
  }),
  rubric: t.field({
    type: RubricRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, { app }) =>
      (await app.database.db
        .selectFrom("rubrics")
        .selectAll()
        .where("id", "=", String(id))
        .executeTakeFirst()) ?? null,
  }),
  rubricDiff: t.field({
    type: RubricDiffRef,
    errors: { types: [NotFoundError, InvalidInputError] },
    args: { from: t.arg.id({ required: true }), to: t.arg.id({ required: true }) },
    resolve: async (_root, args, { app }) => {
      const { db } = app.database;
      const load = async (id: string) => {
        const rubric = await db
          .selectFrom("rubrics")
          .selectAll()
          .where("id", "=", id)
          .executeTakeFirst();
        if (!rubric) throw new NotFoundError("Rubric", id);
        const aspects = await db
          .selectFrom("rubric_aspects")
          .selectAll()
          .where("rubric_id", "=", id)
          .execute();
        return { rubric, aspects };
      };
      const from = await load(String(args.from));
      const to = await load(String(args.to));
      const scope = (rubric: RubricRow) =>
        [rubric.grouping_id, rubric.domain, rubric.task, rubric.comparison].join("|");
      if (scope(from.rubric) !== scope(to.rubric)) {
        throw new InvalidInputError(
          "to",
          "The two rubrics belong to different groupings, intents or comparisons; compare versions of one rubric.",
        );
      }
      const view = (rows: AspectRow[]) =>
        rows.map((row) => ({ name: row.aspect, kept: row.kept, significance: row.significance }));
      return {
        from: from.rubric,
        to: to.rubric,
        changes: diffRubricAspects(view(from.aspects), view(to.aspects)),
      };
    },
  }),
}));

const ExtractRubricsInput = builder.inputType("ExtractRubricsInput", {
  fields: (t) => ({
    dataset: t.string({ required: true }),
    grouping: t.string({ required: true }),
    groups: t.stringList({
      required: false,
      description: "Groups to compare; all declared groups when omitted.",
    }),
    method: t.field({ type: ExtractionMethodEnum, required: false, defaultValue: "STATISTICAL" }),
    permutations: t.int({
      required: false,
      description: "Label permutations per test (at least 1000).",
    }),
    seed: t.int({ required: false }),
    alpha: t.float({ required: false, description: "False discovery rate (default 0.05)." }),
    threshold: t.float({
      required: false,
      description: "ℓ: keep aspects with significance above it (default 3).",
    }),
    minSupport: t.int({
      required: false,
      description: "Turns needed in each group × with/without cell (default 10).",
    }),
    minibatchSize: t.int({
      required: false,
      description: "LLM method: explanations per minibatch (default 10).",
    }),
    budgetTokens: t.int({
      required: false,
      description: "LLM method: prompt plus completion tokens the job may spend.",
    }),
  }),
});

builder.mutationFields((t) => ({
  extractRubrics: t.field({
    type: JobRef,
    description: "Starts a rubric extraction job with the label-shuffle control beside it.",
    errors: { types: [InvalidInputError, NotFoundError, UnavailableError] },
    args: { input: t.arg({ type: ExtractRubricsInput, required: true }) },
    resolve: async (_root, { input }, { app }) => {
      const { db } = app.database;
      await requireDataset(db, input.dataset);
      const grouping = await requireGrouping(db, input.grouping);
      if (input.groups) checkComparedGroups(input.groups, grouping);
      const options = Object.fromEntries(
        (
          [
            "permutations",
            "seed",
            "alpha",
            "threshold",
            "minSupport",
            "minibatchSize",
            "budgetTokens",
          ] as const
        )
          .filter((key) => input[key] !== null && input[key] !== undefined)
          .map((key) => [key, input[key]]),
      );
      // Checked here so that a bad value is a typed error now, not a failed job later.
      const { minibatchSize: _size, budgetTokens: _budget, ...statistical } = options;
      resolveExtractionOptions(statistical);
      const row = await app.jobs.enqueue("extract-rubrics", {
        dataset: input.dataset,
        grouping: input.grouping,
        ...(input.groups ? { groups: input.groups } : {}),
        method: input.method ?? "STATISTICAL",
        options,
      });
      return toSnapshot(row);
    },
  }),
}));

/** Rejects compared groups that the grouping does not declare, or fewer than two distinct ones. */
function checkComparedGroups(
  groups: readonly string[],
  grouping: { name: string; groups: string[] },
): void {
  const undeclared = groups.find((group) => !grouping.groups.includes(group));
  if (undeclared !== undefined) {
    throw new InvalidInputError(
      "input.groups",
      `Group ${JSON.stringify(undeclared)} is not declared by grouping "${grouping.name}"; use some of ${grouping.groups.join(", ")}.`,
    );
  }
  if (new Set(groups).size < 2) {
    throw new InvalidInputError(
      "input.groups",
      `Give at least two different groups to compare, or omit groups to compare all; got ${JSON.stringify(groups)}.`,
    );
  }
}
