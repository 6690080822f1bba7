import { z } from "zod";

/**
 * Schema pieces shared by the prompts. They accept the small variations models produce for the
 * same meaning (`"sat"` for `SAT`, `80` for a confidence of 0.8, `"4"` for 4) and reject
 * anything else.
 */

/** A confidence in [0, 1]; a percentage in (1, 100] is read as such. */
export const confidenceOutput = z.coerce
  .number()
  .min(0)
  .max(100)
  .transform((value) => (value > 1 ? value / 100 : value));

/** SAT, DSAT or NA, in any letter case. */
export const judgmentOutput = z.preprocess(
  (value) => (typeof value === "string" ? value.trim().toUpperCase() : value),
  z.enum(["SAT", "DSAT", "NA"]),
);

/** A 1–5 Likert rating; a decimal is rounded. */
export const likertOutput = z.coerce
  .number()
  .min(1)
  .max(5)
  .transform((value) => Math.round(value));

/** Non-empty text of at most `max` characters, trimmed. */
export function textOutput(max: number) {
  return z.string().trim().min(1).max(max);
}

/** Lower-case words joined by hyphens, from any label: "Step-by-step guidance" → `step-by-step-guidance`. */
export function toSlug(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^[0-9-]+/, "")
    .slice(0, 80)
    .replace(/-+$/, "");
}
