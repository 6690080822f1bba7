import { z } from "zod";
import { requireLlm } from "../src/services/llm-job-support.ts";
import { labelWithLlm } from "../src/services/llm-labelling.service.ts";
import { LLM_EXTRACTION_DEFAULTS } from "../src/services/llm-rubric.store.ts";
import { defineJob } from "./types.ts";

/** Options of the LLM rubric method, shared by `label-llm` and `extract-rubrics`. */
export const llmExtractionOptions = {
  minibatchSize: z.number().int().min(1).max(200).optional(),
  pairing: z.enum(["all", "zip"]).optional(),
  maxPairs: z.number().int().min(1).optional(),
};

export const llmLabelPayload = z.object({
  dataset: z.string().min(1),
  /**
   * Grouping (classifier `llm-expertise`) to store the expertise levels under; every such
   * grouping when omitted. Without one, intents and judgments are stored and the levels are not.
   */
  grouping: z.string().min(1).optional(),
  /** `classification`: expertise and intent; `judgment`: turn judgments with explanations. */
  tasks: z
    .array(z.enum(["classification", "judgment"]))
    .min(1)
    .default(["classification", "judgment"]),
  /** Prompt plus completion tokens this job may spend; the configured default when omitted. */
  budgetTokens: z.number().int().min(1).optional(),
  /** Return the estimated calls, tokens and cost without calling the model. */
  dryRun: z.boolean().default(false),
  /** Conversations per classification call. */
  batchSize: z.number().int().min(1).max(50).default(8),
  /** Extract LLM rubrics in the same run, starting each comparison as its explanations arrive. */
  extract: z
    .object({
      /** Groups to compare; the grouping's groups when omitted. */
      groups: z.array(z.string().min(1)).optional(),
      ...llmExtractionOptions,
      threshold: z.number().min(0).max(5).optional(),
    })
    .transform((extract) => ({ ...LLM_EXTRACTION_DEFAULTS, ...stripUndefined(extract) }))
    .optional(),
});

export const llmLabelJob = defineJob({
  kind: "label-llm",
  payload: llmLabelPayload,
  attempts: 3,
  backoffMs: 5_000,
  checkEnqueue(payload, services) {
    if (!payload.dryRun) requireLlm(services, "the label-llm job");
  },
  process: (context, payload) => labelWithLlm(context, payload),
});

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
