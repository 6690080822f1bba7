import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { toJson } from "../db/tables.ts";
import { noteCatalogChange } from "./tailoring-catalog.ts";

/** One compared pair of sides: two groups, or one group against all others (`rest`). */
export interface Comparison {
  /** The first group. */
  a: string;
  /** The second group, or `REST` for every group but `a`. */
  b: string;
}

export const REST = "*rest*";

export function comparisonKey(comparison: Comparison): string {
  return `${comparison.a}|${comparison.b}`;
}

export function parseComparison(key: string): Comparison {
  const [a = "", b = ""] = key.split("|");
  return { a, b };
}

/** Each side's direction for one aspect, as stored in `rubric_aspects.preferences`. */
export interface SidePreference {
  group: string;
  /** SAT-rate effect of the aspect for this side in points; null when not measurable or an LLM rubric. */
  effectPoints: number | null;
  /** Free-text preference (LLM rubrics) or the measured direction. */
  preference: string;
  turnsWith?: number;
  turnsWithout?: number;
}

export interface NewRubricAspect {
  aspect: string;
  kept: boolean;
  significance: number;
  description: string;
  preferences: { a: SidePreference; b: SidePreference };
  statistics: Record<string, unknown>;
  evidence: unknown[];
}

export interface NewRubric {
  datasetId: string;
  groupingId: string;
  domain: string;
  task: string;
  comparison: Comparison;
  method: "STATISTICAL" | "LLM";
  jobId: string | null;
  parameters: Record<string, unknown>;
  summary: Record<string, unknown>;
  aspects: NewRubricAspect[];
}

/**
 * Stores a new rubric version for its scope (grouping, intent, comparison): the new one
 * becomes active and earlier versions are kept, inactive. Returns the rubric id and version.
 */
export async function saveRubricVersion(
  db: Db,
  rubric: NewRubric,
): Promise<{ id: string; version: number }> {
  const saved = await db.transaction().execute(async (trx) => {
    const key = comparisonKey(rubric.comparison);
    // Serializes concurrent extractions of the same scope, so versions never collide.
    await sql`select pg_advisory_xact_lock(hashtext(${`${rubric.groupingId}|${rubric.domain}|${rubric.task}|${key}`}))`.execute(
      trx,
    );
    const latest = await trx
      .selectFrom("rubrics")
      .select((eb) => eb.fn.max("version").as("version"))
      .where("grouping_id", "=", rubric.groupingId)
      .where("domain", "=", rubric.domain)
      .where("task", "=", rubric.task)
      .where("comparison", "=", key)
      .executeTakeFirst();
    const version = Number(latest?.version ?? 0) + 1;
    await trx
      .updateTable("rubrics")
      .set({ active: false })
      .where("grouping_id", "=", rubric.groupingId)
      .where("domain", "=", rubric.domain)
      .where("task", "=", rubric.task)
      .where("comparison", "=", key)
      .execute();
    const id = randomUUID();
    await trx
      .insertInto("rubrics")
      .values({
        id,
        dataset_id: rubric.datasetId,
        grouping_id: rubric.groupingId,
        domain: rubric.domain,
        task: rubric.task,
        comparison: key,
        method: rubric.method,
        version,
        active: true,
        job_id: rubric.jobId,
        parameters: toJson(rubric.parameters),
        summary: toJson(rubric.summary),
      })
      .execute();
    if (rubric.aspects.length > 0) {
      await trx
        .insertInto("rubric_aspects")
        .values(
          rubric.aspects.map((aspect) => ({
            rubric_id: id,
            aspect: aspect.aspect,
            kept: aspect.kept,
            significance: aspect.significance,
            description: aspect.description,
            preferences: toJson(aspect.preferences),
            statistics: toJson(aspect.statistics),
            evidence: toJson(aspect.evidence),
          })),
        )
        .execute();
    }
    return { id, version };
  });
  noteCatalogChange();
  return saved;
}
