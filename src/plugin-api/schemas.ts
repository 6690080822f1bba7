import { z } from "zod";

/**
 * Schemas of everything a capability returns. The host parses every output with them (and
 * checks it against the groups, taxonomy or aspects the capability declared), so a plugin's
 * invalid output fails that item instead of reaching the database.
 */

/** The group a classifier returns when it cannot tell. */
export const UNKNOWN_GROUP = "unknown";

/** Capability ids: lower-case letters and digits, with `.`, `_` or `-` inside. */
export const capabilityIdSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/, {
  message:
    "capability ids are 1-100 lower-case letters, digits, '.', '_' or '-', starting and ending with a letter or digit, such as heuristic-expertise",
});

/** Intent domain and task ids: lower-case words joined by hyphens, e.g. `writing-code`. */
export const intentIdSchema = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
    message: "intent ids are lower-case words joined by hyphens, such as writing-code",
  });

/** A group name as a classifier declares and returns it, such as `US` or `expert`. */
export const groupNameSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((name) => name.trim() === name, { message: "group names have no surrounding spaces" });

export const judgmentSchema = z.enum(["SAT", "DSAT", "NA"]);
export type Judgment = z.infer<typeof judgmentSchema>;

export const confidenceSchema = z.number().min(0).max(1);

const rationaleSchema = z.string().max(2000);

export const groupAssignmentSchema = z.object({
  /** One of the classifier's declared groups, or `unknown`. */
  group: groupNameSchema,
  confidence: confidenceSchema,
  /** Reason for the group, in one sentence for analysts; for `unknown`, the missing evidence. */
  rationale: rationaleSchema.optional(),
});
export type GroupAssignment = z.infer<typeof groupAssignmentSchema>;

export const intentAssignmentSchema = z.object({
  domain: intentIdSchema,
  task: intentIdSchema,
  confidence: confidenceSchema,
  rationale: rationaleSchema.optional(),
});
export type IntentAssignment = z.infer<typeof intentAssignmentSchema>;

export const judgmentSourceSchema = z.enum(["explicit", "cue", "no-follow-up", "llm"]);
export type JudgmentSource = z.infer<typeof judgmentSourceSchema>;

export const turnJudgmentSchema = z.object({
  /** Index of the assistant message in `conversation.messages`. */
  messageIndex: z.number().int().min(0),
  judgment: judgmentSchema,
  confidence: confidenceSchema,
  /**
   * Evidence behind the judgment. `explicit` is votes, rank or thumbs recorded by the source,
   * `cue` the user's next message, `no-follow-up` the absence of one, and `llm` a model's
   * reading of the follow-up.
   */
  source: judgmentSourceSchema,
  rationale: rationaleSchema.optional(),
});
export type TurnJudgment = z.infer<typeof turnJudgmentSchema>;

/** Aspect names are identifiers: lower-case words joined by hyphens, e.g. `numbered-steps`. */
export const aspectNameSchema = z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, {
  message: "aspect names are lower-case words joined by hyphens, such as numbered-steps",
});

export const aspectDeclarationSchema = z.object({
  name: aspectNameSchema,
  /** What the aspect measures, in one sentence a reader of a rubric understands. */
  description: z.string().min(1).max(500),
  /** Short phrase for the rubric's sentence: "used numbered steps". */
  phrase: z.string().min(1).max(100),
});
export type AspectDeclaration = z.infer<typeof aspectDeclarationSchema>;

/** Output of `AspectDetector.detect`: aspect name → present. */
export const aspectValuesSchema = z.record(aspectNameSchema, z.boolean());
