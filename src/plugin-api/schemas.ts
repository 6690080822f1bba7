import { z } from "zod";

/** The group a classifier returns when it cannot tell. */
export const UNKNOWN_GROUP = "unknown";

export const judgmentSchema = z.enum(["SAT", "DSAT", "NA"]);
export type Judgment = z.infer<typeof judgmentSchema>;

export const confidenceSchema = z.number().min(0).max(1);

export const groupAssignmentSchema = z.object({
  group: z.string().min(1),
  confidence: confidenceSchema,
  rationale: z.string().max(2000).optional(),
});
export type GroupAssignment = z.infer<typeof groupAssignmentSchema>;

export const intentAssignmentSchema = z.object({
  domain: z.string().min(1).max(100),
  task: z.string().min(1).max(100),
  confidence: confidenceSchema,
});
export type IntentAssignment = z.infer<typeof intentAssignmentSchema>;

export const turnJudgmentSchema = z.object({
  /** Index of the assistant message in `conversation.messages`. */
  messageIndex: z.number().int().min(0),
  judgment: judgmentSchema,
  confidence: confidenceSchema,
  /** `explicit`: votes or thumbs; `cue`: the user's next message; `no-follow-up`: nothing followed. */
  source: z.enum(["explicit", "cue", "no-follow-up", "llm"]),
  rationale: z.string().max(2000).optional(),
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
