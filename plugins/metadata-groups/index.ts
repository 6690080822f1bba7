import {
  definePlugin,
  type GroupClassifier,
  type GroupClassifierFactory,
  normalizeText,
  UNKNOWN_GROUP,
  z,
} from "../../src/plugin-api/index.ts";

/**
 * Groups conversations by one metadata field mapped through a table, such as
 * country → US / China / India / other:
 *
 *   { "field": "country",
 *     "table": { "United States": "US", "China": "China", "India": "India" },
 *     "defaultGroup": "other" }
 */
const optionsSchema = z.strictObject({
  /** Metadata key to read; dots reach into nested objects (`user.country`). */
  field: z.string().min(1),
  /** Field value → group. Several values may map to one group. */
  table: z.record(z.string(), z.string().min(1).max(100)),
  /** Group for a value that is not in the table; absent or null means `unknown`. */
  defaultGroup: z.string().min(1).max(100).nullable().default(null),
  /** Match values ignoring case and surrounding spaces (and full-width forms). */
  caseInsensitive: z.boolean().default(true),
});
export type MetadataGroupOptions = z.infer<typeof optionsSchema>;

/** Builds the lookup key of a value under the options' matching rule. */
function lookupKey(value: string, caseInsensitive: boolean): string {
  return caseInsensitive ? normalizeText(value) : value;
}

/** Reads a dotted path from metadata; a missing step gives `undefined`. */
function readField(metadata: Readonly<Record<string, unknown>>, field: string): unknown {
  if (Object.hasOwn(metadata, field)) return metadata[field];
  let value: unknown = metadata;
  for (const step of field.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, step))
      return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

export function createMetadataClassifier(options: MetadataGroupOptions): GroupClassifier {
  const { field, table, defaultGroup, caseInsensitive } = options;
  const lookup = new Map<string, string>();
  for (const [value, group] of Object.entries(table)) {
    if (group === UNKNOWN_GROUP) {
      throw new Error(
        `table maps "${value}" to "${UNKNOWN_GROUP}", which is implied; leave the value out instead.`,
      );
    }
    const key = lookupKey(value, caseInsensitive);
    const earlier = lookup.get(key);
    if (earlier !== undefined && earlier !== group) {
      throw new Error(
        `table maps "${value}" to "${group}", but an equal value (ignoring case) already maps to "${earlier}".`,
      );
    }
    lookup.set(key, group);
  }
  if (defaultGroup === UNKNOWN_GROUP) {
    throw new Error(`defaultGroup "${UNKNOWN_GROUP}" is implied; leave defaultGroup out instead.`);
  }
  const groups = [...new Set([...lookup.values(), ...(defaultGroup ? [defaultGroup] : [])])];
  if (groups.length === 0) {
    throw new Error(
      "table is empty and there is no defaultGroup, so every conversation would be unknown.",
    );
  }

  return {
    groups,
    classify(conversation) {
      const value = readField(conversation.metadata, field);
      const scalar =
        typeof value === "number" || typeof value === "boolean" ? String(value) : value;
      if (typeof scalar !== "string" || scalar.trim() === "") {
        return {
          group: UNKNOWN_GROUP,
          confidence: 1,
          rationale: `metadata.${field} is missing`,
        };
      }
      const group = lookup.get(lookupKey(scalar, caseInsensitive));
      if (group !== undefined) {
        return { group, confidence: 1, rationale: `${field} "${scalar}" maps to ${group}` };
      }
      return {
        group: defaultGroup ?? UNKNOWN_GROUP,
        confidence: 1,
        rationale: defaultGroup
          ? `${field} "${scalar}" is not in the table, so it gets the default group`
          : `${field} "${scalar}" is not in the table and there is no default group`,
      };
    },
  };
}

export const metadataGroupClassifier: GroupClassifierFactory<MetadataGroupOptions> = {
  id: "metadata",
  description: "Maps a metadata field (such as country) through a table to a group.",
  optionsSchema,
  create: createMetadataClassifier,
};

export default definePlugin({
  name: "metadata-groups",
  version: "1.0.0",
  apiVersion: 1,
  description: "Group classifier that maps a metadata field through a table.",
  setup(context) {
    context.registerGroupClassifier(metadataGroupClassifier);
  },
});
