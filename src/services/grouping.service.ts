import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../db/database.ts";
import { toJson } from "../db/tables.ts";
import { InvalidInputError } from "../errors.ts";
import type { PluginHost } from "../plugin-host/plugin-host.ts";
import { requireGrouping } from "./catalog.lookup.ts";
import { noteCatalogChange } from "./tailoring-catalog.ts";

export interface GroupingInput {
  name: string;
  /** Group classifier id, e.g. `metadata` or `heuristic-expertise`. */
  classifier: string;
  options?: unknown;
}

const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Creates a grouping after its classifier has accepted the options; the declared groups come
 * from the classifier, so they always match what labelling can produce.
 */
export async function createGrouping(db: Db, plugins: PluginHost, input: GroupingInput) {
  if (!NAME_PATTERN.test(input.name)) {
    throw new InvalidInputError(
      "name",
      `Invalid grouping name ${JSON.stringify(input.name)}; use lower-case letters, digits and hyphens, starting with a letter.`,
    );
  }
  const classifier = plugins.createGroupClassifier(input.classifier, input.options ?? {});
  const existing = await db
    .selectFrom("groupings")
    .select("id")
    .where("name", "=", input.name)
    .executeTakeFirst();
  if (existing) {
    throw new InvalidInputError(
      "name",
      `Grouping ${JSON.stringify(input.name)} already exists; use updateGrouping to change it.`,
    );
  }
  noteCatalogChange();
  return db
    .insertInto("groupings")
    .values({
      id: randomUUID(),
      name: input.name,
      classifier: input.classifier,
      options: toJson(classifier.options ?? {}),
      groups: toJson(classifier.groups),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes a grouping's classifier or options; existing labels stay until the next labelling run. */
export async function updateGrouping(
  db: Db,
  plugins: PluginHost,
  input: { name: string; classifier?: string | null; options?: unknown },
) {
  const current = await requireGrouping(db, input.name);
  const classifierId = input.classifier ?? current.classifier;
  const options = input.options ?? current.options;
  const classifier = plugins.createGroupClassifier(classifierId, options);
  noteCatalogChange();
  return db
    .updateTable("groupings")
    .set({
      classifier: classifierId,
      options: toJson(classifier.options ?? {}),
      groups: toJson(classifier.groups),
      updated_at: sql`now()`,
    })
    .where("id", "=", current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Ready-made groupings for the CLI and the demo. */
export const GROUPING_PRESETS: Record<string, GroupingInput> = {
  region: {
    name: "region",
    classifier: "metadata",
    options: {
      field: "country",
      table: { "United States": "US", China: "China", India: "India" },
      defaultGroup: "other",
    },
  },
  "us-vs-rest": {
    name: "us-vs-rest",
    classifier: "metadata",
    options: { field: "country", table: { "United States": "US" }, defaultGroup: "other" },
  },
  expertise: { name: "expertise", classifier: "heuristic-expertise", options: {} },
};
